#pragma once
// Starts tests/lab's rdpdoctor-fleet as a child, reads its endpoints until READY (with a
// deadline), and stops it by its PID (never by name).
#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace rdpdoctor::scantest {

struct FleetEndpoint {
  std::string hostSpec;  // "127.0.0.1:PORT"
  std::string kind;      // nla, tls, negotiate, rdp, pre-vista, refused, silent
};

class FleetProcess {
 public:
  /// `each` endpoints of every kind. Check ok() (and error()) after construction.
  FleetProcess(const std::string& binary, int each,
               std::chrono::milliseconds deadline = std::chrono::milliseconds(20000));
  ~FleetProcess();
  FleetProcess(const FleetProcess&) = delete;
  FleetProcess& operator=(const FleetProcess&) = delete;

  [[nodiscard]] bool ok() const { return error_.empty(); }
  [[nodiscard]] const std::string& error() const { return error_; }
  [[nodiscard]] const std::vector<FleetEndpoint>& endpoints() const { return endpoints_; }
  /// The kind of the endpoint "127.0.0.1:PORT" ("" when not one of ours).
  [[nodiscard]] std::string kindOf(const std::string& hostSpec) const;
  [[nodiscard]] int pid() const { return pid_; }

 private:
  int pid_ = -1;
  std::string error_;
  std::vector<FleetEndpoint> endpoints_;
  std::map<std::string, std::string> kinds_;
};

}  // namespace rdpdoctor::scantest
