// rdpdoctor-fleet [--each N]: ONE process serving N loopback ports of each behaviour
// (nla, tls, negotiate, rdp, pre-vista, refused: bound but not listening, silent) from one
// poll() loop. Prints
// "HOST:PORT KIND" per endpoint, then "READY", and runs until SIGTERM/SIGINT.
// TLS endpoints do a real handshake (TLS 1.2 and 1.3, a self-signed RSA 2048 certificate made at
// start); RDP endpoints answer an MCS Connect Initial with 128-bit encryption at level
// client-compatible whatever was offered (as xrdp does).
#include <fcntl.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "rdpdoctor/wire/connection_confirm.hpp"
#include "rdpdoctor/wire/connection_request.hpp"
#include "rdpdoctor/wire/mcs_connect_response.hpp"
#include "rdpdoctor/wire/protocols.hpp"
#include "rdpdoctor/wire/standard_security.hpp"
#include "rdpdoctor/wire/tpkt.hpp"

namespace {

using namespace rdpdoctor::wire;

enum class Kind { Nla, Tls, Negotiate, Rdp, PreVista, Refused, Silent };
constexpr std::array kKinds = {Kind::Nla,      Kind::Tls,     Kind::Negotiate, Kind::Rdp,
                               Kind::PreVista, Kind::Refused, Kind::Silent};

const char* name(Kind k) {
  switch (k) {
    case Kind::Nla:
      return "nla";
    case Kind::Tls:
      return "tls";
    case Kind::Negotiate:
      return "negotiate";
    case Kind::Rdp:
      return "rdp";
    case Kind::PreVista:
      return "pre-vista";
    case Kind::Refused:
      return "refused";
    case Kind::Silent:
      return "silent";
  }
  return "?";
}

volatile sig_atomic_t gStop = 0;
extern "C" void onStop(int) { gStop = 1; }

enum class Stage { ReadRequest, Handshake, TlsOpen, ReadMcs, Silent };

struct Connection {
  int fd = -1;
  Kind kind = Kind::Silent;
  Stage stage = Stage::ReadRequest;
  std::vector<std::uint8_t> input;
  SSL* ssl = nullptr;
};

/// A loopback socket bound to a free port; listening unless `listen` is false (then a connect is
/// refused while the port stays ours, so no other endpoint can take it).
int listenLoopback(std::uint16_t& port, bool listen = true) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  const int one = 1;
  if (listen) ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(a);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&a), len) != 0 || (listen && ::listen(fd, 64) != 0) ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
    ::close(fd);
    return -1;
  }
  port = ntohs(a.sin_port);
  return fd;
}

/// A self-signed certificate for 127.0.0.1, made now (nothing committed).
SSL_CTX* makeTlsContext() {
  EVP_PKEY* key = EVP_RSA_gen(2048);
  X509* cert = X509_new();
  if (key == nullptr || cert == nullptr) return nullptr;
  ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert), 365L * 24 * 3600);
  X509_set_pubkey(cert, key);
  X509_NAME* subject = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("rdpdoctor-fleet"), -1, -1, 0);
  X509_set_issuer_name(cert, subject);
  X509V3_CTX v3;
  X509V3_set_ctx_nodb(&v3);
  X509V3_set_ctx(&v3, cert, cert, nullptr, nullptr, 0);
  if (X509_EXTENSION* san =
          X509V3_EXT_conf_nid(nullptr, &v3, NID_subject_alt_name, "IP:127.0.0.1")) {
    X509_add_ext(cert, san, -1);
    X509_EXTENSION_free(san);
  }
  X509_sign(cert, key, EVP_sha256());
  SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  SSL_CTX_use_certificate(ctx, cert);
  SSL_CTX_use_PrivateKey(ctx, key);
  X509_free(cert);
  EVP_PKEY_free(key);
  return ctx;
}

void sendBytes(int fd, const Bytes& b) {
  // answers are a few hundred bytes: the socket buffer takes them whole
  (void)::send(fd, b.data(), b.size(), MSG_NOSIGNAL);
}

Bytes confirmSelecting(std::uint32_t protocol) {
  ConnectionConfirm c;
  NegotiationResponse r;
  r.flags_ = kExtendedClientDataSupported;
  r.selectedProtocol_ = protocol;
  c.result_ = r;
  return buildConnectionConfirm(c);
}

Bytes confirmFailing(std::uint32_t code) {
  ConnectionConfirm c;
  NegotiationFailure f;
  f.failureCode_ = code;
  c.result_ = f;
  return buildConnectionConfirm(c);
}

Bytes mcsResponse() {
  McsConnectResponse r;
  ServerCoreData core;
  core.version_ = 0x00080004;
  r.core_ = core;
  ServerNetworkData net;
  net.mcsChannelId_ = 1003;
  r.network_ = net;
  ServerSecurityData sec;
  sec.encryptionMethod_ = kEncryption128Bit;
  sec.encryptionLevel_ = kEncryptionLevelClientCompatible;
  sec.serverRandom_.assign(32, 0x5a);
  sec.serverCertificate_.assign(184, 0x01);
  r.security_ = sec;
  return buildMcsConnectResponse(r);
}

/// What a host of `kind` answers to a request; the next stage (or nullopt: close after sending).
enum class Next { Close, Tls, Mcs };
Next answer(Kind kind, const ConnectionRequest& req, int fd) {
  const std::uint32_t asked = req.negotiation_ ? req.negotiation_->requestedProtocols_ : 0;
  const bool hybrid = (asked & (kProtocolHybrid | kProtocolHybridEx)) != 0;
  const bool ssl = (asked & kProtocolSsl) != 0;
  switch (kind) {
    case Kind::Nla:
      if (!hybrid) return sendBytes(fd, confirmFailing(kHybridRequiredByServer)), Next::Close;
      return sendBytes(fd, confirmSelecting(kProtocolHybrid)), Next::Tls;
    case Kind::Tls:
      if (!ssl) return sendBytes(fd, confirmFailing(kSslRequiredByServer)), Next::Close;
      return sendBytes(fd, confirmSelecting(kProtocolSsl)), Next::Tls;
    case Kind::Negotiate:
      if (hybrid) return sendBytes(fd, confirmSelecting(kProtocolHybrid)), Next::Tls;
      if (ssl) return sendBytes(fd, confirmSelecting(kProtocolSsl)), Next::Tls;
      return sendBytes(fd, confirmSelecting(kProtocolRdp)), Next::Mcs;
    case Kind::Rdp:
      if (ssl || hybrid) return sendBytes(fd, confirmFailing(kSslNotAllowedByServer)), Next::Close;
      return sendBytes(fd, confirmSelecting(kProtocolRdp)), Next::Mcs;
    case Kind::PreVista: {
      ConnectionConfirm c;  // no rdpNegData at all
      sendBytes(fd, buildConnectionConfirm(c));
      return Next::Mcs;
    }
    default:
      return Next::Close;
  }
}

/// One whole TPKT at the front of `input`, or empty (incomplete) / nullopt (not TPKT).
std::optional<std::vector<std::uint8_t>> frontTpkt(std::vector<std::uint8_t>& input) {
  if (input.size() < 4) return std::vector<std::uint8_t>{};
  auto length = tpktFrameLength(input);
  if (!length) return std::nullopt;
  if (input.size() < *length) return std::vector<std::uint8_t>{};
  std::vector<std::uint8_t> pdu(input.begin(), input.begin() + static_cast<long>(*length));
  input.erase(input.begin(), input.begin() + static_cast<long>(*length));
  return pdu;
}

class Fleet {
 public:
  explicit Fleet(SSL_CTX* tls) : tls_(tls) {}

  bool open(Kind kind, std::uint16_t& port) {
    const int fd = listenLoopback(port, kind != Kind::Refused);
    if (fd < 0) return false;
    if (kind == Kind::Refused) {
      reserved_.push_back(fd);  // bound, never listening: connects are refused
      return true;
    }
    listeners_[fd] = kind;
    return true;
  }

  void run() {
    while (gStop == 0) {
      std::vector<pollfd> fds;
      for (const auto& [fd, kind] : listeners_) fds.push_back({fd, POLLIN, 0});
      const std::size_t first = fds.size();
      for (const auto& c : connections_) {
        short events = c.stage == Stage::Silent ? POLLRDHUP : (POLLIN | POLLRDHUP);
        if (c.ssl != nullptr && c.stage == Stage::Handshake && SSL_want_write(c.ssl))
          events |= POLLOUT;
        fds.push_back({c.fd, events, 0});
      }
      if (::poll(fds.data(), fds.size(), 200) <= 0) continue;
      std::vector<Connection> kept;
      for (std::size_t i = 0; i < connections_.size(); ++i) {
        auto& c = connections_[i];
        if (fds[first + i].revents == 0 || serve(c, fds[first + i].revents))
          kept.push_back(c);
        else
          drop(c);
      }
      connections_ = std::move(kept);
      for (std::size_t i = 0; i < first; ++i)
        if ((fds[i].revents & POLLIN) != 0) acceptAll(fds[i].fd);
    }
  }

 private:
  void acceptAll(int listener) {
    for (;;) {
      const int fd = ::accept4(listener, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (fd < 0) return;
      Connection c;
      c.fd = fd;
      c.kind = listeners_[listener];
      c.stage = c.kind == Kind::Silent ? Stage::Silent : Stage::ReadRequest;
      connections_.push_back(std::move(c));
    }
  }

  static void drop(Connection& c) {
    if (c.ssl != nullptr) SSL_free(c.ssl);
    ::close(c.fd);
  }

  /// False when the connection is done.
  bool serve(Connection& c, short revents) {
    if (c.stage == Stage::Silent) return (revents & (POLLRDHUP | POLLHUP | POLLERR)) == 0;
    if (c.stage == Stage::Handshake) return handshake(c);
    if (c.stage == Stage::TlsOpen) {
      std::array<char, 512> buf{};
      const int n = SSL_read(c.ssl, buf.data(), buf.size());
      if (n > 0) return true;
      const int e = SSL_get_error(c.ssl, n);
      return e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE;
    }
    std::array<std::uint8_t, 2048> buf{};
    const ssize_t n = ::recv(c.fd, buf.data(), buf.size(), 0);
    if (n <= 0) return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
    c.input.insert(c.input.end(), buf.begin(), buf.begin() + n);
    auto pdu = frontTpkt(c.input);
    if (!pdu) return false;
    if (pdu->empty()) return c.input.size() < 8192;
    if (c.stage == Stage::ReadMcs) {
      sendBytes(c.fd, mcsResponse());
      return true;  // the client closes
    }
    auto req = parseConnectionRequest(*pdu);
    if (!req) return false;
    switch (answer(c.kind, *req, c.fd)) {
      case Next::Close:
        return true;  // the client reads the failure and closes
      case Next::Mcs:
        c.stage = Stage::ReadMcs;
        return true;
      case Next::Tls:
        c.ssl = SSL_new(tls_);
        SSL_set_fd(c.ssl, c.fd);
        SSL_set_accept_state(c.ssl);
        c.stage = Stage::Handshake;
        return c.input.empty() ? true : false;  // nothing may precede the ClientHello here
    }
    return false;
  }

  static bool handshake(Connection& c) {
    const int r = SSL_do_handshake(c.ssl);
    if (r == 1) {
      c.stage = Stage::TlsOpen;
      return true;
    }
    const int e = SSL_get_error(c.ssl, r);
    ERR_clear_error();
    return e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE;
  }

  SSL_CTX* tls_;
  std::map<int, Kind> listeners_;
  std::vector<int> reserved_;
  std::vector<Connection> connections_;
};

}  // namespace

int main(int argc, char** argv) {
  int each = 1;
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    if (a == "--each" && i + 1 < argc) {
      each = std::atoi(argv[++i]);
    } else {
      std::cerr << "usage: rdpdoctor-fleet [--each N]\n";
      return 2;
    }
  }
  if (each < 1 || each > 2000) {
    std::cerr << "rdpdoctor-fleet: --each must be 1..2000\n";
    return 2;
  }
  rlimit l{};
  if (::getrlimit(RLIMIT_NOFILE, &l) == 0) {
    l.rlim_cur = l.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &l);
  }
  struct sigaction sa {};
  sa.sa_handler = onStop;
  ::sigaction(SIGTERM, &sa, nullptr);
  ::sigaction(SIGINT, &sa, nullptr);
  ::signal(SIGPIPE, SIG_IGN);
  SSL_CTX* tls = makeTlsContext();
  if (tls == nullptr) {
    std::cerr << "rdpdoctor-fleet: cannot make the TLS certificate\n";
    return 1;
  }
  Fleet fleet(tls);
  for (int n = 0; n < each; ++n) {
    for (Kind k : kKinds) {
      std::uint16_t port = 0;
      if (!fleet.open(k, port)) {
        std::cerr << "rdpdoctor-fleet: cannot listen: " << std::strerror(errno) << "\n";
        return 1;
      }
      std::cout << "127.0.0.1:" << port << " " << name(k) << "\n";
    }
  }
  std::cout << "READY" << std::endl;
  fleet.run();
  SSL_CTX_free(tls);
  return 0;
}
