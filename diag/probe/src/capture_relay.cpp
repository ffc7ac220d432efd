// The recording relay: one thread, poll() over the listening socket, a wake-up pipe and both
// sockets of every forwarded connection.
#include "rdpdoctor/probe/capture_relay.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <list>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "rdpdoctor/probe/capture.hpp"
#include "resolver.hpp"
#include "socket.hpp"

namespace rdpdoctor::probe {
namespace {

constexpr auto kWriteDeadline = std::chrono::seconds(10);

/// Owns a file descriptor (the relay's own poll loop, not the probe's event loop).
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(Fd&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
  Fd& operator=(Fd&& o) noexcept {
    if (this != &o) {
      if (fd_ >= 0) ::close(fd_);
      fd_ = std::exchange(o.fd_, -1);
    }
    return *this;
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  [[nodiscard]] int fd() const { return fd_; }
  [[nodiscard]] bool valid() const { return fd_ >= 0; }

 private:
  int fd_ = -1;
};

/// One forwarded connection: the client's socket (accepted) and ours to the server.
struct Pair {
  Fd client;
  Fd server;
  bool clientDone = false;  // the client closed its side (or failed)
  bool serverDone = false;  // idem, the server
};

/// The server's address dialled with the probe's own resolver and connect (so the capture knows
/// the connection from here on: captureConnected), on a short-lived event loop; -1 when none.
Task<int> dialServer(HostSpec server, Deadline deadline) {
  auto endpoints = co_await resolveHost(server, deadline);
  if (!endpoints) co_return -1;
  for (const auto& e : *endpoints) {
    auto s = co_await connectTcp(e, deadline);
    if (s) co_return s->release();
  }
  co_return -1;
}

/// Writes every byte to a socket; `record`: the capture gets what was sent (the server side
/// only: the capture knows sockets by descriptor, and the client's is not ours).
bool writeAll(int fd, const std::uint8_t* data, std::size_t size, bool record) {
  const Deadline deadline = Deadline::after(kWriteDeadline);
  std::size_t done = 0;
  while (done < size) {
    const ssize_t n = ::send(fd, data + done, size - done, MSG_NOSIGNAL);
    if (n > 0) {
      if (record) captureBytes(fd, true, data + done, static_cast<std::size_t>(n));
      done += static_cast<std::size_t>(n);
      continue;
    }
    if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) return false;
    pollfd p{fd, POLLOUT, 0};
    if (::poll(&p, 1, deadline.pollMs()) <= 0 && deadline.passed()) return false;
  }
  return true;
}

}  // namespace

struct CaptureRelay::State {
  Fd listener;
  std::string address = "127.0.0.1";
  std::uint16_t port = 0;
  HostSpec server;
  std::chrono::milliseconds connectTimeout{5000};
  std::array<int, 2> wake{-1, -1};
  std::thread thread;
  std::list<Pair> pairs;  // the relay thread's only

  mutable std::mutex mutex;
  std::condition_variable changed;
  std::size_t open = 0;
  std::size_t forwarded = 0;

  ~State() {
    for (int fd : wake)
      if (fd >= 0) ::close(fd);
  }

  void accept() {
    Fd client(::accept4(listener.fd(), nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC));
    if (!client.valid()) return;
    Fd to(runToCompletion(dialServer(server, Deadline::after(connectTimeout))));
    if (!to.valid()) return;
    pairs.push_back(Pair{std::move(client), std::move(to)});
    std::lock_guard lock(mutex);
    ++open;
    ++forwarded;
    changed.notify_all();
  }

  /// Moves what one side has to the other. False when the pair is broken.
  bool pump(Pair& p, bool fromClient) {
    std::array<std::uint8_t, 16384> buf{};
    const int from = fromClient ? p.client.fd() : p.server.fd();
    const ssize_t n = ::recv(from, buf.data(), buf.size(), 0);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) return true;
    if (n <= 0) {  // closed (or reset): pass the close on
      (fromClient ? p.clientDone : p.serverDone) = true;
      ::shutdown(fromClient ? p.server.fd() : p.client.fd(), SHUT_WR);
      return n == 0;
    }
    const auto size = static_cast<std::size_t>(n);
    if (fromClient) return writeAll(p.server.fd(), buf.data(), size, true);
    captureBytes(p.server.fd(), false, buf.data(), size);
    return writeAll(p.client.fd(), buf.data(), size, false);
  }

  void run() {
    for (;;) {
      std::vector<pollfd> fds{{wake[0], POLLIN, 0}, {listener.fd(), POLLIN, 0}};
      std::vector<std::pair<Pair*, bool>> owners;  // fds[2 + i] belongs to owners[i]
      for (auto& p : pairs) {
        if (!p.clientDone) {
          fds.push_back({p.client.fd(), POLLIN, 0});
          owners.emplace_back(&p, true);
        }
        if (!p.serverDone) {
          fds.push_back({p.server.fd(), POLLIN, 0});
          owners.emplace_back(&p, false);
        }
      }
      if (::poll(fds.data(), fds.size(), -1) < 0) {
        if (errno == EINTR) continue;
        return;
      }
      if (fds[0].revents != 0) return;
      for (std::size_t i = 0; i < owners.size(); ++i) {
        if (fds[i + 2].revents == 0) continue;
        auto& [pair, fromClient] = owners[i];
        if (!pump(*pair, fromClient)) pair->clientDone = pair->serverDone = true;
      }
      const std::size_t before = pairs.size();
      pairs.remove_if([](const Pair& p) { return p.clientDone && p.serverDone; });
      if (pairs.size() != before) {
        std::lock_guard lock(mutex);
        open = pairs.size();
        changed.notify_all();
      }
      if (fds[1].revents != 0) accept();
    }
  }
};

CaptureRelay::CaptureRelay(std::unique_ptr<State> state) : state_(std::move(state)) {}

Result<std::unique_ptr<CaptureRelay>> CaptureRelay::start(
    const HostSpec& server, std::chrono::milliseconds connectTimeout) {
  auto st = std::make_unique<State>();
  st->server = server;
  st->connectTimeout = connectTimeout;
  st->listener = Fd(::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!st->listener.valid()) return makeError("io", "relay socket").because(std::strerror(errno));
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  if (::bind(st->listener.fd(), reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
      ::listen(st->listener.fd(), 4) != 0 ||
      ::getsockname(st->listener.fd(), reinterpret_cast<sockaddr*>(&a), &len) != 0)
    return makeError("io", "relay listen on 127.0.0.1").because(std::strerror(errno));
  st->port = ntohs(a.sin_port);
  if (::pipe2(st->wake.data(), O_CLOEXEC) != 0)
    return makeError("io", "relay pipe").because(std::strerror(errno));
  State* raw = st.get();
  st->thread = std::thread([raw] { raw->run(); });
  return std::unique_ptr<CaptureRelay>(new CaptureRelay(std::move(st)));
}

CaptureRelay::~CaptureRelay() {
  const char stop = 's';
  (void)!::write(state_->wake[1], &stop, 1);
  state_->thread.join();
}

const std::string& CaptureRelay::address() const { return state_->address; }
std::uint16_t CaptureRelay::port() const { return state_->port; }

bool CaptureRelay::waitUntilIdle(std::chrono::milliseconds limit) {
  std::unique_lock lock(state_->mutex);
  return state_->changed.wait_for(lock, limit, [this] { return state_->open == 0; });
}

std::size_t CaptureRelay::forwarded() const {
  std::lock_guard lock(state_->mutex);
  return state_->forwarded;
}

}  // namespace rdpdoctor::probe
