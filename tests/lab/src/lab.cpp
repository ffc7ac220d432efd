#include "rdpdoctor/lab/lab.hpp"

#include <array>
#include <utility>

#include "servers.hpp"

namespace rdpdoctor::lab {
namespace {

constexpr std::array<std::pair<Kind, std::string_view>, 18> kNames = {{
    {Kind::XrdpNegotiate, "xrdp-negotiate"},
    {Kind::XrdpTls, "xrdp-tls"},
    {Kind::XrdpRdp, "xrdp-rdp"},
    {Kind::XrdpTls10Ecdhe, "xrdp-tls10-ecdhe"},
    {Kind::XrdpTls10Rsa, "xrdp-tls10-rsa"},
    {Kind::Xrdp3desOnly, "xrdp-3des-only"},
    {Kind::XrdpExpiredCert, "xrdp-expired-cert"},
    {Kind::ShadowNla, "shadow-nla"},
    {Kind::ShadowTls, "shadow-tls"},
    {Kind::ShadowRdp, "shadow-rdp"},
    {Kind::ShadowNoAuth, "shadow-noauth"},
    {Kind::Shadow3Nla, "shadow3-nla"},
    {Kind::Shadow3Tls, "shadow3-tls"},
    {Kind::FaultSilent, "fault-silent"},
    {Kind::FaultResetAfterConfirm, "fault-reset-after-confirm"},
    {Kind::FaultGarbage, "fault-garbage"},
    {Kind::FaultClosed, "fault-closed"},
    {Kind::FaultFiltered, "fault-filtered"},
}};

}  // namespace

std::string_view toString(Kind kind) {
  for (const auto& [k, name] : kNames) {
    if (k == kind) return name;
  }
  return "unknown";
}

std::optional<Kind> parseKind(std::string_view name) {
  for (const auto& [k, n] : kNames) {
    if (n == name) return k;
  }
  return std::nullopt;
}

std::string Server::hostSpec() const {
  const auto a = address();
  const auto p = std::to_string(port());
  return a.find(':') != std::string::npos ? "[" + a + "]:" + p : a + ":" + p;
}

Result<std::unique_ptr<Server>> start(const ServerOptions& options) {
  switch (options.kind) {
    case Kind::XrdpNegotiate:
    case Kind::XrdpTls:
    case Kind::XrdpRdp:
    case Kind::XrdpTls10Ecdhe:
    case Kind::XrdpTls10Rsa:
    case Kind::Xrdp3desOnly:
    case Kind::XrdpExpiredCert:
      return startXrdp(options);
    case Kind::ShadowNla:
    case Kind::ShadowTls:
    case Kind::ShadowRdp:
    case Kind::ShadowNoAuth:
    case Kind::Shadow3Nla:
    case Kind::Shadow3Tls:
      return startShadow(options);
    case Kind::FaultSilent:
    case Kind::FaultResetAfterConfirm:
    case Kind::FaultGarbage:
    case Kind::FaultClosed:
    case Kind::FaultFiltered:
      return startFault(options);
  }
  return makeError("config", "unknown server kind");
}

}  // namespace rdpdoctor::lab
