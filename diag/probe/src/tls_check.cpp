#include "tls_check.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <cerrno>
#include <memory>

#include "negotiation_check.hpp"
#include "rdpdoctor/probe/capture.hpp"
#include "rdpdoctor/wire/protocols.hpp"

namespace rdpdoctor::probe {
namespace {

struct CtxFree {
  void operator()(SSL_CTX* c) const { SSL_CTX_free(c); }
};
struct SslFree {
  void operator()(SSL* s) const { SSL_free(s); }
};
using CtxPtr = std::unique_ptr<SSL_CTX, CtxFree>;
using SslPtr = std::unique_ptr<SSL, SslFree>;

struct Alerts {
  std::string received;     // from the server
  std::string sent;         // by us
  std::string firstHeader;  // hex of the first record header received
};

void onMessage(int writeP, int /*version*/, int contentType, const void* buf, std::size_t len,
               SSL* /*ssl*/, void* arg) {
  auto* alerts = static_cast<Alerts*>(arg);
  if (writeP != 0 || contentType != SSL3_RT_HEADER || alerts == nullptr ||
      !alerts->firstHeader.empty())
    return;
  const auto* b = static_cast<const std::uint8_t*>(buf);
  alerts->firstHeader = hexPrefix(wire::Bytes(b, b + len));
}

/// The capture's view of the TLS bytes on the socket (OpenSSL reads and writes the fd itself).
long onSocketIo(BIO* bio, int oper, const char* argp, std::size_t /*len*/, int /*argi*/,
                long /*argl*/, int ret, std::size_t* processed) {
  const bool done =
      (oper & BIO_CB_RETURN) != 0 && ret > 0 && processed != nullptr && argp != nullptr;
  const int op = oper & ~BIO_CB_RETURN;
  if (done && (op == BIO_CB_READ || op == BIO_CB_WRITE))
    captureBytes(static_cast<int>(BIO_get_fd(bio, nullptr)), op == BIO_CB_WRITE,
                 reinterpret_cast<const std::uint8_t*>(argp), *processed);
  return ret;
}

void onKeyLog(const SSL* /*ssl*/, const char* line) { captureKeyLogLine(line); }

void onInfo(const SSL* ssl, int where, int ret) {
  if ((where & SSL_CB_ALERT) == 0) return;
  auto* alerts = static_cast<Alerts*>(SSL_get_app_data(ssl));
  if (alerts == nullptr) return;
  std::string& slot = (where & SSL_CB_READ) != 0 ? alerts->received : alerts->sent;
  if (slot.empty()) slot = SSL_alert_desc_string_long(ret);
}

int versionConstant(const std::string& v) {
  if (v == "1.0") return TLS1_VERSION;
  if (v == "1.1") return TLS1_1_VERSION;
  if (v == "1.2") return TLS1_2_VERSION;
  return TLS1_3_VERSION;
}

CtxPtr makeContext(const std::string& version, int level) {
  CtxPtr ctx(SSL_CTX_new(TLS_client_method()));
  if (!ctx) return ctx;
  SSL_CTX_set_min_proto_version(ctx.get(), versionConstant(version));
  SSL_CTX_set_max_proto_version(ctx.get(), versionConstant(version));
  SSL_CTX_set_cipher_list(ctx.get(), level == 0 ? "DEFAULT:@SECLEVEL=0" : "DEFAULT");
  SSL_CTX_set_security_level(ctx.get(), level);
  SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_NONE, nullptr);
  SSL_CTX_set_info_callback(ctx.get(), onInfo);
  SSL_CTX_set_keylog_callback(ctx.get(), onKeyLog);
  return ctx;
}

/// The last reason in OpenSSL's error queue of this thread (and clears it).
std::string opensslReason() {
  std::string reason;
  while (const unsigned long e = ERR_get_error()) {
    const char* r = ERR_reason_error_string(e);
    reason = r != nullptr ? r : "error " + std::to_string(ERR_GET_REASON(e));
  }
  return reason;
}

struct Attempt {
  TlsStatus status = TlsStatus::Error;
  std::string reason;
  std::string cipher;
  wire::Bytes der;
};

Attempt failure(int sslError, const Alerts& alerts, int savedErrno) {
  const std::string reason = opensslReason();
  if (!alerts.received.empty()) return {TlsStatus::Refused, "alert " + alerts.received, {}, {}};
  if (alerts.firstHeader.rfind("0300", 0) ==
      0)  // RFC 1006 TPKT: an RDP PDU instead of a ServerHello
    return {TlsStatus::Closed,
            "the server sent an RDP PDU instead of a ServerHello (TPKT " + alerts.firstHeader + ")",
            {},
            {}};
  if (reason == "unsupported protocol" || reason == "wrong ssl version")
    return {TlsStatus::Refused,
            "the server answered with another TLS version (" + reason + ")",
            {},
            {}};
  const bool eof = reason == "unexpected eof while reading" ||
                   (sslError == SSL_ERROR_SYSCALL && reason.empty()) ||
                   sslError == SSL_ERROR_ZERO_RETURN;
  if (eof)
    return {TlsStatus::Closed,
            savedErrno == ECONNRESET ? "reset by the server" : "closed by the server",
            {},
            {}};
  std::string r = reason.empty() ? "ssl error " + std::to_string(sslError) : reason;
  if (!alerts.sent.empty()) r += " (we sent alert " + alerts.sent + ")";
  return {TlsStatus::ClientRefused, r, {}, {}};
}

Attempt succeeded(SSL* ssl) {
  Attempt a{TlsStatus::Ok, {}, {}, {}};
  if (const SSL_CIPHER* c = SSL_get_current_cipher(ssl)) a.cipher = SSL_CIPHER_get_name(c);
  if (X509* cert = SSL_get1_peer_certificate(ssl)) {
    const int len = i2d_X509(cert, nullptr);
    if (len > 0) {
      a.der.resize(static_cast<std::size_t>(len));
      unsigned char* p = a.der.data();
      i2d_X509(cert, &p);
    }
    X509_free(cert);
  }
  return a;
}

/// One handshake on a socket whose Connection Confirm selected SSL or HYBRID.
Task<Attempt> handshake(Socket& s, const std::string& version, int level, const std::string& sni,
                        Deadline deadline) {
  ERR_clear_error();
  auto ctx = makeContext(version, level);
  SslPtr ssl(ctx ? SSL_new(ctx.get()) : nullptr);
  if (!ssl)
    co_return Attempt{
        TlsStatus::Error, "cannot create an OpenSSL context: " + opensslReason(), {}, {}};
  Alerts alerts;
  SSL_set_app_data(ssl.get(), &alerts);
  SSL_set_msg_callback(ssl.get(), onMessage);
  SSL_set_msg_callback_arg(ssl.get(), &alerts);
  SSL_set_fd(ssl.get(), s.fd());
  BIO_set_callback_ex(SSL_get_rbio(ssl.get()), onSocketIo);
  if (!sni.empty())
    SSL_ctrl(ssl.get(), SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
             const_cast<char*>(sni.c_str()));
  for (;;) {
    // other handshakes run on this thread between our steps: the error queue is ours only from
    // here to the end of this step (failure() reads it before the next wait)
    ERR_clear_error();
    errno = 0;
    const int rc = SSL_connect(ssl.get());
    if (rc == 1) co_return succeeded(ssl.get());
    const int err = SSL_get_error(ssl.get(), rc);
    const int saved = errno;
    if (err != SSL_ERROR_WANT_READ && err != SSL_ERROR_WANT_WRITE)
      co_return failure(err, alerts, saved);
    using Wait = asio::posix::descriptor_base;
    auto ready = co_await s.waitFor(err == SSL_ERROR_WANT_READ ? Wait::wait_read : Wait::wait_write,
                                    deadline);
    if (ready && !*ready)
      co_return Attempt{TlsStatus::Timeout, "no TLS answer before the deadline", {}, {}};
    if (!ready)
      co_return Attempt{TlsStatus::Error, "wait failed: " + ready.error().message(), {}, {}};
  }
}

bool tlsSelected(const NegotiationCheck& c) {
  return c.status == NegotiationStatus::Selected && c.selected &&
         (*c.selected & (wire::kProtocolSsl | wire::kProtocolHybrid | wire::kProtocolHybridEx)) !=
             0;
}

}  // namespace

Task<TlsVersionOutcome> checkTlsVersion(const Endpoint& to, std::uint32_t requested,
                                        std::string version, std::string sni, Deadline deadline,
                                        Socket carried) {
  const auto start = Clock::now();
  TlsVersionOutcome out;
  out.check.version = version;
  out.check.requested = requested;
  std::string reasons;
  for (int level : {1, 0}) {
    X224Exchange x;
    if (carried.valid()) {
      x.check.status = NegotiationStatus::Selected;
      x.check.selected = wire::kProtocolSsl;
      x.socket = std::move(carried);
    } else {
      x = co_await exchangeX224(to, Socket(), requested, deadline);
    }
    Attempt a;
    if (!tlsSelected(x.check)) {
      a.status =
          x.check.status == NegotiationStatus::Timeout ? TlsStatus::Timeout : TlsStatus::Error;
      a.reason = "the X.224 exchange did not select TLS: " + std::string(toString(x.check.status)) +
                 " " + x.check.detail;
    } else {
      a = co_await handshake(x.socket, version, level, sni, deadline);
    }
    reasons += (reasons.empty() ? "" : "; ") + ("level " + std::to_string(level) + ": ") +
               (a.status == TlsStatus::Ok ? "ok" : a.reason);
    out.check.status = a.status;
    out.check.reason = reasons;
    if (a.status == TlsStatus::Ok) {
      out.check.secLevel = level;
      out.check.cipher = a.cipher;
      out.certificateDer = std::move(a.der);
      break;
    }
    const bool decisive = a.status == TlsStatus::Timeout || a.reason == "alert protocol version" ||
                          a.reason.rfind("the server answered with another TLS version", 0) == 0;
    if (decisive || deadline.passed()) break;
  }
  out.check.elapsedMs = msSince(start);
  co_return out;
}

}  // namespace rdpdoctor::probe
