#include "rdpdoctor/probe/prober.hpp"

#include <algorithm>
#include <cstring>
#include <memory>
#include <optional>

#include "check_pool.hpp"
#include "host_probe.hpp"
#include "negotiation_check.hpp"
#include "rdp_security_check.hpp"
#include "rdpdoctor/probe/certificate_info.hpp"
#include "rdpdoctor/wire/protocols.hpp"
#include "rdpdoctor/wire/standard_security.hpp"
#include "resolver.hpp"
#include "tls_check.hpp"

namespace rdpdoctor::probe {
namespace {

using namespace wire;

Task<void> finishOne(Socket& s, AddressResult& out, Clock::time_point start, Deadline deadline) {
  auto st = co_await finishConnect(s, deadline);
  out.tcp = st ? "ok" : st.error().code;
  if (st) out.connectMs = msSince(start);
  if (!st) out.detail = st.error().message();
  if (!st) s = Socket();
}

/// Connects to every address at once; returns the sockets (invalid where the connect failed).
Task<std::vector<Socket>> connectAll(const std::vector<Endpoint>& endpoints, Deadline deadline,
                                     std::vector<AddressResult>& out) {
  const auto start = Clock::now();
  const auto ex = co_await asio::this_coro::executor;
  std::vector<Socket> sockets(endpoints.size());
  CheckPool pool(static_cast<unsigned>(std::max<std::size_t>(1, endpoints.size())));
  for (std::size_t i = 0; i < endpoints.size(); ++i) {
    out.push_back({endpoints[i].text, endpoints[i].ipv6, "not-tried", {}, -1});
    auto s = startConnect(ex, endpoints[i]);
    if (!s) {
      out[i].tcp = s.error().code;
      out[i].detail = s.error().message();
      continue;
    }
    sockets[i] = std::move(*s);
    pool.add([&sockets, &out, i, start, deadline] {
      return finishOne(sockets[i], out[i], start, deadline);
    });
  }
  co_await pool.run();
  co_return sockets;
}

bool selectedTls(const NegotiationCheck& c) {
  return c.status == NegotiationStatus::Selected && c.selected &&
         (*c.selected & (kProtocolSsl | kProtocolHybrid | kProtocolHybridEx)) != 0;
}

/// The request to put in front of each TLS handshake: plain SSL if the server selects it, else a
/// request whose answer was a TLS-based protocol (HYBRID for an NLA-only host); 0 when none.
std::optional<std::uint32_t> tlsRequest(const std::vector<NegotiationCheck>& checks) {
  for (const auto& c : checks)
    if (c.requested == kProtocolSsl && selectedTls(c)) return c.requested;
  for (const auto& c : checks)
    if (selectedTls(c)) return c.requested;
  return std::nullopt;
}

bool rdpOffered(const std::vector<NegotiationCheck>& checks) {
  return std::any_of(checks.begin(), checks.end(), [](const NegotiationCheck& c) {
    return c.status == NegotiationStatus::NoNegotiation ||
           (c.status == NegotiationStatus::Selected && c.selected && *c.selected == kProtocolRdp &&
            c.requested == kProtocolRdp);
  });
}

void finishTls(ProbeResult& r, std::vector<TlsVersionOutcome>& outcomes) {
  for (auto it = outcomes.rbegin(); it != outcomes.rend(); ++it) {
    if (it->check.status != TlsStatus::Ok) continue;
    if (!r.tls.minSecLevel || *it->check.secLevel > *r.tls.minSecLevel)
      r.tls.minSecLevel = it->check.secLevel;
    if (r.tls.cipher.empty()) {
      r.tls.cipher = it->check.cipher;
      r.tls.cipherVersion = it->check.version;
    }
    if (!r.tls.certificate && !it->certificateDer.empty()) {
      auto info =
          describeCertificate(it->certificateDer, r.target.host, std::chrono::system_clock::now());
      if (info)
        r.tls.certificate = *info;
      else
        r.tls.certificateError = info.error().message();
    }
  }
  for (auto& o : outcomes) r.tls.versions.push_back(std::move(o.check));
}

void finishRdp(ProbeResult& r) {
  for (const auto& c : r.rdp.checks) {
    if (c.status == "accepted") r.rdp.methods |= c.offered;
    if (c.status == "no-encryption") r.rdp.unencrypted = true;
    if (c.level && !r.rdp.level) r.rdp.level = c.level;
    if (c.serverVersion && !r.rdp.serverVersion) r.rdp.serverVersion = c.serverVersion;
  }
}

/// The checks of one address. Every negotiation connection that selected a protocol carries one
/// not yet claimed TLS version or RDP method check on (fewer connections: xrdp and the shadow
/// server spend tens of milliseconds on each); the rest run in the security step.
class AddressRun {
 public:
  AddressRun(const Endpoint& to, const ProbeOptions& o, ProbeResult& r)
      : to_(to),
        o_(o),
        r_(r),
        tls_(std::size(kTlsVersions)),
        tlsClaimed_(tls_.size(), false),
        rdpClaimed_(std::size(kEncryptionMethods), false) {
    sni_ = r.target.ipv6Literal || isLoopbackLiteral(r.target.host) ? "" : r.target.host;
    for (std::size_t i = 0; i < tls_.size(); ++i)
      tls_[i].check.version = std::string(kTlsVersions[i]);
    r_.rdp.checks.resize(std::size(kEncryptionMethods));
    for (std::size_t i = 0; i < r_.rdp.checks.size(); ++i)
      r_.rdp.checks[i].offered = kEncryptionMethods[i];
  }

  Task<void> negotiate(Socket first, Deadline deadline) {
    const auto sets = o_.requestSets.empty() ? defaultRequestSets() : o_.requestSets;
    r_.negotiation.resize(sets.size());
    CheckPool pool(o_.connectionsPerAddress);
    auto shared = std::make_shared<Socket>(std::move(first));
    for (std::size_t i = 0; i < sets.size(); ++i) {
      pool.add([this, i, shared, deadline, request = sets[i]] {
        return negotiateOne(i, i == 0 ? std::move(*shared) : Socket(), request, deadline);
      });
    }
    co_await pool.run();
  }

  Task<void> secure(Deadline deadline) {
    const auto request = tlsRequest(r_.negotiation);
    r_.tls.offered = request.has_value();
    r_.tls.requested = request.value_or(0);
    r_.rdp.offered = rdpOffered(r_.negotiation);
    r_.tls.skipped = !o_.tls;
    r_.rdp.skipped = !o_.rdpSecurity;
    if (r_.tls.skipped && r_.tls.offered)
      for (auto& t : tls_) t.check.status = TlsStatus::Skipped;
    if (r_.rdp.skipped && r_.rdp.offered)
      for (auto& c : r_.rdp.checks) c.status = "skipped";
    CheckPool pool(o_.connectionsPerAddress);
    for (std::size_t i = 0; i < tls_.size(); ++i) {
      if (!o_.tls || !request || tlsClaimed_[i]) continue;
      pool.add([this, i, deadline, req = *request] { return tlsOne(i, req, deadline, Socket()); });
    }
    for (std::size_t i = 0; i < r_.rdp.checks.size(); ++i) {
      if (!o_.rdpSecurity || !r_.rdp.offered || rdpClaimed_[i]) continue;
      pool.add([this, i, deadline] { return rdpOne(i, deadline, Socket()); });
    }
    co_await pool.run();
    finishTls(r_, tls_);
    finishRdp(r_);
  }

 private:
  Task<void> negotiateOne(std::size_t i, Socket first, std::uint32_t request, Deadline deadline) {
    auto x = co_await exchangeX224(to_, std::move(first), request, deadline);
    r_.negotiation[i] = x.check;
    co_await carry(x, deadline);
  }

  Task<void> tlsOne(std::size_t i, std::uint32_t request, Deadline deadline, Socket carried) {
    tls_[i] = co_await checkTlsVersion(to_, request, std::string(kTlsVersions[i]), sni_, deadline,
                                       std::move(carried));
  }

  Task<void> rdpOne(std::size_t i, Deadline deadline, Socket carried) {
    r_.rdp.checks[i] =
        co_await checkRdpMethod(to_, kEncryptionMethods[i], deadline, std::move(carried));
  }

  /// Runs one unclaimed check on the open socket of a negotiation that selected a protocol.
  Task<void> carry(X224Exchange& x, Deadline deadline) {
    if (!x.socket.valid()) co_return;
    if (o_.tls && selectedTls(x.check)) {
      if (auto i = claim(tlsClaimed_))
        co_await tlsOne(*i, x.check.requested, deadline, std::move(x.socket));
    } else if (o_.rdpSecurity && x.check.selected && *x.check.selected == kProtocolRdp) {
      if (auto i = claim(rdpClaimed_)) co_await rdpOne(*i, deadline, std::move(x.socket));
    }
  }

  /// Single-threaded (one event loop): no lock, the claim is taken before the next wait.
  std::optional<std::size_t> claim(std::vector<bool>& claimed) {
    for (std::size_t i = claimed.size(); i-- > 0;) {  // newest TLS versions first
      if (claimed[i]) continue;
      claimed[i] = true;
      return i;
    }
    return std::nullopt;
  }

  const Endpoint& to_;
  const ProbeOptions& o_;
  ProbeResult& r_;
  std::string sni_;
  std::vector<TlsVersionOutcome> tls_;
  std::vector<bool> tlsClaimed_;
  std::vector<bool> rdpClaimed_;
};

}  // namespace

std::vector<std::uint32_t> defaultRequestSets() {
  return {kProtocolSsl | kProtocolHybrid,
          kProtocolRdp,
          kProtocolSsl,
          kProtocolHybrid,
          kProtocolSsl | kProtocolHybrid | kProtocolHybridEx,
          kProtocolRdstls};
}

namespace {

Task<ProbeResult> resolveTask(HostSpec target, std::chrono::milliseconds timeout) {
  const auto start = Clock::now();
  ProbeResult r;
  r.target = target;
  auto endpoints = co_await resolveHost(target, Deadline::after(timeout));
  r.resolveMs = msSince(start);
  if (endpoints) {
    for (const auto& e : *endpoints) r.addresses.push_back({e.text, e.ipv6, "not-tried", {}, -1});
  } else {
    r.resolveError = endpoints.error().message();
    r.resolveTimedOut = endpoints.error().code == "timeout";
    r.deadlineReached = r.resolveTimedOut;
  }
  r.elapsedMs = msSince(start);
  co_return r;
}

}  // namespace

ProbeResult resolveName(const HostSpec& target, std::chrono::milliseconds timeout) {
  return runToCompletion(resolveTask(target, timeout));
}

Task<ProbeResult> probeHostTask(HostSpec target, ProbeOptions options) {
  const auto start = Clock::now();
  const Deadline overall = Deadline::after(options.totalTimeout);
  auto step = [&] { return Deadline::after(options.stepTimeout).earliest(overall); };
  ProbeResult r;
  r.target = target;
  auto endpoints = co_await resolveHost(target, step());
  r.resolveMs = msSince(start);
  if (!endpoints) {
    r.resolveError = endpoints.error().message();
    r.resolveTimedOut = endpoints.error().code == "timeout";
    r.deadlineReached = overall.passed();
    r.elapsedMs = msSince(start);
    co_return r;
  }
  auto sockets = co_await connectAll(*endpoints, step(), r.addresses);
  const auto live =
      std::find_if(sockets.begin(), sockets.end(), [](const Socket& s) { return s.valid(); });
  if (live != sockets.end()) {
    const auto& to = (*endpoints)[static_cast<std::size_t>(live - sockets.begin())];
    r.probedAddress = to.text;
    Socket first = std::move(*live);
    for (auto& s : sockets) s = Socket();  // other addresses only report TCP
    AddressRun run(to, options, r);
    co_await run.negotiate(std::move(first), step());
    if (!overall.passed()) co_await run.secure(step());
  }
  r.deadlineReached = overall.passed();
  r.elapsedMs = msSince(start);
  co_return r;
}

ProbeResult probeHost(const HostSpec& target, const ProbeOptions& options) {
  return runToCompletion(probeHostTask(target, options));
}

}  // namespace rdpdoctor::probe
