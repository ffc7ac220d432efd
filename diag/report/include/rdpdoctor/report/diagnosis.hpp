#pragma once
// A diagnosis: the probe's facts, every attempt of the ladder, the winner, the remedies.
// Rendered as terminal text, JSON (rdpdoctor/diagnose@1), Markdown and a self-contained HTML page.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "rdpdoctor/host_facts.hpp"
#include "rdpdoctor/ladder/runner.hpp"

namespace rdpdoctor {

/// The three lines every report starts with: short, plain, no signature ids.
struct VerdictSummary {
  std::string problem;  // the failing layer in plain words ("none: the original settings work")
  std::string fix;      // the top remedy on the host ("nothing" when none is needed)
  bool fixOnThisMachine = false;  // the top remedy is for the client machine, not the host
  std::string connect;  // an `rdpdoctor connect ...` command that reproduces the winner, or what is
                        // missing for one (when there is no winner)
  bool haveCommand = false;  // `connect` is a command (there is a winner)
  /// The xfreerdp 2.11 line that reproduces the winner, or a sentence saying it cannot.
  std::string xfreerdp;
  /// The same for FreeRDP 3.x's xfreerdp3 (sdl-freerdp3 takes the same arguments).
  std::string xfreerdp3;
};

/// Where and with what the report was made (filled by the app: the versions are its own, the
/// libraries' strings come from client code; diag/report only prints them).
struct ReportContext {
  std::string rdpdoctorVersion;
  std::string freerdpVersion;
  std::string opensslVersion;
  std::string clientHost;           // this machine's host name
  std::string generatedAt;          // local date and time, "2026-12-01 23:40:02 UTC"
  bool xfreerdp2Installed = false;  // `xfreerdp` (2.11) on PATH: the text report shows its line
  bool xfreerdp3Installed = false;  // `xfreerdp3` or `sdl-freerdp3` on PATH: the same for 3.x
};

struct Diagnosis {
  Profile original;
  HostFacts facts;
  nlohmann::json probe;  // the probe's own JSON document (null when no probe ran)
  LadderResult ladder;
  SecurityFloor floor = SecurityFloor::Tls;
  bool haveCredentials = false;
  bool logonProven = false;  // the winner reached a proven logon (not just a login screen)
  std::string verdict;       // one paragraph
  /// How the person ran it, without options ("rdpdoctor diagnose host:3389"): the report's
  /// commands to go on (accept a certificate) start from it.
  std::string command;
  std::vector<Remedy> remedies;  // for the host, most likely first
  VerdictSummary summary;        // filled by summarize()
  ReportContext context;
};

/// The three lines of `d` (summarize() stores them in d.summary).
[[nodiscard]] VerdictSummary summaryOf(const Diagnosis& d);
/// The protocol the server selected on the winner's successful attempt (-1: not known).
[[nodiscard]] std::int64_t winnerSelectedProtocol(const Diagnosis& d);

/// Fills verdict, remedies and logonProven from the ladder's attempts.
void summarize(Diagnosis& d);
/// "what to fix on the host", or "what to fix" when a remedy is for this machine.
[[nodiscard]] std::string remediesHeading(const Diagnosis& d);
/// A remedy as listed: "on this machine: ..." for a fix on the client, else its text.
[[nodiscard]] std::string remedyLine(const Remedy& r);

[[nodiscard]] nlohmann::json toJson(const Diagnosis& d);
[[nodiscard]] std::string renderText(const Diagnosis& d, bool colour);
[[nodiscard]] std::string renderMarkdown(const Diagnosis& d);
[[nodiscard]] std::string renderHtml(const Diagnosis& d);
/// One progress line for a finished attempt ("  [3] tls, seclevel 0 ... works (812 ms)").
[[nodiscard]] std::string progressLine(const Attempt& a, std::size_t index, bool colour);

}  // namespace rdpdoctor
