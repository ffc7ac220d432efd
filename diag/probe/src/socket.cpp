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

Socket::Socket(const Executor& ex, int fd) {
  if (fd < 0) return;
  d_.emplace(ex);
  asio::error_code ec;
  d_->assign(fd, ec);
  if (ec) {
    ::close(fd);
    d_.reset();
    return;
  }
  d_->non_blocking(true, ec);
}

Task<Result<bool>> Socket::waitFor(asio::posix::descriptor_base::wait_type events,
                                   Deadline deadline) {
  using namespace asio::experimental::awaitable_operators;
  if (!valid()) co_return makeError("closed", "no socket to wait on");
  auto timer = deadlineTimer(d_->get_executor(), deadline);
  auto r = co_await (d_->async_wait(events, kAsTuple) || timer.async_wait(kAsTuple));
  if (r.index() == 1) {  // the deadline came first; as poll() did, a socket ready by now is ready
    pollfd p{
        fd(),
        static_cast<short>(events == asio::posix::descriptor_base::wait_read ? POLLIN : POLLOUT),
        0};
    co_return ::poll(&p, 1, 0) > 0;
  }
  const auto [ec] = std::get<0>(r);
  if (ec) co_return makeError(errnoCode(ec.value()), "wait: " + ec.message());
  co_return true;
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

}  // namespace

Result<Socket> startConnect(const Executor& ex, const Endpoint& to) {
  const int family = to.ipv6 ? AF_INET6 : AF_INET;
  const int fd = ::socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return errnoError(errno, "socket");
  Socket s(ex, fd);
  if (!s.valid()) return makeError("reactor", "the event loop cannot watch a new socket");
  const int one = 1;
  ::setsockopt(s.fd(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  if (::connect(s.fd(), reinterpret_cast<const sockaddr*>(&to.addr), to.length) != 0 &&
      errno != EINPROGRESS) {
    return errnoError(errno, "connect to " + to.text);
  }
  return s;
}

Task<Status> finishConnect(Socket& s, Deadline deadline) {
  auto ready = co_await s.waitFor(asio::posix::descriptor_base::wait_write, deadline);
  if (!ready) co_return ready.error();
  if (!*ready) co_return makeError("timeout", "no answer to the TCP connect before the deadline");
  int err = 0;
  socklen_t len = sizeof err;
  if (::getsockopt(s.fd(), SOL_SOCKET, SO_ERROR, &err, &len) != 0) err = errno;
  if (err != 0) co_return errnoError(err, "connect");
  captureConnected(s.fd());
  co_return okStatus();
}

Task<Result<Socket>> connectTcp(const Endpoint& to, Deadline deadline) {
  auto s = startConnect(co_await asio::this_coro::executor, to);
  if (!s) co_return s.error();
  if (auto st = co_await finishConnect(*s, deadline); !st) co_return st.error();
  co_return std::move(s).value();
}

Task<Status> sendAll(Socket& s, const wire::Bytes& bytes, Deadline deadline) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::send(s.fd(), bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
    if (n > 0) {
      captureBytes(s.fd(), true, bytes.data() + done, static_cast<std::size_t>(n));
      done += static_cast<std::size_t>(n);
      continue;
    }
    if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
      co_return errnoError(errno, "send");
    auto ready = co_await s.waitFor(asio::posix::descriptor_base::wait_write, deadline);
    if (!ready) co_return ready.error();
    if (!*ready)
      co_return makeError("timeout", "the server did not take our bytes before the deadline");
  }
  co_return okStatus();
}

Task<Result<wire::Bytes>> recvTpkt(Socket& s, Deadline deadline, wire::Bytes& seen) {
  wire::Bytes buf;
  for (;;) {
    auto need = wire::tpktFrameLength(buf);
    if (!need) {
      seen.insert(seen.end(), buf.begin(), buf.end());
      co_return makeError("not-tpkt",
                          "not a TPKT (" + need.error().code + "): " + hexPrefix(buf, 16));
    }
    if (*need <= buf.size() && buf.size() >= wire::kTpktHeaderLength) {
      wire::Bytes pdu(buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(*need));
      seen.insert(seen.end(), pdu.begin(), pdu.end());
      co_return pdu;
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
      co_return makeError("closed", buf.empty() ? "the server closed the connection"
                                                : "the server closed the connection inside a TPKT");
    }
    if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
      seen.insert(seen.end(), buf.begin(), buf.end());
      co_return errnoError(errno, "recv");
    }
    auto ready = co_await s.waitFor(asio::posix::descriptor_base::wait_read, deadline);
    if (!ready) co_return ready.error();
    if (!*ready) {
      seen.insert(seen.end(), buf.begin(), buf.end());
      co_return makeError("timeout", buf.empty() ? "no answer before the deadline"
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
