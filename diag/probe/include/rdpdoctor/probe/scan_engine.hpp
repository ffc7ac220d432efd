#pragma once
// Many probes at once on a small fixed pool of event loops (one per core, at most 4; the calling
// thread runs the first; no thread per host): a global cap on hosts, and so on sockets, in flight
// (split between the loops), a start rate, one deadline for the whole scan, a stop flag; each
// host's result goes to a callback as soon as it is done and is dropped after (memory flat in the
// number of hosts). `probe` runs its one host through the same coroutine.
#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <vector>

#include "rdpdoctor/host_spec.hpp"
#include "rdpdoctor/probe/prober.hpp"

namespace rdpdoctor::probe {

struct ScanOptions {
  /// Per host: probe.totalTimeout is the host's deadline (cut to what the scan has left).
  ProbeOptions probe;
  /// Hosts in flight at once (capped by fdBudget / socketsPerHost).
  unsigned concurrency = 64;
  /// Host starts per second; 0 = as fast as the cap allows.
  double ratePerSecond = 0;
  /// The whole scan; 0 = no deadline (hosts not started by then are not probed).
  std::chrono::milliseconds overall{0};
  /// File descriptors the scan may hold at once; 0 = half of RLIMIT_NOFILE.
  unsigned fdBudget = 0;
};

struct ScanStats {
  std::size_t hosts = 0;
  std::size_t done = 0;          // results delivered
  unsigned workers = 0;          // the cap actually used (hosts in flight at most)
  bool interrupted = false;      // `stop` was set: results after that are dropped
  bool deadlineReached = false;  // the scan's deadline passed before every host started
  std::int64_t elapsedMs = 0;
};

/// Called once per finished host, in completion order, serialised (never two at once), on one of
/// the scan's event loop threads (the calling thread is one of them).
using HostDone = std::function<void(std::size_t index, const ProbeResult& result)>;

/// Raises the soft RLIMIT_NOFILE to the hard limit; returns the soft limit now in force.
unsigned raiseFileLimit();

/// Sockets one host may hold at once (its connections in flight plus the first connects).
[[nodiscard]] unsigned socketsPerHost(const ProbeOptions& o);

/// Probes every target, at most `options.concurrency` at once. Returns when all are done, or
/// within ~50 ms after `stop` becomes true: hosts still in flight are dropped (their sockets
/// closed) and never delivered (every delivered result was delivered whole).
ScanStats scanHosts(const std::vector<HostSpec>& targets, const ScanOptions& options,
                    const std::atomic<bool>& stop, HostDone done);

}  // namespace rdpdoctor::probe
