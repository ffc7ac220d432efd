#include "socket.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>

#include "rdpdoctor/probe/capture.hpp"
#include "rdpdoctor/wire/tpkt.hpp"

namespace rdpdoctor::probe {

Socket::~Socket() {
  if (fd_ >= 0) ::close(fd_);
}

Socket& Socket::operator=(Socket&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.fd_;
    other.fd_ = -1;
  }
  return *this;
}

std::string errnoCode(int err) {
  switch (err) {
    case ECONNREFUSED:
      return "refused";
    case ETIMEDOUT:
      return "timeout";
    case ENETUNREACH:
    case EHOSTUNREACH:
      return "unreachable";
    case ECONNRESET:
      return "reset";
    case EPIPE:
      return "closed";
    case EADDRNOTAVAIL:
      return "address-unavailable";
    case EAFNOSUPPORT:
      return "no-ipv6";
    default:
      return "errno-" + std::to_string(err);
  }
}

namespace {

Error errnoError(int err, const std::string& what) {
  return makeError(errnoCode(err), what + ": " + std::strerror(err));
}

/// poll() one event until the deadline: true when ready, false on timeout.
Result<bool> waitFor(int fd, short events, Deadline deadline) {
  for (;;) {
    pollfd p{fd, events, 0};
    const int n = ::poll(&p, 1, deadline.pollMs());
    if (n > 0) return true;
    if (n == 0) return false;
    if (errno != EINTR) return errnoError(errno, "poll");
  }
}

}  // namespace

Result<Socket> startConnect(const Endpoint& to) {
  const int family = to.ipv6 ? AF_INET6 : AF_INET;
  Socket s(::socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!s.valid()) return errnoError(errno, "socket");
  const int one = 1;
  ::setsockopt(s.fd(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  if (::connect(s.fd(), reinterpret_cast<const sockaddr*>(&to.addr), to.length) != 0 &&
      errno != EINPROGRESS) {
    return errnoError(errno, "connect to " + to.text);
  }
  return s;
}

Status finishConnect(const Socket& s, Deadline deadline) {
  auto ready = waitFor(s.fd(), POLLOUT, deadline);
  if (!ready) return ready.error();
  if (!*ready) return makeError("timeout", "no answer to the TCP connect before the deadline");
  int err = 0;
  socklen_t len = sizeof err;
  if (::getsockopt(s.fd(), SOL_SOCKET, SO_ERROR, &err, &len) != 0) err = errno;
  if (err != 0) return errnoError(err, "connect");
  captureConnected(s.fd());
  return okStatus();
}

Result<Socket> connectTcp(const Endpoint& to, Deadline deadline) {
  auto s = startConnect(to);
  if (!s) return s.error();
  if (auto st = finishConnect(*s, deadline); !st) return st.error();
  return std::move(s).value();
}

Status sendAll(const Socket& s, const wire::Bytes& bytes, Deadline deadline) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::send(s.fd(), bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
    if (n > 0) {
      captureBytes(s.fd(), true, bytes.data() + done, static_cast<std::size_t>(n));
      done += static_cast<std::size_t>(n);
      continue;
    }
    if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
      return errnoError(errno, "send");
    auto ready = waitFor(s.fd(), POLLOUT, deadline);
    if (!ready) return ready.error();
    if (!*ready)
      return makeError("timeout", "the server did not take our bytes before the deadline");
  }
  return okStatus();
}

Result<wire::Bytes> recvTpkt(const Socket& s, Deadline deadline, wire::Bytes& seen) {
  wire::Bytes buf;
  for (;;) {
    auto need = wire::tpktFrameLength(buf);
    if (!need) {
      seen.insert(seen.end(), buf.begin(), buf.end());
      return makeError("not-tpkt", "not a TPKT (" + need.error().code + "): " + hexPrefix(buf, 16));
    }
    if (*need <= buf.size() && buf.size() >= wire::kTpktHeaderLength) {
      wire::Bytes pdu(buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(*need));
      seen.insert(seen.end(), pdu.begin(), pdu.end());
      return pdu;
    }
    std::array<std::uint8_t, 4096> chunk{};
    const std::size_t want = std::min(chunk.size(), *need - buf.size());
    const ssize_t n = ::recv(s.fd(), chunk.data(), want, 0);
    if (n > 0) {
      captureBytes(s.fd(), false, chunk.data(), static_cast<std::size_t>(n));
      buf.insert(buf.end(), chunk.begin(), chunk.begin() + n);
      continue;
    }
    if (n == 0) {
      seen.insert(seen.end(), buf.begin(), buf.end());
      return makeError("closed", buf.empty() ? "the server closed the connection"
                                             : "the server closed the connection inside a TPKT");
    }
    if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
      seen.insert(seen.end(), buf.begin(), buf.end());
      return errnoError(errno, "recv");
    }
    auto ready = waitFor(s.fd(), POLLIN, deadline);
    if (!ready) return ready.error();
    if (!*ready) {
      seen.insert(seen.end(), buf.begin(), buf.end());
      return makeError("timeout", buf.empty() ? "no answer before the deadline"
                                              : "the answer stopped before the deadline");
    }
  }
}

std::string hexPrefix(const wire::Bytes& bytes, std::size_t max) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < bytes.size() && i < max; ++i) {
    out += kHex[bytes[i] >> 4];
    out += kHex[bytes[i] & 0x0F];
  }
  if (bytes.size() > max) out += "...";
  return out;
}

}  // namespace rdpdoctor::probe
