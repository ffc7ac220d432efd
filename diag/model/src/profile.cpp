#include "rdpdoctor/profile.hpp"

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <utility>

namespace rdpdoctor {

std::string_view toString(Security s) {
  switch (s) {
    case Security::Negotiate:
      return "negotiate";
    case Security::Nla:
      return "nla";
    case Security::NlaExt:
      return "nla-ext";
    case Security::Tls:
      return "tls";
    case Security::Rdp:
      return "rdp";
  }
  return "?";
}

std::string_view toString(SecurityFloor f) {
  switch (f) {
    case SecurityFloor::Rdp:
      return "rdp";
    case SecurityFloor::Tls:
      return "tls";
    case SecurityFloor::Nla:
      return "nla";
  }
  return "?";
}

std::string_view toString(CertPolicy c) {
  switch (c) {
    case CertPolicy::Deny:
      return "deny";
    case CertPolicy::AcceptOnce:
      return "accept-once";
    case CertPolicy::Tofu:
      return "tofu";
    case CertPolicy::Ask:
      return "ask";
    case CertPolicy::Replace:
      return "replace";
  }
  return "?";
}

std::uint16_t wireValue(TlsVersion v) {
  return static_cast<std::uint16_t>(0x0301 + static_cast<int>(v));
}

std::string_view toString(TlsVersion v) {
  switch (v) {
    case TlsVersion::V1_0:
      return "1.0";
    case TlsVersion::V1_1:
      return "1.1";
    case TlsVersion::V1_2:
      return "1.2";
    case TlsVersion::V1_3:
      return "1.3";
  }
  return "1.3";
}

Result<TlsVersion> parseTlsVersion(std::string_view s) {
  for (auto v : {TlsVersion::V1_0, TlsVersion::V1_1, TlsVersion::V1_2, TlsVersion::V1_3})
    if (s == toString(v)) return v;
  return makeError("usage", "unknown TLS version '" + std::string(s) + "' (1.0, 1.1, 1.2, 1.3)");
}

Result<Security> parseSecurity(std::string_view s) {
  if (s == "auto" || s == "negotiate") return Security::Negotiate;
  if (s == "nla") return Security::Nla;
  if (s == "nla-ext" || s == "ext") return Security::NlaExt;
  if (s == "tls") return Security::Tls;
  if (s == "rdp") return Security::Rdp;
  return makeError("usage",
                   "unknown security layer '" + std::string(s) + "' (auto|nla|nla-ext|tls|rdp)");
}

Result<SecurityFloor> parseFloor(std::string_view s) {
  if (s == "nla") return SecurityFloor::Nla;
  if (s == "tls") return SecurityFloor::Tls;
  if (s == "rdp") return SecurityFloor::Rdp;
  return makeError("usage", "unknown security floor '" + std::string(s) + "' (nla|tls|rdp)");
}

Result<CertPolicy> parseCertPolicy(std::string_view s) {
  if (s == "deny") return CertPolicy::Deny;
  if (s == "accept-once") return CertPolicy::AcceptOnce;
  if (s == "tofu") return CertPolicy::Tofu;
  if (s == "ask") return CertPolicy::Ask;
  if (s == "replace") return CertPolicy::Replace;
  return makeError("usage", "unknown certificate policy '" + std::string(s) +
                                "' (deny|accept-once|tofu|replace)");
}

Result<std::uint32_t> parseEncryptionMethods(std::string_view s) {
  std::uint32_t bits = 0;
  std::size_t start = 0;
  while (start <= s.size()) {
    const std::size_t end = std::min(s.find(',', start), s.size());
    const std::string_view m = s.substr(start, end - start);
    if (m == "40")
      bits |= kEncryption40;
    else if (m == "56")
      bits |= kEncryption56;
    else if (m == "128")
      bits |= kEncryption128;
    else if (m == "fips")
      bits |= kEncryptionFips;
    else
      return makeError(
          "usage", "unknown encryption method '" + std::string(m) + "' (a list of 40,56,128,fips)");
    start = end + 1;
  }
  return bits;
}

std::string encryptionMethodsText(std::uint32_t methods) {
  std::string out;
  const std::pair<std::uint32_t, const char*> names[] = {{kEncryption40, "40"},
                                                         {kEncryption56, "56"},
                                                         {kEncryption128, "128"},
                                                         {kEncryptionFips, "fips"}};
  for (const auto& [bit, name] : names)
    if ((methods & bit) != 0) out += (out.empty() ? "" : ",") + std::string(name);
  return out;
}

std::string shellWord(const std::string& s) {
  const bool plain = !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 ||
           std::string_view("-_./:,=@[]%+").find(c) != std::string_view::npos;
  });
  if (plain) return s;
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

std::string shellLine(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : " ") + shellWord(w);
  return out;
}

SecurityFloor Profile::weakestLayer() const {
  switch (security) {
    case Security::Nla:
    case Security::NlaExt:
      return SecurityFloor::Nla;
    case Security::Tls:
      return SecurityFloor::Tls;
    case Security::Negotiate:
    case Security::Rdp:
      return SecurityFloor::Rdp;
  }
  return SecurityFloor::Rdp;
}

std::string_view selectedLayerName(std::uint32_t selected) {
  if (isNla(selected)) return "NLA";
  if ((selected & kProtocolRdstls) != 0) return "RDSTLS";
  if ((selected & kProtocolSsl) != 0) return "TLS";
  return "standard RDP security";
}

SecurityFloor Profile::strongestLayer() const {
  switch (security) {
    case Security::Negotiate:
    case Security::Nla:
    case Security::NlaExt:
      return SecurityFloor::Nla;
    case Security::Tls:
      return SecurityFloor::Tls;
    case Security::Rdp:
      return SecurityFloor::Rdp;
  }
  return SecurityFloor::Rdp;
}

std::vector<std::string> Profile::downgrades(std::int64_t selectedProtocol) const {
  std::vector<std::string> d;
  if (security == Security::Rdp) d.emplace_back("standard RDP security (no TLS)");
  if (security != Security::Rdp && selectedProtocol == 0)
    d.emplace_back("standard RDP security (no TLS), chosen by the server");
  if (tlsSecLevel && *tlsSecLevel == 0)
    d.emplace_back("OpenSSL security level 0 (allows TLS 1.0/1.1, weak keys)");
  if (!saltedMac) d.emplace_back("classic (unsalted) MAC for standard RDP security");
  if (!tlsCiphers.empty()) d.emplace_back("custom TLS ciphers '" + tlsCiphers + "'");
  if (tlsMaxVersion && *tlsMaxVersion < TlsVersion::V1_2)
    d.emplace_back("TLS capped at " + std::string(toString(*tlsMaxVersion)) + " (below TLS 1.2)");
  return d;
}

std::string Profile::summary() const {
  std::string s(toString(security));
  if (tlsSecLevel) s += ", seclevel " + std::to_string(*tlsSecLevel);
  if (!tlsCiphers.empty()) s += ", ciphers " + tlsCiphers;
  if (tlsMinVersion) s += ", TLS >= " + std::string(toString(*tlsMinVersion));
  if (tlsMaxVersion) s += ", TLS <= " + std::string(toString(*tlsMaxVersion));
  if (!saltedMac) s += ", classic MAC";
  if (rdpEncryptionMethods != 0)
    s += ", encryption 0x" + [&] {
      char buf[16];
      std::snprintf(buf, sizeof buf, "%02x", rdpEncryptionMethods);
      return std::string(buf);
    }();
  if (!gfx) s += ", gfx off";
  if (!compression) s += ", compression off";
  if (colorDepth != 32) s += ", " + std::to_string(colorDepth) + " bpp";
  if (clientBuild != 0) s += ", build " + std::to_string(clientBuild);
  if (preferIpv6) s += ", ipv6";
  if (!dialAddress.empty()) s += ", via " + dialAddress;
  return s;
}

namespace {

/// The peer's spelling of the combination. 3.x gathered the TLS options under /tls: and keeps
/// the others (-gfx, -compression, /bpp:, /ipv6, /sec:) as 2.11 spells them.
std::vector<std::string> peerArgs(const Profile& p, int freerdpMajor) {
  std::vector<std::string> a;
  const std::string& h = p.dialHost();
  const bool v6 = h.find(':') != std::string::npos;
  a.push_back("/v:" + (v6 ? "[" + h + "]" : h) + ":" + std::to_string(p.target.port));
  if (!p.user.empty()) a.push_back("/u:" + p.user);
  if (!p.domain.empty()) a.push_back("/d:" + p.domain);
  switch (p.security) {
    case Security::Negotiate:
      break;
    case Security::Nla:
      a.emplace_back("/sec:nla");
      break;
    case Security::NlaExt:
      a.emplace_back("/sec:ext");
      break;
    case Security::Tls:
      a.emplace_back("/sec:tls");
      break;
    case Security::Rdp:
      a.emplace_back("/sec:rdp");
      break;
  }
  const std::string tls = freerdpMajor >= 3 ? "/tls:" : "/tls-";
  if (p.tlsSecLevel) a.push_back(tls + "seclevel:" + std::to_string(*p.tlsSecLevel));
  if (!p.tlsCiphers.empty()) a.push_back(tls + "ciphers:" + p.tlsCiphers);
  // TLS versions: 3.x pins one with /tls:enforce:V (min = max = V); 2.11 has no such option
  // (xfreerdpCanReproduce says so)
  const auto pinned = p.tlsMaxVersion ? p.tlsMaxVersion : p.tlsMinVersion;
  if (freerdpMajor >= 3 && pinned) a.push_back("/tls:enforce:" + std::string(toString(*pinned)));
  if (!p.gfx) a.emplace_back("-gfx");
  if (!p.compression) a.emplace_back("-compression");
  if (p.colorDepth != 32) a.push_back("/bpp:" + std::to_string(p.colorDepth));
  if (p.clientBuild != 0) a.push_back("/build:" + std::to_string(p.clientBuild));
  if (p.preferIpv6) a.emplace_back("/ipv6");
  a.push_back("/size:" + std::to_string(p.width) + "x" + std::to_string(p.height));
  return a;
}

}  // namespace

std::vector<std::string> Profile::xfreerdpArgs() const { return peerArgs(*this, 2); }

std::vector<std::string> Profile::xfreerdp3Args() const { return peerArgs(*this, 3); }

std::vector<std::string> Profile::rdpdoctorArgs(std::int64_t selectedProtocol,
                                                SecurityFloor floor) const {
  std::vector<std::string> a{"connect", target.display()};
  if (!user.empty()) a.insert(a.end(), {"--user", user});
  if (!domain.empty()) a.insert(a.end(), {"--domain", domain});
  if (security != Security::Negotiate)
    a.insert(a.end(), {"--security", std::string(toString(security))});
  // the layer it lands on: below the default floor, connect refuses it unless told
  SecurityFloor landed = strongestLayer();
  if (selectedProtocol >= 0) {
    const SecurityFloor chosen =
        layerOfSelectedProtocol(static_cast<std::uint32_t>(selectedProtocol));
    if (!meetsFloor(chosen, landed)) landed = chosen;
  }
  if (!meetsFloor(landed, SecurityFloor::Tls))
    a.insert(a.end(), {"--min-security", std::string(toString(landed))});
  else if (!meetsFloor(SecurityFloor::Tls, floor))
    a.insert(a.end(), {"--min-security", std::string(toString(floor))});
  if (tlsSecLevel) a.insert(a.end(), {"--tls-seclevel", std::to_string(*tlsSecLevel)});
  if (!tlsCiphers.empty()) a.insert(a.end(), {"--tls-ciphers", tlsCiphers});
  if (tlsMinVersion)
    a.insert(a.end(), {"--tls-min-version", std::string(toString(*tlsMinVersion))});
  if (tlsMaxVersion)
    a.insert(a.end(), {"--tls-max-version", std::string(toString(*tlsMaxVersion))});
  if (!saltedMac) a.insert(a.end(), {"--rdp-mac", "classic"});
  if (rdpEncryptionMethods != 0)
    a.insert(a.end(), {"--rdp-encryption", encryptionMethodsText(rdpEncryptionMethods)});
  if (!dialAddress.empty()) a.insert(a.end(), {"--address", dialAddress});
  if (preferIpv6) a.emplace_back("--ipv6");
  if (!gfx) a.emplace_back("--no-gfx");
  if (!compression) a.emplace_back("--no-compression");
  if (colorDepth != 32) a.insert(a.end(), {"--bpp", std::to_string(colorDepth)});
  if (clientBuild != 0) a.insert(a.end(), {"--client-build", std::to_string(clientBuild)});
  if (width != 1024 || height != 768)
    a.insert(a.end(), {"--size", std::to_string(width) + "x" + std::to_string(height)});
  if (cert == CertPolicy::AcceptOnce) a.insert(a.end(), {"--cert", "accept-once"});
  if (cert == CertPolicy::Tofu || cert == CertPolicy::Replace)
    a.insert(a.end(), {"--cert", "tofu"});
  return a;
}

void to_json(nlohmann::json& j, const Profile& p) {
  j = nlohmann::json{
      {"host", p.target.host},
      {"port", p.target.port},
      {"dial_address",
       p.dialAddress.empty() ? nlohmann::json(nullptr) : nlohmann::json(p.dialAddress)},
      {"security", toString(p.security)},
      {"tls_seclevel", p.tlsSecLevel ? nlohmann::json(*p.tlsSecLevel) : nlohmann::json(nullptr)},
      {"tls_ciphers",
       p.tlsCiphers.empty() ? nlohmann::json(nullptr) : nlohmann::json(p.tlsCiphers)},
      {"tls_min_version",
       p.tlsMinVersion ? nlohmann::json(toString(*p.tlsMinVersion)) : nlohmann::json(nullptr)},
      {"tls_max_version",
       p.tlsMaxVersion ? nlohmann::json(toString(*p.tlsMaxVersion)) : nlohmann::json(nullptr)},
      {"salted_mac", p.saltedMac},
      {"rdp_encryption_methods", p.rdpEncryptionMethods},
      {"prefer_ipv6", p.preferIpv6},
      {"gfx", p.gfx},
      {"compression", p.compression},
      {"color_depth", p.colorDepth},
      {"client_build", p.clientBuild},
      {"width", p.width},
      {"height", p.height},
      {"cert", toString(p.cert)},
      {"tcp_connect_timeout_ms", p.tcpConnectTimeoutMs},
      {"summary", p.summary()},
      {"downgrades", p.downgrades()},
      {"xfreerdp_args", p.xfreerdpArgs()},
      {"xfreerdp_reproducible", p.xfreerdpCanReproduce()},
      {"xfreerdp3_args", p.xfreerdp3Args()},
      {"xfreerdp3_reproducible", p.xfreerdp3CanReproduce()},
  };
  if (!p.user.empty()) j["user"] = p.user;
  if (!p.domain.empty()) j["domain"] = p.domain;
  if (p.dialPort != 0) j["dial_port"] = p.dialPort;
}

void from_json(const nlohmann::json& j, Profile& p) {
  p = Profile{};
  p.target.host = j.at("host").get<std::string>();
  p.target.port = j.at("port").get<std::uint16_t>();
  p.target.ipv6Literal = p.target.host.find(':') != std::string::npos;
  if (j.contains("dial_address") && j["dial_address"].is_string())
    p.dialAddress = j["dial_address"].get<std::string>();
  p.dialPort = j.value("dial_port", std::uint16_t{0});
  p.user = j.value("user", "");
  p.domain = j.value("domain", "");
  // a value we cannot read is an error, never a silent default (a Profile decides security)
  auto s = parseSecurity(j.value("security", "auto"));
  if (!s.ok()) throw std::invalid_argument("profile: " + s.error().message());
  p.security = *s;
  if (j.contains("tls_seclevel") && j["tls_seclevel"].is_number())
    p.tlsSecLevel = j["tls_seclevel"].get<std::uint32_t>();
  if (j.contains("tls_ciphers") && j["tls_ciphers"].is_string())
    p.tlsCiphers = j["tls_ciphers"].get<std::string>();
  for (auto [key, into] : {std::pair{"tls_min_version", &p.tlsMinVersion},
                           std::pair{"tls_max_version", &p.tlsMaxVersion}}) {
    if (!j.contains(key) || !j[key].is_string()) continue;
    auto v = parseTlsVersion(j[key].get<std::string>());
    if (!v.ok()) throw std::invalid_argument("profile: " + v.error().message());
    *into = *v;
  }
  p.saltedMac = j.value("salted_mac", true);
  p.rdpEncryptionMethods = j.value("rdp_encryption_methods", 0u);
  p.preferIpv6 = j.value("prefer_ipv6", false);
  p.gfx = j.value("gfx", true);
  p.compression = j.value("compression", true);
  p.colorDepth = j.value("color_depth", 32u);
  p.clientBuild = j.value("client_build", 0u);
  p.width = j.value("width", 1024u);
  p.height = j.value("height", 768u);
  auto c = parseCertPolicy(j.value("cert", "deny"));
  if (!c.ok()) throw std::invalid_argument("profile: " + c.error().message());
  p.cert = *c;
  p.tcpConnectTimeoutMs = j.value("tcp_connect_timeout_ms", 5000u);
}

}  // namespace rdpdoctor
