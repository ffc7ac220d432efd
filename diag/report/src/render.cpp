// Terminal text, Markdown and self-contained HTML renderings of a Diagnosis.
#include <sstream>

#include "rdpdoctor/report/diagnosis.hpp"

namespace rdpdoctor {
namespace {

const char* kGreen = "\033[32m";
const char* kRed = "\033[31m";
const char* kGrey = "\033[90m";
const char* kBold = "\033[1m";
const char* kReset = "\033[0m";

std::string result(const Attempt& a) {
  if (a.skipped) return "skipped";
  if (a.outcome.belowFloor) return "below-floor";
  return a.outcome.success ? "works" : "fails";
}

std::string htmlEscape(const std::string& s) {
  std::string o;
  for (char c : s) {
    switch (c) {
      case '&':
        o += "&amp;";
        break;
      case '<':
        o += "&lt;";
        break;
      case '>':
        o += "&gt;";
        break;
      case '"':
        o += "&quot;";
        break;
      default:
        o += c;
    }
  }
  return o;
}

std::string mdEscape(const std::string& s) {
  std::string o;
  for (char c : s) {
    if (c == '|') o += "\\";
    o += c;
  }
  return o;
}

std::string argsLine(const Profile& p) {
  std::string s = "xfreerdp";
  for (const auto& a : p.xfreerdpArgs()) s += " " + a;
  return s;
}

}  // namespace

std::string progressLine(const Attempt& a, std::size_t index, bool colour) {
  std::ostringstream o;
  const std::string r = result(a);
  const char* c = a.skipped ? kGrey : (r == "works" ? kGreen : kRed);
  o << "  [" << index + 1 << "] " << (a.confirmation ? "confirm " : "") << a.rung.profile.summary()
    << " — ";
  if (colour) o << c;
  o << r;
  if (colour) o << kReset;
  if (a.skipped) {
    o << " (" << a.skipReason << ")";
  } else {
    o << " in " << a.outcome.elapsedMs << " ms";
    if (!a.outcome.success) o << ": " << a.signature.id << " at " << toString(a.signature.layer);
  }
  return o.str();
}

std::string renderText(const Diagnosis& d, bool colour) {
  std::ostringstream o;
  auto bold = [&](const std::string& s) { return colour ? std::string(kBold) + s + kReset : s; };
  o << bold("rdpdoctor diagnosis of " + d.original.target.display()) << "\n\n";
  o << "attempts (" << d.ladder.elapsedMs << " ms in all):\n";
  for (std::size_t i = 0; i < d.ladder.attempts.size(); ++i)
    o << progressLine(d.ladder.attempts[i], i, colour) << "\n";
  for (const auto& r : d.ladder.belowFloor)
    o << "  [-] " << r.profile.summary() << " — not tried: below your floor (--min-security "
      << toString(d.floor) << ")\n";
  o << "\n" << bold("verdict") << ": " << d.verdict << "\n";
  if (d.ladder.winner) {
    o << "\n" << bold("working combination") << ": " << d.ladder.winner->profile.summary() << "\n";
    o << "  " << argsLine(d.ladder.winner->profile) << "\n";
    for (const auto& x : d.ladder.winner->profile.downgrades())
      o << "  downgrade in use: " << x << "\n";
  }
  if (!d.remedies.empty()) {
    o << "\n" << bold("what to fix on the host") << ":\n";
    for (const auto& r : d.remedies) o << "  - " << r.text << "\n";
  }
  return o.str();
}

std::string renderMarkdown(const Diagnosis& d) {
  std::ostringstream o;
  o << "# rdpdoctor diagnosis of `" << d.original.target.display() << "`\n\n";
  o << "**Verdict:** " << d.verdict << "\n\n";
  o << "| # | combination | why tried | result | signature | layer | time "
       "|\n|---|---|---|---|---|---|---|\n";
  for (std::size_t i = 0; i < d.ladder.attempts.size(); ++i) {
    const auto& a = d.ladder.attempts[i];
    o << "| " << i + 1 << " | " << mdEscape(a.rung.profile.summary())
      << (a.confirmation ? " (confirmation)" : "") << " | " << mdEscape(a.rung.why) << " | "
      << result(a) << " | " << (a.skipped ? "" : a.signature.id) << " | "
      << (a.skipped ? "" : std::string(toString(a.signature.layer))) << " | " << a.outcome.elapsedMs
      << " ms |\n";
  }
  for (const auto& r : d.ladder.belowFloor)
    o << "| - | " << mdEscape(r.profile.summary()) << " | " << mdEscape(r.why)
      << " | below floor | | | |\n";
  if (d.ladder.winner) {
    o << "\n## Working combination\n\n`" << argsLine(d.ladder.winner->profile) << "`\n";
    for (const auto& x : d.ladder.winner->profile.downgrades()) o << "\n- downgrade in use: " << x;
    o << "\n";
  }
  if (!d.remedies.empty()) {
    o << "\n## What to fix on the host\n\n";
    for (const auto& r : d.remedies) o << "- " << r.text << "\n";
  }
  return o.str();
}

std::string renderHtml(const Diagnosis& d) {
  std::ostringstream o;
  o << "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>rdpdoctor: "
    << htmlEscape(d.original.target.display()) << "</title><style>"
    << "body{font-family:system-ui,sans-serif;margin:2em;max-width:70em}table{border-collapse:"
       "collapse;width:100%}"
    << "td,th{border:1px solid #ccc;padding:.3em .5em;text-align:left}.works{background:#c8f0c8}"
    << ".fails{background:#f6caca}.skipped{background:#eee;color:#666}.below,.below-floor{"
       "background:#fff3c4}"
    << "code{background:#f4f4f4;padding:.1em .3em}</style></head><body>";
  o << "<h1>rdpdoctor diagnosis of <code>" << htmlEscape(d.original.target.display())
    << "</code></h1>";
  o << "<p><strong>Verdict:</strong> " << htmlEscape(d.verdict) << "</p>";
  o << "<table><tr><th>#</th><th>combination</th><th>why "
       "tried</th><th>result</th><th>signature</th><th>layer</th>"
    << "<th>time</th></tr>";
  for (std::size_t i = 0; i < d.ladder.attempts.size(); ++i) {
    const auto& a = d.ladder.attempts[i];
    const std::string r = result(a);
    o << "<tr class=\"" << r << "\"><td>" << i + 1 << "</td><td>"
      << htmlEscape(a.rung.profile.summary()) << (a.confirmation ? " (confirmation)" : "")
      << "</td><td>" << htmlEscape(a.rung.why) << "</td><td>" << r << "</td><td>"
      << (a.skipped ? "" : htmlEscape(a.signature.id)) << "</td><td>"
      << (a.skipped ? "" : std::string(toString(a.signature.layer))) << "</td><td>"
      << a.outcome.elapsedMs << " ms</td></tr>";
  }
  for (const auto& r : d.ladder.belowFloor)
    o << "<tr class=\"below\"><td>-</td><td>" << htmlEscape(r.profile.summary()) << "</td><td>"
      << htmlEscape(r.why) << "</td><td>below floor</td><td></td><td></td><td></td></tr>";
  o << "</table>";
  if (d.ladder.winner)
    o << "<h2>Working combination</h2><p><code>" << htmlEscape(argsLine(d.ladder.winner->profile))
      << "</code></p>";
  if (!d.remedies.empty()) {
    o << "<h2>What to fix on the host</h2><ul>";
    for (const auto& r : d.remedies) o << "<li>" << htmlEscape(std::string(r.text)) << "</li>";
    o << "</ul>";
  }
  o << "</body></html>\n";
  return o.str();
}

}  // namespace rdpdoctor
