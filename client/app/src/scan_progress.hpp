#pragma once
// The one-line progress bar of `scan` on a terminal (stderr): done / total, rate, ETA, failing.
#include <chrono>
#include <cstddef>

namespace rdpdoctor::app {

class ScanProgress {
 public:
  ScanProgress(std::size_t total, bool terminal);
  /// Redraws the line (at most every 100 ms, and always at the last host).
  void update(std::size_t done, std::size_t failing);
  /// Erases the line (before other output).
  void clear();

 private:
  std::size_t total_;
  bool terminal_;
  bool shown_ = false;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_{};
};

}  // namespace rdpdoctor::app
