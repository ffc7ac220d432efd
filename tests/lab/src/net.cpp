#include "net.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

namespace rdpdoctor::lab {
namespace {

/// sockaddr for a loopback literal; false for anything that is not an IPv4/IPv6 literal.
bool makeAddress(const std::string& address, std::uint16_t port, sockaddr_storage& out,
                 socklen_t& len) {
  std::memset(&out, 0, sizeof(out));
  sockaddr_in v4{};
  if (::inet_pton(AF_INET, address.c_str(), &v4.sin_addr) == 1) {
    v4.sin_family = AF_INET;
    v4.sin_port = htons(port);
    std::memcpy(&out, &v4, sizeof(v4));
    len = sizeof(v4);
    return true;
  }
  sockaddr_in6 v6{};
  if (::inet_pton(AF_INET6, address.c_str(), &v6.sin6_addr) == 1) {
    v6.sin6_family = AF_INET6;
    v6.sin6_port = htons(port);
    std::memcpy(&out, &v6, sizeof(v6));
    len = sizeof(v6);
    return true;
  }
  return false;
}

const sockaddr* asSockaddr(const sockaddr_storage& s) {
  return reinterpret_cast<const sockaddr*>(&s);  // NOLINT: the sockets API
}

}  // namespace

std::string loopbackAddress(bool ipv6) { return ipv6 ? "::1" : "127.0.0.1"; }

Result<int> listenOn(const std::string& address, std::uint16_t port, int backlog) {
  sockaddr_storage sa{};
  socklen_t len = 0;
  if (!makeAddress(address, port, sa, len)) {
    return makeError("config", "not an address literal: " + address);
  }
  const int fd = ::socket(sa.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return makeError("socket", "socket failed").because(std::strerror(errno));
  const int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  if (sa.ss_family == AF_INET6) ::setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
  if (::bind(fd, asSockaddr(sa), len) != 0 || ::listen(fd, backlog) != 0) {
    const int e = errno;
    ::close(fd);
    return makeError("bind", "cannot listen on " + address + ":" + std::to_string(port))
        .because(std::strerror(e));
  }
  return fd;
}

Result<std::uint16_t> boundPort(int fd) {
  sockaddr_storage sa{};
  socklen_t len = sizeof(sa);
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&sa), &len) != 0) {  // NOLINT
    return makeError("socket", "getsockname failed").because(std::strerror(errno));
  }
  if (sa.ss_family == AF_INET6) {
    sockaddr_in6 v6{};
    std::memcpy(&v6, &sa, sizeof(v6));
    return static_cast<std::uint16_t>(ntohs(v6.sin6_port));
  }
  sockaddr_in v4{};
  std::memcpy(&v4, &sa, sizeof(v4));
  return static_cast<std::uint16_t>(ntohs(v4.sin_port));
}

Result<std::uint16_t> reserveFreePort(const std::string& address) {
  auto fd = listenOn(address, 0, 1);
  if (!fd) return fd.error();
  auto port = boundPort(*fd);
  ::close(*fd);
  return port;
}

namespace {

/// Connects a new socket to address:port within `timeout`; the socket stays open in `fd`.
ConnectOutcome connectSocket(const std::string& address, std::uint16_t port,
                             std::chrono::milliseconds timeout, int& fd) {
  sockaddr_storage sa{};
  socklen_t len = 0;
  fd = -1;
  if (!makeAddress(address, port, sa, len)) return ConnectOutcome::Error;
  fd = ::socket(sa.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return ConnectOutcome::Error;
  if (::connect(fd, asSockaddr(sa), len) == 0) return ConnectOutcome::Connected;
  if (errno == ECONNREFUSED) return ConnectOutcome::Refused;
  if (errno != EINPROGRESS) return ConnectOutcome::Error;
  pollfd p{fd, POLLOUT, 0};
  const int r = ::poll(&p, 1, static_cast<int>(timeout.count()));
  int err = 0;
  socklen_t errLen = sizeof(err);
  if (r == 0) return ConnectOutcome::Timeout;
  if (r < 0 || ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &errLen) != 0)
    return ConnectOutcome::Error;
  if (err != 0) return err == ECONNREFUSED ? ConnectOutcome::Refused : ConnectOutcome::Error;
  return ConnectOutcome::Connected;
}

}  // namespace

ConnectOutcome tryConnect(const std::string& address, std::uint16_t port,
                          std::chrono::milliseconds timeout) {
  int fd = -1;
  const auto outcome = connectSocket(address, port, timeout, fd);
  if (fd >= 0) ::close(fd);
  return outcome;
}

Result<int> connectTo(const std::string& address, std::uint16_t port,
                      std::chrono::milliseconds timeout) {
  int fd = -1;
  const auto outcome = connectSocket(address, port, timeout, fd);
  if (outcome == ConnectOutcome::Connected) return fd;
  if (fd >= 0) ::close(fd);
  const std::string where = address + " port " + std::to_string(port);
  if (outcome == ConnectOutcome::Refused) return makeError("refused", "refused: " + where);
  if (outcome == ConnectOutcome::Timeout) return makeError("timeout", "no answer: " + where);
  return makeError("socket", "cannot connect to " + where);
}

Status waitForTcp(const std::string& address, std::uint16_t port,
                  std::chrono::steady_clock::time_point deadline,
                  const std::function<bool()>& stillAlive) {
  for (;;) {
    if (stillAlive && !stillAlive()) {
      return makeError("exited", "process exited before it accepted tcp on " + address + " port " +
                                     std::to_string(port));
    }
    if (tryConnect(address, port, std::chrono::milliseconds(200)) == ConnectOutcome::Connected) {
      return okStatus();
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      return makeError("timeout", "no tcp listener on " + address + " port " +
                                      std::to_string(port) + " before the deadline");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

}  // namespace rdpdoctor::lab
