#include "rdpdoctor/probe/scan_engine.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <asio/detached.hpp>
#include <exception>
#include <memory>
#include <optional>

#include "deadline.hpp"
#include "host_probe.hpp"
#include "io.hpp"

namespace rdpdoctor::probe {
namespace {

constexpr auto kStopPoll = std::chrono::milliseconds(50);

/// The scan's state, on the calling thread's io_context (no locks: one thread runs it all).
struct Scan {
  Scan(asio::io_context& io, const std::vector<HostSpec>& t, const ScanOptions& o,
       const std::atomic<bool>& s, HostDone d)
      : targets(t),
        options(o),
        stop(s),
        done(std::move(d)),
        loop(io),
        slotFree(io, Clock::time_point::max()),
        stopPoll(io) {}
  const std::vector<HostSpec>& targets;
  const ScanOptions& options;
  const std::atomic<bool>& stop;
  HostDone done;
  std::optional<Deadline> overall;
  std::chrono::nanoseconds startGap{0};
  unsigned cap = 1;
  std::size_t next = 0;
  std::size_t delivered = 0;
  unsigned running = 0;
  bool deadlineReached = false;
  bool finished = false;
  std::exception_ptr failure;  // thrown by the HostDone callback
  asio::io_context& loop;
  asio::steady_timer slotFree;  // cancelled when a host ends: wakes the launcher
  asio::steady_timer stopPoll;  // cancelled when the last host ends: the loop has nothing left
};

ProbeOptions hostOptions(const Scan& s) {
  ProbeOptions o = s.options.probe;
  if (s.overall) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(s.overall->at() - Clock::now());
    o.totalTimeout = std::max(std::chrono::milliseconds(1), std::min(o.totalTimeout, left));
    o.stepTimeout = std::min(o.stepTimeout, o.totalTimeout);
  }
  return o;
}

Task<void> runHost(Scan& s, std::size_t index) {
  ProbeResult result;
  try {
    result = co_await probeHostTask(s.targets[index], hostOptions(s));
  } catch (...) {  // never expected (checks return values); the host is still counted as done
    result.target = s.targets[index];
  }
  if (!s.stop.load() && !s.failure) {
    try {
      s.done(index, result);
      ++s.delivered;
    } catch (...) {  // the caller's callback failed: end the scan, rethrown by scanHosts
      s.failure = std::current_exception();
      s.loop.stop();
    }
  }
  --s.running;
  s.slotFree.cancel();
}

/// Starts hosts in order, at most `cap` in flight and at most one per `startGap`.
Task<void> launch(Scan& s) {
  const auto ex = co_await asio::this_coro::executor;
  Clock::time_point lastStart{};
  asio::steady_timer gap(ex);
  while (s.next < s.targets.size() && !s.stop.load()) {
    while (s.running >= s.cap) co_await s.slotFree.async_wait(kAsTuple);
    if (s.stop.load()) break;
    if (s.startGap.count() > 0 && lastStart != Clock::time_point{}) {
      gap.expires_at(lastStart + s.startGap);
      co_await gap.async_wait(kAsTuple);
      if (s.stop.load()) break;
    }
    if (s.overall && s.overall->passed()) {
      s.deadlineReached = true;
      break;
    }
    lastStart = Clock::now();
    ++s.running;
    asio::co_spawn(ex, runHost(s, s.next++), asio::detached);
  }
  while (s.running > 0 && !s.stop.load()) co_await s.slotFree.async_wait(kAsTuple);
  s.finished = true;
  s.stopPoll.cancel();
}

/// Ends the loop soon after `stop` is set (a signal handler sets it; no thread to wake).
Task<void> watchStop(Scan& s, asio::io_context& io) {
  while (!s.finished) {
    if (s.stop.load()) {
      io.stop();  // hosts in flight are dropped with the io_context: their sockets close
      co_return;
    }
    s.stopPoll.expires_after(kStopPoll);
    co_await s.stopPoll.async_wait(kAsTuple);
  }
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
  SigpipeBlock sigpipe;
  asio::io_context io(1);
  Scan s(io, targets, options, stop, std::move(done));
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
  s.cap = stats.workers;
  asio::co_spawn(io, launch(s), asio::detached);
  asio::co_spawn(io, watchStop(s, io), asio::detached);
  io.run();
  if (s.failure) std::rethrow_exception(s.failure);
  stats.done = s.delivered;
  stats.interrupted = stop.load() && (s.running > 0 || s.next < targets.size());
  stats.deadlineReached = s.deadlineReached || (s.overall && s.next < targets.size());
  stats.elapsedMs = msSince(start);
  return stats;
}

}  // namespace rdpdoctor::probe
