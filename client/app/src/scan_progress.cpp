#include "scan_progress.hpp"

#include <cstdio>

namespace rdpdoctor::app {

ScanProgress::ScanProgress(std::size_t total, bool terminal)
    : total_(total), terminal_(terminal), start_(std::chrono::steady_clock::now()) {}

void ScanProgress::update(std::size_t done, std::size_t failing) {
  if (!terminal_) return;
  const auto now = std::chrono::steady_clock::now();
  if (done < total_ && now - last_ < std::chrono::milliseconds(100)) return;
  last_ = now;
  const double seconds = std::chrono::duration<double>(now - start_).count();
  const double rate = seconds > 0 ? static_cast<double>(done) / seconds : 0;
  const double eta = rate > 0 ? static_cast<double>(total_ - done) / rate : 0;
  constexpr int kWidth = 30;
  const int filled = total_ == 0 ? kWidth : static_cast<int>(kWidth * done / total_);
  char bar[kWidth + 1];
  for (int i = 0; i < kWidth; ++i) bar[i] = i < filled ? '#' : '.';
  bar[kWidth] = '\0';
  std::fprintf(stderr, "\r\x1b[K[%s] %zu/%zu  %.1f hosts/s  ETA %.0f s  %zu failing", bar, done,
               total_, rate, eta, failing);
  std::fflush(stderr);
  shown_ = true;
}

void ScanProgress::clear() {
  if (!terminal_ || !shown_) return;
  std::fputs("\r\x1b[K", stderr);
  std::fflush(stderr);
  shown_ = false;
}

}  // namespace rdpdoctor::app
