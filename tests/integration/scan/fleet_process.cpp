#include "fleet_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sstream>

namespace rdpdoctor::scantest {

FleetProcess::FleetProcess(const std::string& binary, int each,
                           std::chrono::milliseconds deadline) {
  int out[2];
  if (::pipe2(out, O_CLOEXEC) != 0) {
    error_ = "pipe failed";
    return;
  }
  pid_ = ::fork();
  if (pid_ == 0) {
    ::dup2(out[1], STDOUT_FILENO);
    const std::string n = std::to_string(each);
    ::execl(binary.c_str(), binary.c_str(), "--each", n.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::close(out[1]);
  if (pid_ < 0) {
    ::close(out[0]);
    error_ = "fork failed";
    return;
  }
  const auto until = std::chrono::steady_clock::now() + deadline;
  std::string text;
  bool ready = false;
  while (!ready) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        until - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    pollfd p{out[0], POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) break;
    char buf[4096];
    const ssize_t n = ::read(out[0], buf, sizeof(buf));
    if (n <= 0) break;
    text.append(buf, static_cast<std::size_t>(n));
    ready = text.find("READY\n") != std::string::npos;
  }
  ::close(out[0]);
  if (!ready) {
    error_ = "rdpdoctor-fleet did not print READY in time: " + text;
    return;
  }
  std::istringstream lines(text);
  std::string spec;
  std::string kind;
  while (lines >> spec && spec != "READY" && lines >> kind) {
    endpoints_.push_back({spec, kind});
    kinds_[spec] = kind;
  }
}

FleetProcess::~FleetProcess() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGTERM);
  int status = 0;
  ::waitpid(pid_, &status, 0);
}

std::string FleetProcess::kindOf(const std::string& hostSpec) const {
  const auto it = kinds_.find(hostSpec);
  return it == kinds_.end() ? "" : it->second;
}

}  // namespace rdpdoctor::scantest
