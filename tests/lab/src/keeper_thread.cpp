#include "keeper_thread.hpp"

#include <unistd.h>

#include <condition_variable>
#include <deque>
#include <future>
#include <mutex>
#include <thread>

namespace rdpdoctor::lab {
namespace {

class KeeperThread {
 public:
  KeeperThread() : owner_(::getpid()) {
    std::thread([this] { run(); }).detach();  // lives until the process exits, on purpose
  }

  [[nodiscard]] pid_t owner() const { return owner_; }

  Result<pid_t> call(const std::function<Result<pid_t>()>& spawn) {
    std::packaged_task<Result<pid_t>()> task(spawn);
    auto result = task.get_future();
    {
      std::lock_guard lock(mutex_);
      queue_.push_back(std::move(task));
    }
    wake_.notify_one();
    return result.get();
  }

 private:
  void run() {
    for (;;) {
      std::packaged_task<Result<pid_t>()> task;
      {
        std::unique_lock lock(mutex_);
        wake_.wait(lock, [this] { return !queue_.empty(); });
        task = std::move(queue_.front());
        queue_.pop_front();
      }
      task();
    }
  }

  pid_t owner_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::packaged_task<Result<pid_t>()>> queue_;
};

KeeperThread& keeper() {
  static auto* instance = new KeeperThread();  // never destroyed: the thread outlives statics
  return *instance;
}

}  // namespace

Result<pid_t> onKeeperThread(const std::function<Result<pid_t>()>& spawn) {
  auto& k = keeper();
  if (::getpid() != k.owner()) return spawn();
  return k.call(spawn);
}

}  // namespace rdpdoctor::lab
