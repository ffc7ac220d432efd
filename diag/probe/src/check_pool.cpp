#include "check_pool.hpp"

#include <asio/detached.hpp>
#include <memory>

namespace rdpdoctor::probe {
namespace {

struct PoolState {
  explicit PoolState(const Executor& ex) : allDone(ex, Clock::time_point::max()) {}
  std::vector<std::function<Task<void>()>> tasks;
  std::size_t next = 0;
  std::size_t running = 0;
  asio::steady_timer allDone;  // cancelled by the last worker: wakes run()
};

Task<void> worker(std::shared_ptr<PoolState> s) {
  while (s->next < s->tasks.size()) {
    const std::size_t i = s->next++;
    try {
      co_await s->tasks[i]();
    } catch (...) {  // a failed check is that check's result; the others still run
    }
  }
  if (--s->running == 0) s->allDone.cancel();
}

}  // namespace

Task<void> CheckPool::run() {
  auto s = std::make_shared<PoolState>(co_await asio::this_coro::executor);
  s->tasks = std::move(tasks_);
  tasks_.clear();
  const std::size_t n = std::min<std::size_t>(width_, s->tasks.size());
  s->running = n;
  for (std::size_t i = 0; i < n; ++i)
    asio::co_spawn(s->allDone.get_executor(), worker(s), asio::detached);
  // a worker may finish before it ever waits (every task failing at once): check, then wait
  while (s->running > 0) co_await s->allDone.async_wait(kAsTuple);
}

}  // namespace rdpdoctor::probe
