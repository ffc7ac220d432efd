// Terminal text, Markdown and self-contained HTML renderings of a Diagnosis.
#include <cstdio>
#include <sstream>
#include <utility>
#include <vector>

#include "rdpdoctor/report/diagnosis.hpp"
#include "rdpdoctor/report/probe_report.hpp"
#include "rdpdoctor/text_safety.hpp"
#include "rdpdoctor/verdict/host_findings.hpp"
#include "render_parts.hpp"

namespace rdpdoctor {
namespace {

using detail::attemptResult;
using detail::certificateFacts;

const char* kGreen = "\033[32m";
const char* kRed = "\033[31m";
const char* kGrey = "\033[90m";
const char* kBold = "\033[1m";
const char* kReset = "\033[0m";

}  // namespace

std::string progressLine(const Attempt& a, std::size_t index, bool colour) {
  std::ostringstream o;
  const std::string r = attemptResult(a);
  const char* c = a.skipped ? kGrey : (r == "works" ? kGreen : kRed);
  o << "  [" << index + 1 << "] " << (a.confirmation ? "confirm " : "")
    << terminalText(a.rung.profile.summary()) << " — ";
  if (colour) o << c;
  o << r;
  if (colour) o << kReset;
  if (a.notAttempted) {
    o << ": " << terminalText(a.signature.id) << " at " << toString(a.signature.layer) << " ("
      << terminalText(a.skipReason) << ")";
  } else if (a.skipped) {
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
  o << bold("problem") << ":          " << terminalText(d.summary.problem) << "\n";
  if (d.summary.fixOnThisMachine)
    o << bold("fix on this machine") << ": " << terminalText(d.summary.fix) << "\n";
  else
    o << bold("fix on the host") << ":  " << terminalText(d.summary.fix) << "\n";
  o << bold("connect now") << ":      " << terminalText(d.summary.connect) << "\n\n";
  o << "attempts (" << d.ladder.elapsedMs << " ms in all";
  if (d.ladder.answerWaitMs > 0) {
    char secs[32];
    std::snprintf(secs, sizeof secs, "%.1f", static_cast<double>(d.ladder.answerWaitMs) / 1000.0);
    o << ", plus " << secs << " s waiting for your answer";
  }
  o << "):\n";
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
    // the peer this machine has (xfreerdp 2.11 when it has neither, as before)
    const bool three = d.context.xfreerdp3Installed;
    if (!three || d.context.xfreerdp2Installed)
      o << "  " << terminalText(d.summary.xfreerdp) << "\n";
    if (three) o << "  " << terminalText(d.summary.xfreerdp3) << "\n";
    for (const auto& x : d.ladder.winner->profile.downgrades())
      o << "  downgrade in use: " << terminalText(x) << "\n";
  }
  if (const auto cert = certificateFacts(d); !cert.empty()) {
    o << "\n" << bold("certificate") << ":\n";
    for (const auto& [label, value] : cert)
      o << "  " << label << ": " << terminalText(value) << "\n";
  }
  if (!d.remedies.empty()) {
    o << "\n" << bold(remediesHeading(d)) << ":\n";
    for (const auto& r : d.remedies) o << "  - " << terminalText(remedyLine(r)) << "\n";
  }
  o << hostFindingsText(d.facts, colour);
  return o.str();
}

std::string renderMarkdown(const Diagnosis& d) {
  std::ostringstream o;
  o << "# rdpdoctor diagnosis of " << markdownCode(d.original.target.display()) << "\n\n";
  o << "- **Problem:** " << markdownText(d.summary.problem) << "\n";
  o << (d.summary.fixOnThisMachine ? "- **Fix on this machine:** " : "- **Fix on the host:** ")
    << markdownText(d.summary.fix) << "\n";
  o << "- **Connect now:** "
    << (d.summary.haveCommand ? markdownCode(d.summary.connect) : markdownText(d.summary.connect))
    << "\n\n";
  o << "**Verdict:** " << markdownText(d.verdict) << "\n\n";
  o << "| # | combination | why tried | result | signature | layer | time "
       "|\n|---|---|---|---|---|---|---|\n";
  for (std::size_t i = 0; i < d.ladder.attempts.size(); ++i) {
    const auto& a = d.ladder.attempts[i];
    o << "| " << i + 1 << " | " << markdownText(a.rung.profile.summary())
      << (a.confirmation ? " (confirmation)" : "") << " | " << markdownText(a.rung.why) << " | "
      << attemptResult(a) << " | " << (a.skipped ? "" : markdownText(a.signature.id)) << " | "
      << (a.skipped ? "" : std::string(toString(a.signature.layer))) << " | "
      << (a.notAttempted ? std::string() : std::to_string(a.outcome.elapsedMs) + " ms") << " |\n";
  }
  for (const auto& r : d.ladder.belowFloor)
    o << "| - | " << markdownText(r.profile.summary()) << " | " << markdownText(r.why)
      << " | below floor | | | |\n";
  if (d.ladder.winner) {
    o << "\n## Working combination\n\n"
      << (d.ladder.winner->profile.xfreerdpCanReproduce() ? markdownCode(d.summary.xfreerdp)
                                                          : markdownText(d.summary.xfreerdp))
      << "\n";
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
    std::string heading = remediesHeading(d);
    heading[0] = 'W';
    o << "\n## " << heading << "\n\n";
    for (const auto& r : d.remedies) o << "- " << markdownText(remedyLine(r)) << "\n";
  }
  if (const auto findings = hostFindings(d.facts); !findings.empty()) {
    o << "\n## Host findings (to fix even when it connects)\n\n| severity | finding | evidence "
         "|\n|---|---|---|\n";
    for (const auto& f : findings)
      o << "| " << toString(f.severity) << " | " << f.id << " | " << markdownText(f.evidence)
        << " |\n";
  }
  return o.str();
}

}  // namespace rdpdoctor
