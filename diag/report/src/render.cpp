// Terminal text, Markdown and self-contained HTML renderings of a Diagnosis.
#include <sstream>
#include <utility>
#include <vector>

#include "rdpdoctor/report/diagnosis.hpp"
#include "rdpdoctor/report/probe_report.hpp"
#include "rdpdoctor/verdict/host_findings.hpp"
#include "rdpdoctor/text_safety.hpp"

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

/// The server's certificate as the report shows it: the probe's reading (subject, issuer, SANs,
/// SHA-256), else what FreeRDP saw on the first attempt. Raw, server-controlled text: every
/// renderer escapes it for its own medium.
std::vector<std::pair<std::string, std::string>> certificateFacts(const Diagnosis& d) {
  std::vector<std::pair<std::string, std::string>> out;
  const auto text = [](const nlohmann::json& j, const char* key) {
    return j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : std::string();
  };
  if (d.probe.is_object() && d.probe.contains("tls") && d.probe["tls"].is_object() &&
      d.probe["tls"].contains("certificate") && d.probe["tls"]["certificate"].is_object()) {
    const auto& c = d.probe["tls"]["certificate"];
    out.emplace_back("subject", text(c, "subject"));
    out.emplace_back("issuer", text(c, "issuer"));
    if (c.contains("subject_alt_names") && c["subject_alt_names"].is_array())
      for (const auto& n : c["subject_alt_names"])
        if (n.is_string()) out.emplace_back("subject alt name", n.get<std::string>());
    out.emplace_back("sha256", text(c, "sha256"));
    return out;
  }
  const Attempt* first = d.ladder.original();
  if (first != nullptr && first->outcome.certificate) {
    const auto& c = *first->outcome.certificate;
    out.emplace_back("subject", c.subject);
    out.emplace_back("issuer", c.issuer);
    out.emplace_back("fingerprint", c.fingerprint);
  }
  return out;
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
  o << "  [" << index + 1 << "] " << (a.confirmation ? "confirm " : "")
    << terminalText(a.rung.profile.summary()) << " — ";
  if (colour) o << c;
  o << r;
  if (colour) o << kReset;
  if (a.skipped) {
    o << " (" << terminalText(a.skipReason) << ")";
  } else {
    o << " in " << a.outcome.elapsedMs << " ms";
    if (!a.outcome.success)
      o << ": " << terminalText(a.signature.id) << " at " << toString(a.signature.layer);
  }
  return o.str();
}

std::string renderText(const Diagnosis& d, bool colour) {
  std::ostringstream o;
  auto bold = [&](const std::string& s) { return colour ? std::string(kBold) + s + kReset : s; };
  o << bold("rdpdoctor diagnosis of " + terminalText(d.original.target.display())) << "\n\n";
  o << "attempts (" << d.ladder.elapsedMs << " ms in all):\n";
  for (std::size_t i = 0; i < d.ladder.attempts.size(); ++i)
    o << progressLine(d.ladder.attempts[i], i, colour) << "\n";
  for (const auto& r : d.ladder.belowFloor)
    o << "  [-] " << terminalText(r.profile.summary())
      << " — not tried: below your floor (--min-security " << toString(d.floor) << ")\n";
  o << "\n" << bold("verdict") << ": " << terminalText(d.verdict) << "\n";
  if (d.ladder.winner) {
    o << "\n"
      << bold("working combination") << ": " << terminalText(d.ladder.winner->profile.summary())
      << "\n";
    o << "  " << terminalText(argsLine(d.ladder.winner->profile)) << "\n";
    for (const auto& x : d.ladder.winner->profile.downgrades())
      o << "  downgrade in use: " << terminalText(x) << "\n";
  }
  if (const auto cert = certificateFacts(d); !cert.empty()) {
    o << "\n" << bold("certificate") << ":\n";
    for (const auto& [label, value] : cert)
      o << "  " << label << ": " << terminalText(value) << "\n";
  }
  if (!d.remedies.empty()) {
    o << "\n" << bold("what to fix on the host") << ":\n";
    for (const auto& r : d.remedies) o << "  - " << terminalText(r.text) << "\n";
  }
  o << hostFindingsText(d.facts, colour);
  return o.str();
}

std::string renderMarkdown(const Diagnosis& d) {
  std::ostringstream o;
  o << "# rdpdoctor diagnosis of " << markdownCode(d.original.target.display()) << "\n\n";
  o << "**Verdict:** " << markdownText(d.verdict) << "\n\n";
  o << "| # | combination | why tried | result | signature | layer | time |\n|---|---|---|---|---|---|---|\n";
  for (std::size_t i = 0; i < d.ladder.attempts.size(); ++i) {
    const auto& a = d.ladder.attempts[i];
    o << "| " << i + 1 << " | " << markdownText(a.rung.profile.summary())
      << (a.confirmation ? " (confirmation)" : "") << " | " << markdownText(a.rung.why) << " | "
      << result(a) << " | " << (a.skipped ? "" : markdownText(a.signature.id)) << " | "
      << (a.skipped ? "" : std::string(toString(a.signature.layer))) << " | " << a.outcome.elapsedMs
      << " ms |\n";
  }
  for (const auto& r : d.ladder.belowFloor)
    o << "| - | " << markdownText(r.profile.summary()) << " | " << markdownText(r.why)
      << " | below floor | | | |\n";
  if (d.ladder.winner) {
    o << "\n## Working combination\n\n" << markdownCode(argsLine(d.ladder.winner->profile)) << "\n";
    for (const auto& x : d.ladder.winner->profile.downgrades())
      o << "\n- downgrade in use: " << markdownText(x);
    o << "\n";
  }
  if (const auto cert = certificateFacts(d); !cert.empty()) {
    o << "\n## Certificate\n\n| field | value |\n|---|---|\n";
    for (const auto& [label, value] : cert)
      o << "| " << label << " | " << markdownText(value) << " |\n";
  }
  if (!d.remedies.empty()) {
    o << "\n## What to fix on the host\n\n";
    for (const auto& r : d.remedies) o << "- " << markdownText(r.text) << "\n";
  }
  if (const auto findings = hostFindings(d.facts); !findings.empty()) {
    o << "\n## Host findings (to fix even when it connects)\n\n| severity | finding | evidence |\n|---|---|---|\n";
    for (const auto& f : findings)
      o << "| " << toString(f.severity) << " | " << f.id << " | " << markdownText(f.evidence) << " |\n";
  }
  return o.str();
}

std::string renderHtml(const Diagnosis& d) {
  std::ostringstream o;
  o << "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>rdpdoctor: "
    << htmlText(d.original.target.display()) << "</title><style>"
    << "body{font-family:system-ui,sans-serif;margin:2em;max-width:70em}table{border-collapse:"
       "collapse;width:100%}"
    << "td,th{border:1px solid #ccc;padding:.3em .5em;text-align:left}.works{background:#c8f0c8}"
    << ".fails{background:#f6caca}.skipped{background:#eee;color:#666}.below,.below-floor{"
       "background:#fff3c4}"
    << "code{background:#f4f4f4;padding:.1em .3em}</style></head><body>";
  o << "<h1>rdpdoctor diagnosis of <code>" << htmlText(d.original.target.display())
    << "</code></h1>";
  o << "<p><strong>Verdict:</strong> " << htmlText(d.verdict) << "</p>";
  o << "<table><tr><th>#</th><th>combination</th><th>why tried</th><th>result</th><th>signature</th><th>layer</th>"
    << "<th>time</th></tr>";
  for (std::size_t i = 0; i < d.ladder.attempts.size(); ++i) {
    const auto& a = d.ladder.attempts[i];
    const std::string r = result(a);
    o << "<tr class=\"" << r << "\"><td>" << i + 1 << "</td><td>"
      << htmlText(a.rung.profile.summary()) << (a.confirmation ? " (confirmation)" : "")
      << "</td><td>" << htmlText(a.rung.why) << "</td><td>" << r << "</td><td>"
      << (a.skipped ? "" : htmlText(a.signature.id)) << "</td><td>"
      << (a.skipped ? "" : std::string(toString(a.signature.layer))) << "</td><td>"
      << a.outcome.elapsedMs << " ms</td></tr>";
  }
  for (const auto& r : d.ladder.belowFloor)
    o << "<tr class=\"below\"><td>-</td><td>" << htmlText(r.profile.summary()) << "</td><td>"
      << htmlText(r.why) << "</td><td>below floor</td><td></td><td></td><td></td></tr>";
  o << "</table>";
  if (d.ladder.winner)
    o << "<h2>Working combination</h2><p><code>" << htmlText(argsLine(d.ladder.winner->profile))
      << "</code></p>";
  if (const auto cert = certificateFacts(d); !cert.empty()) {
    o << "<h2>Certificate</h2><table>";
    for (const auto& [label, value] : cert)
      o << "<tr><th>" << label << "</th><td>" << htmlText(value) << "</td></tr>";
    o << "</table>";
  }
  if (!d.remedies.empty()) {
    o << "<h2>What to fix on the host</h2><ul>";
    for (const auto& r : d.remedies) o << "<li>" << htmlText(std::string(r.text)) << "</li>";
    o << "</ul>";
  }
  if (const auto findings = hostFindings(d.facts); !findings.empty()) {
    o << "<h2>Host findings <small>(to fix even when it connects)</small></h2><table class=\"findings\">"
         "<tr><th>severity</th><th>finding</th><th>evidence</th></tr>";
    for (const auto& f : findings)
      o << "<tr class=\"sev-" << toString(f.severity) << "\"><td>" << toString(f.severity) << "</td><td>" << f.id
        << "</td><td>" << htmlText(f.evidence) << "</td></tr>";
    o << "</table>";
  }
  o << "</body></html>\n";
  return o.str();
}

}  // namespace rdpdoctor
