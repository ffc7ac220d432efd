#pragma once
// For --bundle: the attempts log at trace level (FreeRDP's WLog lines included) into the bundle,
// while the terminal keeps seeing what it would have seen. The attempt processes inherit our
// stderr, so stderr becomes a pipe for the diagnosis: every byte is kept, and every byte except
// the attempt log lines below the user's --log-level is passed on to the real stderr.
#include <atomic>
#include <mutex>
#include <string>
#include <thread>

namespace rdpdoctor::app {

class StderrTee {
 public:
  /// `userLevel`: the --log-level the user asked for (trace|debug|info|warn|error|off).
  explicit StderrTee(const std::string& userLevel);
  ~StderrTee();
  StderrTee(const StderrTee&) = delete;
  StderrTee& operator=(const StderrTee&) = delete;
  /// Restores stderr and returns everything that went through it.
  [[nodiscard]] std::string finish();

 private:
  void pump();
  void handle(const std::string& line);
  int rank_ = 0;
  int saved_ = -1;  // the real stderr
  int read_ = -1;
  std::atomic<bool> stop_{false};
  std::mutex mutex_;
  std::string kept_;
  std::string pending_;
  std::thread thread_;
};

}  // namespace rdpdoctor::app
