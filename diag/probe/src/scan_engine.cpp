#include "rdpdoctor/probe/scan_engine.hpp"

#include <pthread.h>
#include <signal.h>
#include <sys/resource.h>

#include <algorithm>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "deadline.hpp"

namespace rdpdoctor::probe {
namespace {

constexpr auto kStopPoll = std::chrono::milliseconds(50);

/// What the workers share with the caller; the workers hold it alive when the caller left early.
struct Shared {
  std::vector<HostSpec> targets;
  ProbeOptions probe;
  std::chrono::nanoseconds startGap{0};
  std::optional<Deadline> overall;
  HostDone done;
  const std::atomic<bool>* stop = nullptr;

  std::mutex mutex;
  std::condition_variable changed;
  std::size_t next = 0;
  std::size_t delivered = 0;
  unsigned running = 0;
  bool closed = false;  // the caller returned: deliver nothing more
  bool deadlineReached = false;
  Clock::time_point lastStart{};
};

void blockSigpipe() {
  sigset_t pipe;
  sigemptyset(&pipe);
  sigaddset(&pipe, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe, nullptr);
}

/// Takes the next host and its start time; nullopt when there is none (or the scan ended).
std::optional<std::pair<std::size_t, Clock::time_point>> take(Shared& s) {
  std::lock_guard lock(s.mutex);
  if (s.closed || s.stop->load() || s.next >= s.targets.size()) return std::nullopt;
  if (s.overall && s.overall->passed()) {
    s.deadlineReached = true;
    return std::nullopt;
  }
  auto at = Clock::now();
  if (s.startGap.count() > 0) {
    at = std::max(at, s.lastStart + s.startGap);
    s.lastStart = at;
  }
  return std::make_pair(s.next++, at);
}

void work(const std::shared_ptr<Shared>& s) {
  blockSigpipe();
  while (auto job = take(*s)) {
    const auto [index, at] = *job;
    while (Clock::now() < at && !s->stop->load())  // the start rate
      std::this_thread::sleep_for(std::min<Clock::duration>(at - Clock::now(), kStopPoll));
    if (s->stop->load()) break;
    ProbeOptions o = s->probe;
    if (s->overall) {
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(s->overall->at() - Clock::now());
      o.totalTimeout = std::max(std::chrono::milliseconds(1), std::min(o.totalTimeout, left));
      o.stepTimeout = std::min(o.stepTimeout, o.totalTimeout);
    }
    const auto result = probeHost(s->targets[index], o);
    std::lock_guard lock(s->mutex);
    if (!s->closed) {
      s->done(index, result);
      ++s->delivered;
    }
  }
  std::lock_guard lock(s->mutex);
  --s->running;
  s->changed.notify_all();
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
  auto s = std::make_shared<Shared>();
  s->targets = targets;
  s->probe = options.probe;
  s->done = std::move(done);
  s->stop = &stop;
  if (options.ratePerSecond > 0)
    s->startGap = std::chrono::nanoseconds(static_cast<std::int64_t>(1e9 / options.ratePerSecond));
  if (options.overall.count() > 0) s->overall = Deadline::after(options.overall);
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
  s->running = stats.workers;
  for (unsigned i = 0; i < stats.workers; ++i) std::thread([s] { work(s); }).detach();
  std::unique_lock lock(s->mutex);
  while (s->running > 0 && !stop.load()) s->changed.wait_for(lock, kStopPoll);
  s->closed = true;  // a worker still running (after a stop) delivers nothing more
  stats.done = s->delivered;
  stats.interrupted = stop.load() && s->running > 0;
  stats.deadlineReached = s->deadlineReached || (s->overall && s->next < targets.size());
  stats.elapsedMs = msSince(start);
  return stats;
}

}  // namespace rdpdoctor::probe
