#include "rdpdoctor/probe/scan_engine.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <asio/detached.hpp>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "deadline.hpp"
#include "host_probe.hpp"
#include "io.hpp"

namespace rdpdoctor::probe {
namespace {

constexpr auto kStopPoll = std::chrono::milliseconds(50);
/// Event loops of one scan: one per core, at most this many (the calling thread runs the first).
/// One loop would do the work (about 2 ms of CPU a host), but on a busy machine a single thread
/// waits its turn for a core between every step.
constexpr unsigned kMaxLoops = 4;

/// What every loop of the scan shares (under `mutex`).
struct Shared {
  Shared(const std::vector<HostSpec>& t, const ScanOptions& o, const std::atomic<bool>& s,
         HostDone d)
      : targets(t), options(o), stop(s), done(std::move(d)) {}
  const std::vector<HostSpec>& targets;
  const ScanOptions& options;
  const std::atomic<bool>& stop;
  HostDone done;
  std::optional<Deadline> overall;
  std::chrono::nanoseconds startGap{0};

  std::mutex mutex;
  std::size_t next = 0;
  std::size_t delivered = 0;
  bool deadlineReached = false;
  std::exception_ptr failure;  // thrown by the HostDone callback
  Clock::time_point lastStart{};
};

/// One event loop of the scan, run by one thread (no locks for its own fields).
struct Loop {
  Loop(Shared& sh, unsigned c)
      : shared(sh), cap(c), slotFree(io, Clock::time_point::max()), stopPoll(io) {}
  Shared& shared;
  unsigned cap;
  asio::io_context io{1};
  unsigned running = 0;
  bool finished = false;
  asio::steady_timer slotFree;  // cancelled when a host ends: wakes the launcher
  asio::steady_timer stopPoll;  // cancelled when the last host ends: the loop has nothing left
};

ProbeOptions hostOptions(const Shared& s) {
  ProbeOptions o = s.options.probe;
  if (s.overall) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(s.overall->at() - Clock::now());
    o.totalTimeout = std::max(std::chrono::milliseconds(1), std::min(o.totalTimeout, left));
    o.stepTimeout = std::min(o.stepTimeout, o.totalTimeout);
  }
  return o;
}

/// Takes the next host and its start time (the rate); nullopt when there is none (or the scan
/// ended).
std::optional<std::pair<std::size_t, Clock::time_point>> take(Shared& s) {
  std::lock_guard lock(s.mutex);
  if (s.failure || s.stop.load() || s.next >= s.targets.size()) return std::nullopt;
  if (s.overall && s.overall->passed()) {
    s.deadlineReached = true;
    return std::nullopt;
  }
  auto at = Clock::now();
  if (s.startGap.count() > 0) {
    if (s.lastStart != Clock::time_point{}) at = std::max(at, s.lastStart + s.startGap);
    s.lastStart = at;
  }
  return std::make_pair(s.next++, at);
}

Task<void> runHost(Loop& l, std::size_t index) {
  Shared& s = l.shared;
  ProbeResult result;
  try {
    result = co_await probeHostTask(s.targets[index], hostOptions(s));
  } catch (...) {  // never expected (checks return values); the host is still counted as done
    result.target = s.targets[index];
  }
  {
    std::lock_guard lock(s.mutex);  // one callback at a time, whichever loop finished the host
    if (!s.stop.load() && !s.failure) {
      try {
        s.done(index, result);
        ++s.delivered;
      } catch (...) {  // the caller's callback failed: end the scan, rethrown by scanHosts
        s.failure = std::current_exception();
      }
    }
  }
  --l.running;
  l.slotFree.cancel();
}

/// Starts hosts in order, at most the loop's cap in flight and at most one per start gap.
Task<void> launch(Loop& l) {
  const auto ex = co_await asio::this_coro::executor;
  asio::steady_timer gap(ex);
  for (;;) {
    while (l.running >= l.cap) co_await l.slotFree.async_wait(kAsTuple);
    auto job = take(l.shared);
    if (!job) break;
    if (job->second > Clock::now()) {
      gap.expires_at(job->second);
      co_await gap.async_wait(kAsTuple);
    }
    if (l.shared.stop.load()) break;  // a host taken but never started is not delivered
    ++l.running;
    asio::co_spawn(ex, runHost(l, job->first), asio::detached);
  }
  while (l.running > 0 && !l.shared.stop.load()) co_await l.slotFree.async_wait(kAsTuple);
  l.finished = true;
  l.stopPoll.cancel();
}

/// Ends the loop soon after `stop` is set (a signal handler sets it; no thread to wake) or the
/// callback failed.
Task<void> watchStop(Loop& l) {
  for (;;) {
    bool failed = false;
    {
      std::lock_guard lock(l.shared.mutex);
      failed = l.shared.failure != nullptr;
    }
    // the stop first: launch() also finishes when it sees the stop, with hosts still in flight
    // (a silent one would hold the loop until its own timeout)
    if (l.shared.stop.load() || failed) {
      l.io.stop();  // hosts in flight are dropped with the io_context: their sockets close
      co_return;
    }
    if (l.finished) co_return;
    l.stopPoll.expires_after(kStopPoll);
    co_await l.stopPoll.async_wait(kAsTuple);
  }
}

void runLoop(Loop& l) {
  SigpipeBlock sigpipe;
  asio::co_spawn(l.io, launch(l), asio::detached);
  asio::co_spawn(l.io, watchStop(l), asio::detached);
  l.io.run();
}

}  // namespace

unsigned raiseFileLimit() {
  rlimit l{};
  if (::getrlimit(RLIMIT_NOFILE, &l) != 0) return 256;
  if (l.rlim_cur < l.rlim_max) {
    rlimit want = l;
    want.rlim_cur = l.rlim_max;
    if (::setrlimit(RLIMIT_NOFILE, &want) == 0) l = want;
  }
  return static_cast<unsigned>(std::min<rlim_t>(l.rlim_cur, 1U << 20));
}

unsigned socketsPerHost(const ProbeOptions& o) { return std::max(1U, o.connectionsPerAddress) + 4; }

ScanStats scanHosts(const std::vector<HostSpec>& targets, const ScanOptions& options,
                    const std::atomic<bool>& stop, HostDone done) {
  const auto start = Clock::now();
  Shared s(targets, options, stop, std::move(done));
  if (options.ratePerSecond > 0)
    s.startGap = std::chrono::nanoseconds(static_cast<std::int64_t>(1e9 / options.ratePerSecond));
  if (options.overall.count() > 0) s.overall = Deadline::after(options.overall);
  rlimit l{};
  const unsigned budget =
      options.fdBudget != 0
          ? options.fdBudget
          : (::getrlimit(RLIMIT_NOFILE, &l) == 0
                 ? static_cast<unsigned>(std::min<rlim_t>(l.rlim_cur / 2, 1U << 19))
                 : 128);
  const unsigned cap = std::max(1U, budget / socketsPerHost(options.probe));
  ScanStats stats;
  stats.hosts = targets.size();
  stats.workers = static_cast<unsigned>(std::min<std::size_t>(
      {std::max(1U, options.concurrency), cap, std::max<std::size_t>(1, targets.size())}));
  const unsigned loops =
      std::clamp(std::min(std::thread::hardware_concurrency(), kMaxLoops), 1U, stats.workers);
  std::vector<std::unique_ptr<Loop>> pool;
  for (unsigned i = 0; i < loops; ++i)  // the cap split between the loops
    pool.push_back(
        std::make_unique<Loop>(s, stats.workers / loops + (i < stats.workers % loops ? 1 : 0)));
  std::vector<std::thread> threads;
  for (unsigned i = 1; i < loops; ++i) threads.emplace_back([&l = *pool[i]] { runLoop(l); });
  runLoop(*pool[0]);
  for (auto& t : threads) t.join();
  if (s.failure) std::rethrow_exception(s.failure);
  std::size_t running = 0;
  for (const auto& lp : pool) running += lp->running;
  stats.done = s.delivered;
  stats.interrupted = stop.load() && (running > 0 || s.next < targets.size());
  stats.deadlineReached = s.deadlineReached || (s.overall && s.next < targets.size());
  stats.elapsedMs = msSince(start);
  return stats;
}

}  // namespace rdpdoctor::probe
