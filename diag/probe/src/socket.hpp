#pragma once
// Non-blocking TCP sockets with a deadline on every wait (poll), and TPKT framing on top.
#include <sys/socket.h>

#include <cstdint>
#include <string>
#include <vector>

#include "deadline.hpp"
#include "rdpdoctor/result.hpp"
#include "rdpdoctor/wire/byte_writer.hpp"

namespace rdpdoctor::probe {

/// One resolved address: what connect() needs and how to print it.
struct Endpoint {
  sockaddr_storage addr{};
  socklen_t length = 0;
  std::string text;  // "127.0.0.1", "::1"
  bool ipv6 = false;
};

/// Owns a file descriptor; closes it on destruction.
class Socket {
 public:
  Socket() = default;
  explicit Socket(int fd) : fd_(fd) {}
  ~Socket();
  Socket(Socket&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  Socket& operator=(Socket&& other) noexcept;
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  [[nodiscard]] int fd() const { return fd_; }
  [[nodiscard]] bool valid() const { return fd_ >= 0; }

 private:
  int fd_ = -1;
};

/// A short stable name for a socket errno: "refused", "timeout", "unreachable", "reset", ...
[[nodiscard]] std::string errnoCode(int err);

/// Starts a non-blocking connect (the socket is returned at once, maybe still connecting).
[[nodiscard]] Result<Socket> startConnect(const Endpoint& to);
/// Waits for a started connect. Errors: errnoCode names ("refused", "timeout", ...).
[[nodiscard]] Status finishConnect(const Socket& s, Deadline deadline);
/// startConnect + finishConnect.
[[nodiscard]] Result<Socket> connectTcp(const Endpoint& to, Deadline deadline);

/// Sends every byte. Errors: "timeout", "reset", "closed", errnoCode names.
[[nodiscard]] Status sendAll(const Socket& s, const wire::Bytes& bytes, Deadline deadline);

/// Receives exactly one TPKT (RFC 1006) using wire::tpktFrameLength. Errors: "timeout",
/// "closed" (FIN), "reset", "not-tpkt" (context: hex of what arrived). The received bytes so far
/// are appended to `seen` in every case (evidence).
[[nodiscard]] Result<wire::Bytes> recvTpkt(const Socket& s, Deadline deadline, wire::Bytes& seen);

/// Hex of the first `max` bytes, "03 00 00 13 ..." style without spaces: "030000130e...".
[[nodiscard]] std::string hexPrefix(const wire::Bytes& bytes, std::size_t max = 64);

}  // namespace rdpdoctor::probe
