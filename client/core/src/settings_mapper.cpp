#include "rdpdoctor/core/settings_mapper.hpp"

#include <freerdp/settings.h>

#include "freerdp_compat.hpp"

namespace rdpdoctor {
namespace {

struct Layers {
  bool rdp, tls, nla, ext, useRdpLayer;
};

Layers layersFor(Security s) {
  switch (s) {
    case Security::Negotiate:
      return {true, true, true, false, false};
    case Security::Nla:
      return {false, false, true, false, false};
    case Security::NlaExt:
      return {false, false, false, true, false};
    case Security::Tls:
      return {false, true, false, false, false};
    case Security::Rdp:
      return {true, false, false, false, true};
  }
  return {true, true, true, false, false};
}

class Applier {
 public:
  explicit Applier(rdpSettings* s) : s_(s) {}
  void b(compat::BoolKey id, bool v) {
    ok_ = ok_ && freerdp_settings_set_bool(s_, id, v ? TRUE : FALSE);
  }
  void u(compat::UInt32Key id, std::uint32_t v) {
    ok_ = ok_ && freerdp_settings_set_uint32(s_, id, v);
  }
  void u16(compat::UInt16Key id, std::uint16_t v) {
    ok_ = ok_ && freerdp_settings_set_uint16(s_, id, v);
  }
  void str(compat::StringKey id, const std::string& v) {
    ok_ = ok_ && freerdp_settings_set_string(s_, id, v.empty() ? nullptr : v.c_str());
  }
  [[nodiscard]] bool ok() const { return ok_; }

 private:
  rdpSettings* s_;
  bool ok_ = true;
};

}  // namespace

Status applyProfile(const Profile& p, const std::string& password, const ConnectOptions& options,
                    rdpSettings* settings) {
  if (settings == nullptr) return makeError("internal", "no settings");
  if (!meetsFloor(p.strongestLayer(), options.floor))
    return makeError("below-floor", std::string(toString(p.security)) +
                                        " is below the security floor " +
                                        std::string(toString(options.floor)));
  // a key log would let anyone holding the capture decrypt what the connection carried
  if (!options.tlsSecretsFile.empty() && (!password.empty() || !p.user.empty()))
    return makeError("usage", "a TLS key log is only written for a connection without credentials");
  Applier a(settings);
  bool ok = true;
  // address: dial the chosen address, keep the name the user typed for the certificate
  a.str(FreeRDP_ServerHostname, p.dialHost());
  a.u(FreeRDP_ServerPort, p.dialPortNumber());
  if (!p.dialAddress.empty() && p.dialAddress != p.target.host)
    a.str(FreeRDP_CertificateName, p.target.host);
  a.b(FreeRDP_PreferIPv6OverIPv4, p.preferIpv6);
  a.u(FreeRDP_TcpConnectTimeout, p.tcpConnectTimeoutMs);
  // credentials
  a.str(FreeRDP_Username, p.user);
  // FreeRDP puts the user name into the X.224 request's mstshash cookie, in the clear, before the
  // server's Confirm says which layer follows: send the cookie without it
  a.u(FreeRDP_CookieMaxLength, 0);
  a.str(FreeRDP_Domain, p.domain);
  a.str(FreeRDP_Password, password);
  a.b(FreeRDP_AutoLogonEnabled, !password.empty());
  // security layer
  // nothing below the floor is enabled: FreeRDP rejects a Confirm that selects a disabled layer
  Layers l = layersFor(p.security);
  if (options.floor == SecurityFloor::Nla) l.tls = false;
  if (options.floor != SecurityFloor::Rdp) {
    l.rdp = false;
    l.useRdpLayer = false;
  }
  a.b(FreeRDP_RdpSecurity, l.rdp);
  a.b(FreeRDP_TlsSecurity, l.tls);
  a.b(FreeRDP_NlaSecurity, l.nla);
  a.b(FreeRDP_ExtSecurity, l.ext);
  a.b(FreeRDP_UseRdpSecurityLayer, l.useRdpLayer);
  a.b(FreeRDP_NegotiateSecurityLayer, true);
  if (p.tlsSecLevel) a.u(FreeRDP_TlsSecLevel, *p.tlsSecLevel);
  if (!p.tlsCiphers.empty()) a.str(FreeRDP_AllowedTlsCiphers, p.tlsCiphers);
  // the ClientHello's version range (OpenSSL's SSL_CTX_set_min/max_proto_version in both majors)
  if (p.tlsMinVersion) a.u16(FreeRDP_TLSMinVersion, wireValue(*p.tlsMinVersion));
  if (p.tlsMaxVersion) a.u16(FreeRDP_TLSMaxVersion, wireValue(*p.tlsMaxVersion));
  if (p.rdpEncryptionMethods != 0) a.u(FreeRDP_EncryptionMethods, p.rdpEncryptionMethods);
  a.b(FreeRDP_SaltedChecksum, p.saltedMac);
  // certificates are decided by our callback only, never ignored, never stored in the user's HOME
  a.b(FreeRDP_IgnoreCertificate, false);
  if (!options.configDir.empty()) a.str(FreeRDP_ConfigPath, options.configDir);
  // the TLS key log of this connection (FreeRDP 3 appends NSS lines; 2.11 has no such setting)
  if (!options.tlsSecretsFile.empty())
    ok = compat::setTlsSecretsFile(settings, options.tlsSecretsFile) && ok;
  // protocol options
  a.b(FreeRDP_SupportGraphicsPipeline, p.gfx);
  a.b(FreeRDP_CompressionEnabled, p.compression);
  a.u(FreeRDP_ColorDepth, p.colorDepth);
  if (p.clientBuild != 0) a.u(FreeRDP_ClientBuild, p.clientBuild);
  a.u(FreeRDP_DesktopWidth, p.width);
  a.u(FreeRDP_DesktopHeight, p.height);
  a.b(FreeRDP_SoftwareGdi, true);
  a.b(FreeRDP_AuthenticationOnly, options.goal == Goal::Authenticated);
  // an authentication-only attempt draws nothing: no codec contexts (FreeRDP 3 makes them all)
  ok = compat::setClientDecoding(settings, options.goal != Goal::Authenticated) && ok;
  a.b(FreeRDP_AutoReconnectionEnabled, false);
  if (!a.ok() || !ok) return makeError("internal", "freerdp rejected a setting");
  return okStatus();
}

}  // namespace rdpdoctor
