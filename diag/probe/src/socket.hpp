#pragma once
// Non-blocking TCP sockets with a deadline on every wait (the event loop's reactor), and TPKT
// framing on top. Every function that waits is a coroutine on the socket's executor.
#include <sys/socket.h>

#include <asio/posix/stream_descriptor.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "deadline.hpp"
#include "io.hpp"
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

/// Owns a non-blocking file descriptor registered with an executor's reactor; closes it on
/// destruction. Default-constructed: no descriptor.
class Socket {
 public:
  Socket() = default;
  /// Takes `fd` (made non-blocking); invalid when `fd` < 0 or the reactor refuses it.
  Socket(const Executor& ex, int fd);
  [[nodiscard]] int fd() const {  // Asio's native_handle() is not const, and changes nothing
    return d_ ? const_cast<asio::posix::stream_descriptor&>(*d_).native_handle() : -1;
  }
  [[nodiscard]] bool valid() const { return d_ && d_->is_open(); }
  /// Gives the descriptor up (still open, no longer watched); -1 when there is none.
  [[nodiscard]] int release() { return valid() ? d_->release() : -1; }
  /// Until `events` (wait_read / wait_write) or the deadline: true when ready, false on timeout.
  [[nodiscard]] Task<Result<bool>> waitFor(asio::posix::descriptor_base::wait_type events,
                                           Deadline deadline);

 private:
  std::optional<asio::posix::stream_descriptor> d_;
};

/// A short stable name for a socket errno: "refused", "timeout", "unreachable", "reset", ...
[[nodiscard]] std::string errnoCode(int err);

/// Starts a non-blocking connect (the socket is returned at once, maybe still connecting).
[[nodiscard]] Result<Socket> startConnect(const Executor& ex, const Endpoint& to);
/// Waits for a started connect. Errors: errnoCode names ("refused", "timeout", ...).
[[nodiscard]] Task<Status> finishConnect(Socket& s, Deadline deadline);
/// startConnect + finishConnect, on the calling coroutine's executor.
[[nodiscard]] Task<Result<Socket>> connectTcp(const Endpoint& to, Deadline deadline);

/// Sends every byte. Errors: "timeout", "reset", "closed", errnoCode names.
[[nodiscard]] Task<Status> sendAll(Socket& s, const wire::Bytes& bytes, Deadline deadline);

/// Receives exactly one TPKT (RFC 1006) using wire::tpktFrameLength. Errors: "timeout",
/// "closed" (FIN), "reset", "not-tpkt" (context: hex of what arrived). The received bytes so far
/// are appended to `seen` in every case (evidence).
[[nodiscard]] Task<Result<wire::Bytes>> recvTpkt(Socket& s, Deadline deadline, wire::Bytes& seen);

/// Hex of the first `max` bytes, "03 00 00 13 ..." style without spaces: "030000130e...".
[[nodiscard]] std::string hexPrefix(const wire::Bytes& bytes, std::size_t max = 64);

}  // namespace rdpdoctor::probe
