// Fault endpoints: one thread per endpoint polls its listening socket and its connections with a
// short timeout and a stop flag, so the destructor joins promptly.
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <cstdint>
#include <random>
#include <thread>
#include <vector>

#include "fault_wire.hpp"
#include "net.hpp"
#include "process.hpp"
#include "servers.hpp"

namespace rdpdoctor::lab {
namespace {

constexpr int kPollMs = 20;
constexpr std::size_t kMaxRequest = 4096;

struct Connection {
  int fd = -1;
  std::vector<std::uint8_t> input;
};

void closeWithReset(int fd) {
  // SO_LINGER 0: close() sends RST instead of FIN.
  const linger hard{1, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &hard, sizeof(hard));
  ::close(fd);
}

void sendAll(int fd, const std::vector<std::uint8_t>& bytes) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::send(fd, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
    if (n > 0) {
      done += static_cast<std::size_t>(n);
      continue;
    }
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      pollfd p{fd, POLLOUT, 0};
      if (::poll(&p, 1, 1000) > 0) continue;
    }
    return;
  }
}

class FaultServer final : public Server {
 public:
  FaultServer(Kind kind, bool ipv6) : kind_(kind), ipv6_(ipv6) {}
  ~FaultServer() override {
    if (::getpid() != owner_) {
      thread_.detach();  // a fork()ed copy has no such thread; the endpoint is its parent's
      return;
    }
    stop_ = true;
    if (thread_.joinable()) thread_.join();
    for (auto& c : connections_) ::close(c.fd);
    if (filler_ >= 0) ::close(filler_);
    if (listener_ >= 0) ::close(listener_);
  }
  FaultServer(const FaultServer&) = delete;
  FaultServer& operator=(const FaultServer&) = delete;

  [[nodiscard]] std::string address() const override { return loopbackAddress(ipv6_); }
  [[nodiscard]] std::uint16_t port() const override { return port_; }
  [[nodiscard]] std::filesystem::path certificatePem() const override { return {}; }
  [[nodiscard]] std::filesystem::path logFile() const override { return {}; }
  [[nodiscard]] Kind kind() const override { return kind_; }
  [[nodiscard]] std::vector<int> processIds() const override { return {}; }

  Status launch() {
    if (kind_ == Kind::FaultClosed) {
      // Reserved and released: nothing listens there (barring a very unlucky reuse).
      auto port = reserveFreePort(address());
      if (!port) return port.error();
      port_ = *port;
      return okStatus();
    }
    if (kind_ == Kind::FaultFiltered) return launchFiltered();
    auto fd = listenOn(address(), 0, 16);
    if (!fd) return fd.error();
    listener_ = *fd;
    auto port = boundPort(listener_);
    if (!port) return port.error();
    port_ = *port;
    thread_ = std::thread([this] { run(); });
    return okStatus();
  }

 private:
  /// Backlog 0 admits one connection to the accept queue (Linux: full when it holds more than
  /// the backlog); with it never accepted, a later SYN is dropped (tcp_abort_on_overflow 0, the
  /// default) and the client's connect times out. Checked here: an Error when it does not hold.
  Status launchFiltered() {
    auto fd = listenOn(address(), 0, 0);
    if (!fd) return fd.error();
    listener_ = *fd;
    auto port = boundPort(listener_);
    if (!port) return port.error();
    port_ = *port;
    auto filler = connectTo(address(), port_, std::chrono::milliseconds(2000));
    if (!filler) return wrapError(filler.error(), "cannot fill the accept queue");
    filler_ = *filler;
    if (tryConnect(address(), port_, std::chrono::milliseconds(300)) != ConnectOutcome::Timeout)
      return makeError("config",
                       "a full accept queue does not drop SYNs on this machine "
                       "(net.ipv4.tcp_abort_on_overflow?)");
    return okStatus();
  }

  void run() {
    while (!stop_) {
      // A silent endpoint never reads, so it only watches for the peer hanging up.
      const short events = kind_ == Kind::FaultSilent ? POLLRDHUP : (POLLIN | POLLRDHUP);
      std::vector<pollfd> fds;
      fds.push_back({listener_, POLLIN, 0});
      for (const auto& c : connections_) fds.push_back({c.fd, events, 0});
      if (::poll(fds.data(), fds.size(), kPollMs) <= 0) continue;
      std::vector<Connection> kept;
      for (std::size_t i = 0; i + 1 < fds.size(); ++i) {
        auto& c = connections_[i];
        if (fds[i + 1].revents == 0 || serve(c, fds[i + 1].revents)) {
          kept.push_back(std::move(c));
        }
      }
      connections_ = std::move(kept);
      if ((fds[0].revents & POLLIN) != 0) acceptAll();
    }
  }

  void acceptAll() {
    for (;;) {
      const int fd = ::accept4(listener_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (fd < 0) return;
      connections_.push_back({fd, {}});
    }
  }

  /// Handles readiness on one connection; false when it was closed.
  bool serve(Connection& c, short revents) {
    if (kind_ == Kind::FaultSilent) {
      // Never reads: only notices when the peer has gone.
      if ((revents & (POLLRDHUP | POLLHUP | POLLERR)) != 0) {
        ::close(c.fd);
        return false;
      }
      return true;
    }
    std::array<std::uint8_t, 1024> buf{};
    const ssize_t n = ::recv(c.fd, buf.data(), buf.size(), 0);
    if (n <= 0) {
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return true;
      ::close(c.fd);
      return false;
    }
    c.input.insert(c.input.end(), buf.begin(), buf.begin() + n);
    if (kind_ == Kind::FaultGarbage) {
      sendAll(c.fd, garbage());
      ::close(c.fd);
      return false;
    }
    // FaultResetAfterConfirm: wait for the whole TPKT, confirm, reset.
    const auto request = parseConnectionRequest(c.input);
    if (request.state == RequestState::Incomplete && c.input.size() < kMaxRequest) return true;
    if (request.state == RequestState::Complete) {
      sendAll(c.fd, connectionConfirm(request.offersSsl ? kProtocolSsl : kProtocolRdp));
    }
    closeWithReset(c.fd);
    return false;
  }

  std::vector<std::uint8_t> garbage() {
    std::vector<std::uint8_t> bytes(64);
    for (auto& b : bytes) b = static_cast<std::uint8_t>(rng_() & 0xFFU);
    if (bytes[0] == 0x03) bytes[0] = 0xA5;  // never looks like a TPKT header
    return bytes;
  }

  Kind kind_;
  bool ipv6_;
  pid_t owner_ = ::getpid();
  std::uint16_t port_ = 0;
  int listener_ = -1;
  int filler_ = -1;  // FaultFiltered: the connection that fills the accept queue
  std::atomic<bool> stop_{false};
  std::thread thread_;
  std::vector<Connection> connections_;  // owned by thread_ while it runs
  std::minstd_rand rng_{20261122};
};

}  // namespace

Result<std::unique_ptr<Server>> startFault(const ServerOptions& options) {
  auto server = std::make_unique<FaultServer>(options.kind, options.ipv6);
  if (auto st = server->launch(); !st) {
    return wrapError(st.error(), "cannot start " + std::string(toString(options.kind)));
  }
  return std::unique_ptr<Server>(std::move(server));
}

}  // namespace rdpdoctor::lab
