#pragma once
// The doctor as the verbs use it: probe facts, plan, climb the ladder in child processes.
#include <chrono>

#include "cli_common.hpp"
#include "rdpdoctor/report/diagnosis.hpp"

namespace rdpdoctor::app {

struct DoctorRun {
  bool exhaustive = false;
  bool probe = true;
  std::chrono::milliseconds attemptDeadline{15000};
  std::chrono::milliseconds budget{120000};
  std::string logLevel = "warn";
  std::optional<Outcome> knownOriginal;  // connect: the user's own attempt, already run
};

/// Runs the whole diagnosis of `d.original` (d.floor and d.haveCredentials set by the caller)
/// and summarizes it. Asks for certificate consent on a TTY when the policy is Ask.
void runDoctor(Diagnosis& d, const Secret& password, const DoctorRun& run);
/// Exit code of a diagnosis (DESIGN.md's public contract).
[[nodiscard]] int exitCodeFor(const Diagnosis& d);

}  // namespace rdpdoctor::app
