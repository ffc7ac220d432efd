#pragma once
// Runs a set of independent check coroutines with a bounded number in flight (connections to one
// address), on the calling coroutine's executor.
#include <functional>
#include <vector>

#include "io.hpp"

namespace rdpdoctor::probe {

class CheckPool {
 public:
  explicit CheckPool(unsigned width) : width_(width == 0 ? 1 : width) {}
  /// `task` is called when its turn comes and returns the coroutine to await (arguments it needs
  /// are taken by value by the coroutine itself).
  void add(std::function<Task<void>()> task) { tasks_.push_back(std::move(task)); }
  /// Runs every task, at most `width` at once, in order of addition; returns when all are done.
  /// Tasks honour their own deadlines; an exception out of a task ends that task only.
  Task<void> run();

 private:
  unsigned width_;
  std::vector<std::function<Task<void>()>> tasks_;
};

}  // namespace rdpdoctor::probe
