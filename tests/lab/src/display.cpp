// Xvfb on a free display number: skip numbers with a lock file or socket, start, and wait for
// the socket (the server may still lose a race for the number: then the next one is tried).
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <random>
#include <thread>

#include "process.hpp"
#include "rdpdoctor/lab/lab.hpp"

namespace rdpdoctor::lab {
namespace {

constexpr int kFirstDisplay = 100;
constexpr int kDisplayRange = 800;
constexpr int kDisplayAttempts = 8;

std::filesystem::path socketOf(int n) { return "/tmp/.X11-unix/X" + std::to_string(n); }
std::filesystem::path lockOf(int n) { return "/tmp/.X" + std::to_string(n) + "-lock"; }

bool displayTaken(int n) {
  std::error_code ec;
  return std::filesystem::exists(socketOf(n), ec) || std::filesystem::exists(lockOf(n), ec);
}

std::string colourArg(std::uint32_t rgb) {
  char buf[8];
  std::snprintf(buf, sizeof(buf), "#%06x", static_cast<unsigned>(rgb & 0xFFFFFFU));
  return buf;
}

class XvfbDisplay final : public Display {
 public:
  ~XvfbDisplay() override { process_.stop(); }
  XvfbDisplay() = default;
  XvfbDisplay(const XvfbDisplay&) = delete;
  XvfbDisplay& operator=(const XvfbDisplay&) = delete;

  [[nodiscard]] int number() const override { return number_; }
  [[nodiscard]] std::vector<int> processIds() const override {
    return process_.pid() > 0 ? std::vector<int>{process_.pid()} : std::vector<int>{};
  }

  Status launch(const DisplayOptions& options) {
    if (dir_.path().empty()) return makeError("io", "cannot create a temporary directory");
    const auto deadline = std::chrono::steady_clock::now() + options.readyTimeout;
    std::minstd_rand pick(static_cast<unsigned>(::getpid()) ^
                          static_cast<unsigned>(std::chrono::steady_clock::now()
                                                    .time_since_epoch()
                                                    .count()));
    Error last = makeError("exited", "no free display number");
    for (int attempt = 0; attempt < kDisplayAttempts; ++attempt) {
      int n = kFirstDisplay + static_cast<int>(pick() % kDisplayRange);
      while (displayTaken(n)) n = kFirstDisplay + static_cast<int>(pick() % kDisplayRange);
      auto st = launchOn(n, options, deadline);
      if (st) return paint(options);
      last = st.error();
      if (st.error().code != "exited") break;
    }
    return last;
  }

 private:
  Status launchOn(int n, const DisplayOptions& options,
                  std::chrono::steady_clock::time_point deadline) {
    const auto log = dir_.path() / ("xvfb-" + std::to_string(n) + ".log");
    const auto screen = std::to_string(options.width) + "x" + std::to_string(options.height) +
                        "x24";
    auto child = ChildProcess::spawn({{"Xvfb", ":" + std::to_string(n), "-screen", "0", screen,
                                       "-nolisten", "tcp", "-noreset"},
                                      {},
                                      dir_.path(),
                                      log});
    if (!child) return child.error();
    process_ = std::move(*child);
    number_ = n;
    for (;;) {
      std::error_code ec;
      if (std::filesystem::exists(socketOf(n), ec) && process_.running()) return okStatus();
      if (!process_.running()) {
        return makeError("exited", "Xvfb :" + std::to_string(n) + " exited")
            .because(logTail(log, 600));
      }
      if (std::chrono::steady_clock::now() >= deadline) {
        process_.stop();
        return makeError("timeout", "Xvfb :" + std::to_string(n) + " did not create its socket");
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }

  Status paint(const DisplayOptions& options) {
    if (!options.rootColour) return okStatus();
    // The socket appears just before the server accepts clients: xsetroot gets a few tries.
    Status st = okStatus();
    for (int i = 0; i < 20; ++i) {
      st = runChecked({{"xsetroot", "-solid", colourArg(*options.rootColour)},
                       {{"DISPLAY", name()}},
                       dir_.path(),
                       dir_.path() / "xsetroot.log"},
                      std::chrono::milliseconds(5000));
      if (st) return st;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return wrapError(st.error(), "cannot paint the root window of " + name());
  }

  TempDir dir_;
  int number_ = -1;
  ChildProcess process_;
};

}  // namespace

Result<std::unique_ptr<Display>> startDisplay(const DisplayOptions& options) {
  auto display = std::make_unique<XvfbDisplay>();
  if (auto st = display->launch(options); !st) return wrapError(st.error(), "cannot start Xvfb");
  return std::unique_ptr<Display>(std::move(display));
}

}  // namespace rdpdoctor::lab
