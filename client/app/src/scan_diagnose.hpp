#pragma once
// `scan --diagnose`: the doctor of `diagnose` (the ladder, each attempt an rdpdoctor-attempt
// child) on the hosts whose probe shows a problem, a few hosts at once, one attempt at a time per
// host. It never asks: no --cert means an unknown certificate is refused and reported. The
// password (environment or --password-file, never a prompt) goes through one CredentialGate: a
// host that rejects it withholds it from every other host.
#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>
#include <vector>

#include "doctor.hpp"
#include "rdpdoctor/probe_result.hpp"
#include "rdpdoctor/report/scan_report.hpp"
#include "verb_scan.hpp"

namespace rdpdoctor::app {

/// A probe that shows a problem the doctor may explain: the host answered as an RDP host and
/// either nothing works or it has a finding of low severity or above.
[[nodiscard]] bool probeShowsProblem(const ScanRow& row);

class ScanDiagnoser {
 public:
  /// `done` gets each host's rdpdoctor/diagnose@1 document (from a worker thread).
  ScanDiagnoser(const ScanVerbOptions& o, Secret password,
                std::function<void(nlohmann::json)> done);
  ~ScanDiagnoser();
  ScanDiagnoser(const ScanDiagnoser&) = delete;
  ScanDiagnoser& operator=(const ScanDiagnoser&) = delete;

  /// Queues a probed host; `scan` holds its inventory name and tags (or null).
  void add(const probe::ProbeResult& result, nlohmann::json scan);
  /// Waits for every queued host; false when `stop` was set first (the hosts in flight are
  /// abandoned, their lines never written).
  [[nodiscard]] bool finish(const std::atomic<bool>& stop);
  /// {"user", "rejected_by", "withheld_from": [...]} when credentials were given; else null.
  [[nodiscard]] nlohmann::json credentialsSummary() const;
  [[nodiscard]] bool haveCredentials() const {
    return !password_.empty() && !o_.common.user.empty();
  }

 private:
  struct Job {
    probe::ProbeResult result;
    nlohmann::json scan;
  };
  void work();
  nlohmann::json diagnose(const Job& job);

  const ScanVerbOptions& o_;
  Secret password_;
  std::function<void(nlohmann::json)> done_;
  CredentialGate gate_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Job> queue_;
  bool closing_ = false;
  unsigned busy_ = 0;                      // workers diagnosing a host
  bool announced_ = false;                 // the rejection was said on stderr
  std::vector<std::string> withheldFrom_;  // hosts diagnosed without the password after it
  std::vector<std::thread> workers_;
};

}  // namespace rdpdoctor::app
