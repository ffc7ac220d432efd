#include "check_pool.hpp"

#include <pthread.h>
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <thread>

namespace rdpdoctor::probe {

void CheckPool::run() {
  std::atomic<std::size_t> next{0};
  auto worker = [&] {
    sigset_t pipe;
    sigemptyset(&pipe);
    sigaddset(&pipe, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe, nullptr);  // a pending SIGPIPE dies with the thread
    for (std::size_t i = next++; i < tasks_.size(); i = next++) tasks_[i]();
  };
  const std::size_t n = std::min<std::size_t>(width_, tasks_.size());
  std::vector<std::thread> threads;
  threads.reserve(n);
  for (std::size_t i = 0; i < n; ++i) threads.emplace_back(worker);
  for (auto& t : threads) t.join();
  tasks_.clear();
}

}  // namespace rdpdoctor::probe
