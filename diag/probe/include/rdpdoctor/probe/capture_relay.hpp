#pragma once
// A loopback relay that records a connection whose socket is not ours into the running capture
// (capture.hpp): the bundle's own credential-free connection, made by FreeRDP in the attempt
// process. That process dials the relay; the relay dials the server and forwards both ways. The
// capture shows the relay's connection to the server (what the server saw), byte for byte.
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "rdpdoctor/host_spec.hpp"
#include "rdpdoctor/result.hpp"

namespace rdpdoctor::probe {

class CaptureRelay {
 public:
  /// Listens on 127.0.0.1 (an ephemeral port) and forwards every connection it accepts to
  /// `server` (the address to dial and its port, as a Profile dials them), each through its own
  /// TCP connection, opened within `connectTimeout`. Errors: "io" (no listening socket).
  [[nodiscard]] static Result<std::unique_ptr<CaptureRelay>> start(
      const HostSpec& server, std::chrono::milliseconds connectTimeout);
  ~CaptureRelay();  // stops forwarding, closes every socket
  CaptureRelay(const CaptureRelay&) = delete;
  CaptureRelay& operator=(const CaptureRelay&) = delete;

  /// Where to connect: "127.0.0.1" and the port the relay listens on.
  [[nodiscard]] const std::string& address() const;
  [[nodiscard]] std::uint16_t port() const;
  /// Waits until every accepted connection has ended on both sides (the client closed and the
  /// server answered with its close), or `limit` passed. True when all ended.
  bool waitUntilIdle(std::chrono::milliseconds limit);
  /// Connections accepted and forwarded to the server so far.
  [[nodiscard]] std::size_t forwarded() const;

  struct State;

 private:
  explicit CaptureRelay(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace rdpdoctor::probe
