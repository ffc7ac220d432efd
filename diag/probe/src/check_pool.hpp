#pragma once
// Runs a set of independent checks with a bounded number in flight (connections to one address).
#include <functional>
#include <vector>

namespace rdpdoctor::probe {

class CheckPool {
 public:
  explicit CheckPool(unsigned width) : width_(width == 0 ? 1 : width) {}
  void add(std::function<void()> task) { tasks_.push_back(std::move(task)); }
  /// Runs every task, at most `width` at once, each on a worker thread with SIGPIPE blocked
  /// (OpenSSL writes with write(2)); returns when all are done. Tasks honour their own deadlines.
  void run();

 private:
  unsigned width_;
  std::vector<std::function<void()>> tasks_;
};

}  // namespace rdpdoctor::probe
