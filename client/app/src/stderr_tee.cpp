#include "stderr_tee.hpp"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <array>
#include <cstdio>

namespace rdpdoctor::app {
namespace {

constexpr std::array<const char*, 7> kLevels = {"trace", "debug",    "info", "warning",
                                                "error", "critical", "off"};

int rankOf(const std::string& level) {
  if (level == "warn") return 3;
  for (std::size_t i = 0; i < kLevels.size(); ++i)
    if (level == kLevels[i]) return static_cast<int>(i);
  return 3;
}

void writeAll(int fd, const char* p, std::size_t n) {
  while (n > 0) {
    const ssize_t w = ::write(fd, p, n);
    if (w <= 0) return;
    p += w;
    n -= static_cast<std::size_t>(w);
  }
}

}  // namespace

StderrTee::StderrTee(const std::string& userLevel) : rank_(rankOf(userLevel)) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return;
  std::fflush(stderr);
  saved_ = ::fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
  ::dup2(fds[1], STDERR_FILENO);  // inherited by the attempt processes (no CLOEXEC on fd 2)
  ::close(fds[1]);
  read_ = fds[0];
  thread_ = std::thread([this] { pump(); });
}

StderrTee::~StderrTee() { (void)finish(); }

void StderrTee::handle(const std::string& line) {
  kept_ += line;
  // "[2026-01-01 10:00:00.000] [attempt] [trace] ...": an attempt's log line and its level
  const auto tag = line.find("] [attempt] [");
  if (tag != std::string::npos) {
    const auto start = tag + 13;
    const auto end = line.find(']', start);
    if (end != std::string::npos && rankOf(line.substr(start, end - start)) < rank_) return;
  }
  writeAll(saved_, line.data(), line.size());
}

void StderrTee::pump() {
  std::array<char, 4096> buf{};
  int afterStop = 0;  // a writer that never pauses does not keep finish() waiting
  for (;;) {
    if (stop_ && ++afterStop > 256) break;
    pollfd p{read_, POLLIN, 0};
    const int n = ::poll(&p, 1, 50);
    if (n > 0) {
      const ssize_t r = ::read(read_, buf.data(), buf.size());
      if (r <= 0) break;
      std::lock_guard lock(mutex_);
      pending_.append(buf.data(), static_cast<std::size_t>(r));
      for (auto nl = pending_.find('\n'); nl != std::string::npos; nl = pending_.find('\n')) {
        handle(pending_.substr(0, nl + 1));
        pending_.erase(0, nl + 1);
      }
      continue;
    }
    std::lock_guard lock(mutex_);
    // a question without a newline (a prompt) goes out when the writer pauses
    if (!pending_.empty() && pending_.front() != '[') {
      handle(pending_);
      pending_.clear();
    }
    if (stop_) break;
  }
}

std::string StderrTee::finish() {
  if (saved_ < 0) return {};
  std::fflush(stderr);
  stop_ = true;
  if (thread_.joinable()) thread_.join();  // drains what is buffered, then stops at a pause
  std::lock_guard lock(mutex_);
  if (!pending_.empty()) handle(pending_);
  pending_.clear();
  ::dup2(saved_, STDERR_FILENO);
  ::close(saved_);
  ::close(read_);
  saved_ = -1;
  return std::move(kept_);
}

}  // namespace rdpdoctor::app
