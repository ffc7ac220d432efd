#include "rdpdoctor/lab/relay.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>

namespace rdpdoctor::lab {
namespace {

sockaddr_in loopback(std::uint16_t port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(port);
  return a;
}

/// A whole X.224 Connection Request in one TPKT ending in an RDP Negotiation Request (type 1,
/// length 8): its requestedProtocols (the last four bytes) become PROTOCOL_RDP (0).
void stripRequestedProtocols(char* data, std::size_t n) {
  auto* b = reinterpret_cast<unsigned char*>(data);
  if (n < 4 + 7 + 8 || b[0] != 3) return;
  const std::size_t length = (static_cast<std::size_t>(b[2]) << 8) | b[3];
  if (length != n || b[5] != 0xE0 || b[n - 8] != 0x01 || b[n - 6] != 0x08) return;
  std::fill(b + n - 4, b + n, 0);
}

/// The highest TLS version a ClientHello at the start of `data` offers (RFC 8446 4.1.2: the
/// supported_versions extension when present, else client_version); 0 when it is none.
std::uint16_t offeredTlsVersion(const char* data, std::size_t n) {
  const auto* b = reinterpret_cast<const unsigned char*>(data);
  // TLS record (5) + handshake header (4) + client_version (2) + random (32) + session id length
  if (n < 44 || b[0] != 0x16 || b[1] != 3 || b[5] != 0x01) return 0;
  const auto u16 = [&](std::size_t at) {
    return static_cast<std::uint16_t>((b[at] << 8) | b[at + 1]);
  };
  const std::uint16_t clientVersion = u16(9);
  std::size_t at = 43;
  at += 1 + b[at];  // session id
  if (at + 2 > n) return clientVersion;
  at += 2 + u16(at);  // cipher suites
  if (at + 1 > n) return clientVersion;
  at += 1 + b[at];  // compression methods
  if (at + 2 > n) return clientVersion;
  const std::size_t end = std::min(n, at + 2 + u16(at));
  for (at += 2; at + 4 <= end;) {
    const std::uint16_t type = u16(at), length = u16(at + 2);
    if (type == 0x002b && at + 5 <= end) {  // supported_versions: a 1-byte list length, then pairs
      std::uint16_t best = 0;
      for (std::size_t v = at + 5; v + 2 <= std::min(end, at + 5 + b[at + 4]); v += 2)
        best = std::max(best, u16(v));
      return best;
    }
    at += 4 + length;
  }
  return clientVersion;
}

}  // namespace

Relay::Relay(std::uint16_t upstreamPort) : upstream_(upstreamPort) {
  listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a = loopback(0);
  socklen_t len = sizeof a;
  if (::bind(listener_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
      ::listen(listener_, 8) != 0 ||
      ::getsockname(listener_, reinterpret_cast<sockaddr*>(&a), &len) != 0)
    return;
  port_ = ntohs(a.sin_port);
  acceptor_ = std::thread([this] { acceptLoop(); });
}

Relay::~Relay() {
  refuse();
  stop_ = true;
  cut();
  for (auto& t : pipes_) t.join();
}

std::string Relay::clientBytes() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return fromClients_;
}

void Relay::refuse() {
  accepting_ = false;
  if (acceptor_.joinable()) acceptor_.join();
  if (listener_ >= 0) ::close(listener_);
  listener_ = -1;
}

void Relay::cut() {
  std::lock_guard<std::mutex> lock(mutex_);
  for (int fd : open_) ::shutdown(fd, SHUT_RDWR);
}

void Relay::acceptLoop() {
  while (accepting_) {
    pollfd p{listener_, POLLIN, 0};
    if (::poll(&p, 1, 100) != 1) continue;
    const int client = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
    if (client < 0) continue;
    const int server = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    const sockaddr_in a = loopback(upstream_);
    if (::connect(server, reinterpret_cast<const sockaddr*>(&a), sizeof a) != 0) {
      ::close(client);
      ::close(server);
      continue;
    }
    ++accepted_;
    std::lock_guard<std::mutex> lock(mutex_);
    open_.push_back(client);
    open_.push_back(server);
    pipes_.emplace_back([this, client, server] { pump(client, server); });
  }
}

void Relay::pump(int client, int server) {
  std::array<char, 65536> buf{};
  pollfd p[2] = {{client, POLLIN, 0}, {server, POLLIN, 0}};
  int fromClient = 0;  // client reads so far: the X.224 request, then the ClientHello
  const bool strip = stripTls_;
  const std::uint16_t dropAbove = dropTlsAbove_;
  for (bool open = true; open && !stop_;) {
    if (::poll(p, 2, 100) <= 0) continue;
    for (int i = 0; i < 2 && open; ++i) {
      if (p[i].revents == 0) continue;
      const ssize_t n = ::read(p[i].fd, buf.data(), buf.size());
      if (n > 0 && i == 0) {
        if (fromClient == 0 && strip)
          stripRequestedProtocols(buf.data(), static_cast<std::size_t>(n));
        if (fromClient++ == 1 && dropAbove != 0 &&
            offeredTlsVersion(buf.data(), static_cast<std::size_t>(n)) > dropAbove) {
          ++droppedHellos_;
          open = false;  // the middlebox drops it: no alert, the connection just ends
          break;
        }
        std::lock_guard<std::mutex> lock(mutex_);
        fromClients_.append(buf.data(), static_cast<std::size_t>(n));
      }
      open =
          n > 0 && ::send(p[1 - i].fd, buf.data(), static_cast<std::size_t>(n), MSG_NOSIGNAL) == n;
    }
  }
  std::lock_guard<std::mutex> lock(mutex_);
  for (int fd : {client, server}) {
    ::shutdown(fd, SHUT_RDWR);
    ::close(fd);
    open_.erase(std::remove(open_.begin(), open_.end(), fd), open_.end());
  }
}

}  // namespace rdpdoctor::lab
