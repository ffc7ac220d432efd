#include "stub_server.hpp"

#include <netinet/in.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include "rdpdoctor/wire/connection_confirm.hpp"
#include "rdpdoctor/wire/connection_request.hpp"
#include "rdpdoctor/wire/mcs_connect_response.hpp"
#include "rdpdoctor/wire/protocols.hpp"
#include "rdpdoctor/wire/tpkt.hpp"
#include "session_pdus.hpp"

namespace rdpdoctor::hostile {
namespace {

using Clock = std::chrono::steady_clock;
using wire::Bytes;
constexpr auto kReadTimeout = std::chrono::seconds(20);

/// Waits until `fd` is readable, the server stops, or `timeout`; true when readable.
bool waitReadable(int fd, int wakeFd, std::chrono::milliseconds timeout) {
  const auto until = Clock::now() + timeout;
  for (;;) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now()).count();
    if (left <= 0) return false;
    pollfd p[2] = {{fd, POLLIN, 0}, {wakeFd, POLLIN, 0}};
    const int n = ::poll(p, 2, static_cast<int>(left));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0 || (p[1].revents & POLLIN) != 0) return false;
    if (p[0].revents != 0) return true;
  }
}

/// Sleeps `ms` unless the server stops first; false when stopping.
bool pause(int wakeFd, std::chrono::milliseconds ms) {
  pollfd p{wakeFd, POLLIN, 0};
  return ::poll(&p, 1, static_cast<int>(ms.count())) == 0;
}

std::uint32_t protocolByName(const std::string& name, std::uint32_t requested) {
  if (name == "RDP") return wire::kProtocolRdp;
  if (name == "SSL") return wire::kProtocolSsl;
  if (name == "HYBRID") return wire::kProtocolHybrid;
  // "requested": the best the client offered (a well-behaved server's answer)
  if ((requested & wire::kProtocolHybrid) != 0) return wire::kProtocolHybrid;
  if ((requested & wire::kProtocolSsl) != 0) return wire::kProtocolSsl;
  return wire::kProtocolRdp;
}

class Connection {
 public:
  Connection(int fd, int wakeFd, std::atomic<int>& requests, std::atomic<int>& handshakes,
             SSL_CTX* tls)
      : fd_(fd), wake_(wakeFd), requests_(requests), handshakes_(handshakes), tlsContext_(tls) {}
  ~Connection() {
    if (ssl_ != nullptr) SSL_free(ssl_);
  }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  void run(const std::vector<Step>& steps) {
    for (const auto& s : steps)
      if (!step(s)) return;
  }

 private:
  bool step(const Step& s) {
    if (s.verb == "read-request") return readRequest();
    if (s.verb == "read-any") return readAny();
    if (s.verb == "tls-accept") return tlsAccept();
    if (s.verb == "sleep") return pause(wake_, std::chrono::milliseconds(std::stol(s.arg)));
    if (s.verb == "truncate") {
      truncate_ = std::stoul(s.arg);
      return true;
    }
    if (s.verb == "drip") {
      drip_ = std::chrono::milliseconds(std::stol(s.arg));
      return true;
    }
    if (s.verb == "send-confirm") {
      wire::ConnectionConfirm cc{0, 0x1234,
                                 wire::NegotiationResponse{wire::kExtendedClientDataSupported,
                                                           protocolByName(s.arg, requested_)}};
      return send(wire::buildConnectionConfirm(cc));
    }
    if (s.verb == "send-failure") {
      wire::ConnectionConfirm cc{
          0, 0x1234, wire::NegotiationFailure{0, static_cast<std::uint32_t>(std::stoul(s.arg))}};
      return send(wire::buildConnectionConfirm(cc));
    }
    if (s.verb == "send-no-negotiation") {
      return send(wire::buildConnectionConfirm(
          wire::ConnectionConfirm{0, 0x1234, wire::NoNegotiationData{}}));
    }
    if (s.verb == "send-garbage") {
      Bytes b(std::stoul(s.arg));
      std::uint32_t x = 0x9E3779B9u;
      for (auto& c : b) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        c = static_cast<std::uint8_t>(x);
      }
      if (!b.empty()) b[0] = 0x47;  // never a TPKT version byte
      return send(b);
    }
    if (s.verb == "send-tpkt-length") {
      const auto len = static_cast<std::uint16_t>(std::stoul(s.arg));
      // TPKT header announcing `len` bytes, then the X.224 CC header and nothing more
      return send(Bytes{wire::kTpktVersion, 0, static_cast<std::uint8_t>(len >> 8),
                        static_cast<std::uint8_t>(len & 0xFF), 0x0E, 0xD0, 0x00});
    }
    if (s.verb == "mcs-connect") return mcsConnect();
    if (s.verb == "mcs-join") return mcsJoin();
    if (s.verb == "send-license-valid-client") return send(licenseValidClient());
    if (s.verb == "send-license-error") {  // "ERRORCODE TRANSITION"
      const auto space = s.arg.find(' ');
      return send(licenseError(
          static_cast<std::uint32_t>(std::stoul(s.arg.substr(0, space), nullptr, 0)),
          static_cast<std::uint32_t>(std::stoul(s.arg.substr(space + 1), nullptr, 0))));
    }
    if (s.verb == "send-demand-active") return send(demandActive());
    if (s.verb == "read-font-list") return readFontList();
    if (s.verb == "send-finalization") return send(serverFinalization());
    if (s.verb == "send-error-info")
      return send(setErrorInfo(static_cast<std::uint32_t>(std::stoul(s.arg, nullptr, 0))));
    if (s.verb == "send-ultimatum")
      return send(
          wire::buildDisconnectProviderUltimatum(static_cast<std::uint8_t>(std::stoul(s.arg))));
    if (s.verb == "reset") {
      linger l{1, 0};
      ::setsockopt(fd_, SOL_SOCKET, SO_LINGER, &l, sizeof l);
      return false;
    }
    if (s.verb == "close") {
      if (ssl_ != nullptr) SSL_shutdown(ssl_);
      ::shutdown(fd_, SHUT_WR);
      return false;
    }
    if (s.verb == "hold") {
      char buf[4096];
      while (waitReadable(fd_, wake_, std::chrono::minutes(5)))
        if (receive(buf, sizeof buf) <= 0) break;
      return false;
    }
    return false;
  }

  bool readRequest() {
    Bytes got;
    for (;;) {
      auto need = wire::tpktFrameLength(got);
      if (!need) return false;
      if (got.size() >= *need) break;
      if (!waitReadable(fd_, wake_, kReadTimeout)) return false;
      std::uint8_t buf[512];
      const ssize_t n = ::recv(fd_, buf, std::min(sizeof buf, *need - got.size()), 0);
      if (n <= 0) return false;
      got.insert(got.end(), buf, buf + n);
    }
    auto cr = wire::parseConnectionRequest(got);
    if (!cr) return false;
    if (cr->negotiation_) requested_ = cr->negotiation_->requestedProtocols_;
    ++requests_;
    return true;
  }

  /// The next whole TPKT of the stream (plain or TLS) into `pdu`; false when the client left.
  bool readTpkt(Bytes& pdu) {
    for (;;) {
      auto need = wire::tpktFrameLength(in_);
      if (!need) return false;
      if (in_.size() >= *need) {
        pdu.assign(in_.begin(), in_.begin() + static_cast<std::ptrdiff_t>(*need));
        in_.erase(in_.begin(), in_.begin() + static_cast<std::ptrdiff_t>(*need));
        return true;
      }
      if ((ssl_ == nullptr || SSL_pending(ssl_) == 0) && !waitReadable(fd_, wake_, kReadTimeout))
        return false;
      char buf[4096];
      const long n = receive(buf, sizeof buf);
      if (n <= 0) return false;
      in_.insert(in_.end(), buf, buf + n);
    }
  }

  /// MCS Connect Initial in, Connect Response (TLS: no RDP encryption, no static channel) out.
  bool mcsConnect() {
    Bytes pdu;
    if (!readTpkt(pdu) || domainPduChoice(pdu)) return false;
    return send(mcsConnectResponseForTls(requested_));
  }

  /// Erect Domain, Attach User and every Channel Join answered, up to the client's first data
  /// PDU (its Client Info PDU, MS-RDPBCGR 2.2.1.11): the client then waits for licensing.
  bool mcsJoin() {
    for (Bytes pdu; readTpkt(pdu);) {
      const auto choice = domainPduChoice(pdu);
      if (choice == static_cast<std::uint8_t>(DomainPdu::SendDataRequest)) return true;
      if (choice == static_cast<std::uint8_t>(DomainPdu::AttachUserRequest)) {
        if (!send(attachUserConfirm())) return false;
      } else if (auto channel = joinRequestChannel(pdu)) {
        if (!send(channelJoinConfirm(*channel))) return false;
      } else if (choice != static_cast<std::uint8_t>(DomainPdu::ErectDomainRequest)) {
        return false;
      }
    }
    return false;
  }

  /// The client's answer to the Demand Active, up to its Font List PDU (2.2.1.18), the last
  /// PDU of its finalization.
  bool readFontList() {
    for (Bytes pdu; readTpkt(pdu);)
      if (dataPduType(pdu) == 0x27) return true;
    return false;
  }

  bool readAny() {
    if ((ssl_ == nullptr || SSL_pending(ssl_) == 0) && !waitReadable(fd_, wake_, kReadTimeout))
      return false;
    char buf[4096];
    return receive(buf, sizeof buf) > 0;
  }

  /// One read of the plain socket or, after tls-accept, of the TLS stream.
  long receive(char* buf, std::size_t size) {
    if (ssl_ == nullptr) return static_cast<long>(::recv(fd_, buf, size, 0));
    return SSL_read(ssl_, buf, static_cast<int>(size));
  }

  /// The server side of a TLS handshake on the accepted socket (blocking; the destructor's
  /// shutdown of every client socket ends it when the server stops).
  bool tlsAccept() {
    if (tlsContext_ == nullptr) return false;
    ssl_ = SSL_new(tlsContext_);
    if (ssl_ == nullptr || SSL_set_fd(ssl_, fd_) != 1) return false;
    timeval t{20, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &t, sizeof t);
    if (SSL_accept(ssl_) != 1) return false;
    ++handshakes_;
    return true;
  }

  bool send(const Bytes& all) {
    const std::size_t n = truncate_ ? std::min(*truncate_, all.size()) : all.size();
    truncate_.reset();
    const auto drip = drip_;
    drip_.reset();
    if (ssl_ != nullptr)  // after tls-accept: whole records, no truncation or drip
      return SSL_write(ssl_, all.data(), static_cast<int>(n)) == static_cast<int>(n);
    std::size_t off = 0;
    while (off < n) {
      const std::size_t chunk = drip ? 1 : n - off;
      const ssize_t w = ::send(fd_, all.data() + off, chunk, MSG_NOSIGNAL);
      if (w < 0 && errno == EINTR) continue;
      if (w <= 0) return false;
      off += static_cast<std::size_t>(w);
      if (drip && off < n && !pause(wake_, *drip)) return false;
    }
    return true;
  }

  int fd_;
  int wake_;
  std::atomic<int>& requests_;
  std::atomic<int>& handshakes_;
  SSL_CTX* tlsContext_;
  SSL* ssl_ = nullptr;
  std::uint32_t requested_ = 0;
  Bytes in_;  // bytes read past the last whole TPKT (readTpkt)
  std::optional<std::size_t> truncate_;
  std::optional<std::chrono::milliseconds> drip_;
};

}  // namespace

Result<std::unique_ptr<StubServer>> StubServer::start(std::vector<Step> steps,
                                                      std::shared_ptr<ssl_ctx_st> tls) {
  // OpenSSL writes with write(): a client that has gone must not kill the test with SIGPIPE
  if (tls) ::signal(SIGPIPE, SIG_IGN);
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return makeError("io", "socket failed").because(std::strerror(errno));
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(fd, 64) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
    const std::string why = std::strerror(errno);
    ::close(fd);
    return makeError("io", "cannot listen on 127.0.0.1:0").because(why);
  }
  const int wake = ::eventfd(0, EFD_CLOEXEC);
  if (wake < 0) {
    ::close(fd);
    return makeError("io", "eventfd failed").because(std::strerror(errno));
  }
  return std::unique_ptr<StubServer>(
      new StubServer(fd, wake, ntohs(a.sin_port), std::move(steps), std::move(tls)));
}

StubServer::StubServer(int listenFd, int wakeFd, std::uint16_t port, std::vector<Step> steps,
                       std::shared_ptr<ssl_ctx_st> tls)
    : listenFd_(listenFd),
      wakeFd_(wakeFd),
      port_(port),
      steps_(std::move(steps)),
      tls_(std::move(tls)) {
  acceptor_ = std::thread([this] { acceptLoop(); });
}

StubServer::~StubServer() {
  const std::uint64_t one = 1;
  [[maybe_unused]] const auto w = ::write(wakeFd_, &one, sizeof one);
  acceptor_.join();
  {
    std::lock_guard lock(mutex_);
    for (int fd : clientFds_) ::shutdown(fd, SHUT_RDWR);
  }
  for (auto& t : workers_) t.join();
  ::close(listenFd_);
  ::close(wakeFd_);
}

void StubServer::acceptLoop() {
  for (;;) {
    pollfd p[2] = {{listenFd_, POLLIN, 0}, {wakeFd_, POLLIN, 0}};
    if (::poll(p, 2, -1) < 0 && errno == EINTR) continue;
    if ((p[1].revents & POLLIN) != 0) return;
    const int fd = ::accept4(listenFd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    ++connections_;
    std::lock_guard lock(mutex_);
    clientFds_.push_back(fd);
    workers_.emplace_back([this, fd] { serve(fd); });
  }
}

void StubServer::serve(int fd) {
  Connection(fd, wakeFd_, requests_, handshakes_, tls_.get()).run(steps_);
  std::lock_guard lock(mutex_);
  std::erase(clientFds_, fd);
  ::close(fd);
}

}  // namespace rdpdoctor::hostile
