#pragma once
// A diagnosis: the probe's facts, every attempt of the ladder, the winner, the remedies.
// Rendered as terminal text, JSON (rdpdoctor/diagnose@1), Markdown and a self-contained HTML page.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "rdpdoctor/ladder/runner.hpp"
#include "rdpdoctor/verdict/host_facts.hpp"

namespace rdpdoctor {

struct Diagnosis {
  Profile original;
  HostFacts facts;
  nlohmann::json probe;          // the probe's own JSON document (null when no probe ran)
  LadderResult ladder;
  SecurityFloor floor = SecurityFloor::Tls;
  bool haveCredentials = false;
  bool logonProven = false;      // the winner reached a proven logon (not just a login screen)
  std::string verdict;           // one paragraph
  /// How the person ran it, without options ("rdpdoctor diagnose host:3389"): the report's
  /// commands to go on (accept a certificate) start from it.
  std::string command;
  std::vector<Remedy> remedies;  // for the host, most likely first
};

/// Fills verdict, remedies and logonProven from the ladder's attempts.
void summarize(Diagnosis& d);

[[nodiscard]] nlohmann::json toJson(const Diagnosis& d);
[[nodiscard]] std::string renderText(const Diagnosis& d, bool colour);
[[nodiscard]] std::string renderMarkdown(const Diagnosis& d);
[[nodiscard]] std::string renderHtml(const Diagnosis& d);
/// One progress line for a finished attempt ("  [3] tls, seclevel 0 ... works (812 ms)").
[[nodiscard]] std::string progressLine(const Attempt& a, std::size_t index, bool colour);

}  // namespace rdpdoctor
