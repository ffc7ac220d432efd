#pragma once
// `rdpdoctor scan INVENTORY...`: many hosts probed at once; JSON Lines, CSV, the HTML matrix.
#include <string>
#include <vector>

#include "cli_common.hpp"

namespace rdpdoctor::app {

/// A host has a finding at or above --fail-on.
inline constexpr int kExitFailOn = 8;
/// SIGINT/SIGTERM stopped the scan (128 + SIGINT); every line written is complete.
inline constexpr int kExitInterrupted = 130;

struct ScanVerbOptions {
  CommonOptions common;
  std::vector<std::string> inventory;
  std::string csv;
  std::string html;
  unsigned concurrency = 64;
  std::string rate;  // "N/s" or "N"; empty: no limit
  double hostTimeout = 10;
  double stepTimeout = 3;
  unsigned parallel = 3;
  std::string failOn;  // info|low|medium|high
  bool noTls = false;
  bool noRdpSecurity = false;
  std::string compare;               // OLD.jsonl
  bool merge = false;                // the positional arguments are earlier scans' JSON Lines
  bool diagnose = false;             // the doctor on the hosts whose probe shows a problem
  unsigned diagnoseConcurrency = 2;  // hosts diagnosed at once (one attempt at a time each)
  double attemptTimeout = 15;        // one attempt of the doctor
  double diagnoseTimeout = 120;      // the doctor's budget for one host
};

void addScanVerb(CLI::App& app, ScanVerbOptions& o);
[[nodiscard]] int runScan(const ScanVerbOptions& o);

}  // namespace rdpdoctor::app
