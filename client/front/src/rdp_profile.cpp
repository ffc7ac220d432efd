// .rdp <-> Profile: the mstsc keys this client understands, plus "rdpdoctor ..." keys for the
// knobs mstsc has no key for (mstsc ignores unknown keys).
#include <algorithm>
#include <charconv>

#include "rdpdoctor/front/rdp_file.hpp"

namespace rdpdoctor {
namespace {

std::optional<std::uint32_t> intValue(const RdpFile& f, std::string_view key) {
  const RdpLine* l = f.find(key);
  if (l == nullptr || l->type != 'i' || !l->raw.empty()) return std::nullopt;
  std::uint32_t v = 0;
  auto [p, ec] = std::from_chars(l->value.data(), l->value.data() + l->value.size(), v);
  if (ec != std::errc{} || p != l->value.data() + l->value.size()) return std::nullopt;
  return v;
}

std::string strValue(const RdpFile& f, std::string_view key) {
  const RdpLine* l = f.find(key);
  return l != nullptr && l->type == 's' ? l->value : std::string();
}

/// How strong a value of a security key is (higher: stronger), and whether the profile decides it.
struct SecurityKey {
  std::string_view key;
  std::uint32_t absent;                  // mstsc's default when the file does not say
  int (*strength)(std::uint32_t value);  // higher is stronger
  bool (*needed)(const Profile& p);      // the working combination needs the value it wrote
};

int onOff(std::uint32_t v) { return v != 0 ? 1 : 0; }
int asIs(std::uint32_t v) { return static_cast<int>(std::min<std::uint32_t>(v, 1000)); }
/// authentication level: 1 refuse on a certificate problem, 2 warn, 3 no requirement, 0 connect
/// anyway
int authLevel(std::uint32_t v) {
  switch (v) {
    case 1:
      return 3;
    case 2:
      return 2;
    case 3:
      return 1;
    default:
      return 0;
  }
}
bool always(const Profile&) { return true; }
bool never(const Profile&) { return false; }
/// standard RDP security cannot authenticate the server: mstsc would refuse at level 1 or 2
bool rdpSecurity(const Profile& p) { return p.security == Security::Rdp; }

constexpr SecurityKey kSecurityKeys[] = {
    {"authentication level", 2, authLevel, rdpSecurity},
    {"enablecredsspsupport", 1, onOff, always},
    {"negotiate security layer", 1, onOff, always},
    {"prompt for credentials", 0, onOff, never},
    {"rdpdoctor tls seclevel", 1, asIs, always},
    {"rdpdoctor salted mac", 1, onOff, always},
};

}  // namespace

std::vector<SecurityWeakening> keepSecurityOf(const RdpFile& read, const Profile& p,
                                              RdpFile& saved) {
  std::vector<SecurityWeakening> weakened;
  for (const auto& k : kSecurityKeys) {
    const auto after = intValue(saved, k.key);
    if (!after) continue;  // not written: the line read (if any) is still there
    const RdpLine* line = read.find(k.key);
    if (line != nullptr && !intValue(read, k.key)) continue;  // not a number: nothing to compare
    const std::uint32_t before = line != nullptr ? *intValue(read, k.key) : k.absent;
    if (k.strength(*after) >= k.strength(before)) continue;
    if (!k.needed(p)) {
      saved.set(k.key, 'i', std::to_string(before));
      continue;
    }
    weakened.push_back({std::string(k.key), line != nullptr ? line->value : std::string(),
                        std::to_string(*after)});
  }
  return weakened;
}

Result<Profile> profileFromRdp(const RdpFile& f, std::vector<std::string>& warnings) {
  // mstsc and FreeRDP dial the alternate full address when the file has one
  std::string address = strValue(f, "alternate full address");
  if (address.empty()) address = strValue(f, "full address");
  if (address.empty()) return makeError("usage", "the .rdp file has no 'full address'");
  const auto port = intValue(f, "server port");
  auto spec =
      parseHostSpec(address, port && *port > 0 && *port < 65536 ? static_cast<std::uint16_t>(*port)
                                                                : kDefaultRdpPort);
  if (!spec) return Error(spec.error()).because("in 'full address'");
  Profile p;
  p.target = *spec;
  std::string user = strValue(f, "username");
  if (const auto bs = user.find('\\'); bs != std::string::npos) {
    p.domain = user.substr(0, bs);
    user = user.substr(bs + 1);
  }
  p.user = user;
  if (const auto d = strValue(f, "domain"); !d.empty()) p.domain = d;
  const auto credssp = intValue(f, "enablecredsspsupport");
  const auto negotiate = intValue(f, "negotiate security layer");
  if (credssp && *credssp == 0)
    p.security = (negotiate && *negotiate == 0) ? Security::Rdp : Security::Tls;
  if (auto w = intValue(f, "desktopwidth"); w && *w >= 200 && *w <= 8192) p.width = *w;
  if (auto h = intValue(f, "desktopheight"); h && *h >= 200 && *h <= 8192) p.height = *h;
  if (auto b = intValue(f, "session bpp");
      b && (*b == 8 || *b == 15 || *b == 16 || *b == 24 || *b == 32))
    p.colorDepth = *b;
  if (auto c = intValue(f, "compression")) p.compression = *c != 0;
  if (auto s = intValue(f, "rdpdoctor tls seclevel"); s && *s <= 5) p.tlsSecLevel = *s;
  if (auto m = intValue(f, "rdpdoctor salted mac")) p.saltedMac = *m != 0;
  if (auto m = intValue(f, "rdpdoctor encryption methods")) p.rdpEncryptionMethods = *m;
  if (auto g = intValue(f, "rdpdoctor gfx")) p.gfx = *g != 0;
  if (auto b = intValue(f, "rdpdoctor client build")) p.clientBuild = *b;
  if (const auto c = strValue(f, "rdpdoctor tls ciphers"); !c.empty()) p.tlsCiphers = c;
  if (auto v = parseTlsVersion(strValue(f, "rdpdoctor tls min version")); v.ok())
    p.tlsMinVersion = *v;
  if (auto v = parseTlsVersion(strValue(f, "rdpdoctor tls max version")); v.ok())
    p.tlsMaxVersion = *v;
  if (const auto a = strValue(f, "rdpdoctor dial address"); !a.empty()) p.dialAddress = a;
  if (!strValue(f, "gatewayhostname").empty() && intValue(f, "gatewayusagemethod").value_or(1) == 2)
    warnings.push_back(
        "gatewayhostname is set for when the host is not reached directly: RD Gateway is not "
        "supported; connecting directly");
  return p;
}

namespace {

/// "1.2", or "" for FreeRDP's default (an empty value reads back as no version).
std::string versionText(std::optional<TlsVersion> v) {
  return v ? std::string(toString(*v)) : std::string();
}

/// Sets a key only where it says something else than `value` (the file's line, or the default
/// mstsc assumes without one), so that a line that already means it stays byte for byte.
void setKey(RdpFile& f, std::string_view key, char type, const std::string& value,
            std::optional<std::string_view> absent = std::nullopt) {
  const RdpLine* l = f.find(key);
  if (l == nullptr && absent && *absent == value) return;
  if (l != nullptr && l->raw.empty() && l->type == type) {
    if (l->value == value) return;
    if (type == 'i') {
      const auto have = intValue(f, key);
      const auto want = [&]() -> std::optional<std::uint32_t> {
        std::uint32_t v = 0;
        auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
        if (ec != std::errc{} || p != value.data() + value.size()) return std::nullopt;
        return v;
      }();
      if (have && want && *have == *want) return;  // "01" means 1
    }
  }
  f.set(key, type, value);
}

bool nlaOffered(Security s) {
  return s == Security::Nla || s == Security::NlaExt || s == Security::Negotiate;
}

/// The keys a file that already names a host gets: those whose knob `p` changes.
void applyChanges(const Profile& base, const Profile& p, RdpFile& f) {
  if (!(base.target == p.target)) {
    // the key that is dialled: the alternate full address when the file has one
    const bool alternate = f.find("alternate full address") != nullptr &&
                           !strValue(f, "alternate full address").empty();
    setKey(f, alternate ? "alternate full address" : "full address", 's', p.target.display());
  }
  if (base.user != p.user || base.domain != p.domain) {
    if (strValue(f, "username").find('\\') != std::string::npos) {  // "DOMAIN\\user"
      setKey(f, "username", 's', p.domain.empty() ? p.user : p.domain + "\\" + p.user);
    } else {
      setKey(f, "username", 's', p.user);
      if (base.domain != p.domain) setKey(f, "domain", 's', p.domain);
    }
  }
  if (base.security != p.security) {
    setKey(f, "enablecredsspsupport", 'i', nlaOffered(p.security) ? "1" : "0", "1");
    setKey(f, "negotiate security layer", 'i', p.security == Security::Rdp ? "0" : "1", "1");
    // standard RDP security cannot authenticate the server (0: connect anyway); a layer that
    // can gets at least "warn" (2) in place of 0 or 3, and "refuse" (1) stays
    const auto level = intValue(f, "authentication level");
    if (p.security == Security::Rdp)
      setKey(f, "authentication level", 'i', "0");
    else if (level && (*level == 0 || *level == 3))
      setKey(f, "authentication level", 'i', "2");
  }
  if (base.width != p.width) setKey(f, "desktopwidth", 'i', std::to_string(p.width));
  if (base.height != p.height) setKey(f, "desktopheight", 'i', std::to_string(p.height));
  if (base.colorDepth != p.colorDepth) setKey(f, "session bpp", 'i', std::to_string(p.colorDepth));
  if (base.compression != p.compression) setKey(f, "compression", 'i', p.compression ? "1" : "0");
  if (base.tlsSecLevel != p.tlsSecLevel && p.tlsSecLevel)
    setKey(f, "rdpdoctor tls seclevel", 'i', std::to_string(*p.tlsSecLevel));
  if (base.tlsCiphers != p.tlsCiphers) setKey(f, "rdpdoctor tls ciphers", 's', p.tlsCiphers);
  if (base.tlsMinVersion != p.tlsMinVersion)
    setKey(f, "rdpdoctor tls min version", 's', versionText(p.tlsMinVersion));
  if (base.tlsMaxVersion != p.tlsMaxVersion)
    setKey(f, "rdpdoctor tls max version", 's', versionText(p.tlsMaxVersion));
  if (base.saltedMac != p.saltedMac)
    setKey(f, "rdpdoctor salted mac", 'i', p.saltedMac ? "1" : "0");
  if (base.rdpEncryptionMethods != p.rdpEncryptionMethods)
    setKey(f, "rdpdoctor encryption methods", 'i', std::to_string(p.rdpEncryptionMethods));
  if (base.gfx != p.gfx) setKey(f, "rdpdoctor gfx", 'i', p.gfx ? "1" : "0");
  if (base.clientBuild != p.clientBuild)
    setKey(f, "rdpdoctor client build", 'i', std::to_string(p.clientBuild));
  // the address that answered, while the certificate keeps the name (mstsc ignores this key)
  if (base.dialAddress != p.dialAddress) setKey(f, "rdpdoctor dial address", 's', p.dialAddress);
}

}  // namespace

void applyProfileToRdp(const Profile& p, RdpFile& f) {
  std::vector<std::string> ignored;
  if (auto base = profileFromRdp(f, ignored); base.ok()) {
    applyChanges(*base, p, f);
    return;
  }
  f.set("full address", 's', p.target.display());
  f.set("username", 's', p.user);
  if (!p.domain.empty()) f.set("domain", 's', p.domain);
  f.set("enablecredsspsupport", 'i', nlaOffered(p.security) ? "1" : "0");
  f.set("negotiate security layer", 'i', p.security == Security::Rdp ? "0" : "1");
  f.set("authentication level", 'i', p.security == Security::Rdp ? "0" : "2");
  f.set("prompt for credentials", 'i', "0");
  f.set("screen mode id", 'i', "1");
  f.set("desktopwidth", 'i', std::to_string(p.width));
  f.set("desktopheight", 'i', std::to_string(p.height));
  f.set("session bpp", 'i', std::to_string(p.colorDepth));
  f.set("compression", 'i', p.compression ? "1" : "0");
  if (p.tlsSecLevel) f.set("rdpdoctor tls seclevel", 'i', std::to_string(*p.tlsSecLevel));
  if (!p.tlsCiphers.empty()) f.set("rdpdoctor tls ciphers", 's', p.tlsCiphers);
  if (p.tlsMinVersion) f.set("rdpdoctor tls min version", 's', versionText(p.tlsMinVersion));
  if (p.tlsMaxVersion) f.set("rdpdoctor tls max version", 's', versionText(p.tlsMaxVersion));
  if (!p.saltedMac) f.set("rdpdoctor salted mac", 'i', "0");
  if (p.rdpEncryptionMethods != 0)
    f.set("rdpdoctor encryption methods", 'i', std::to_string(p.rdpEncryptionMethods));
  if (!p.gfx) f.set("rdpdoctor gfx", 'i', "0");
  if (p.clientBuild != 0) f.set("rdpdoctor client build", 'i', std::to_string(p.clientBuild));
  // the address that answered, while the certificate keeps the name (mstsc ignores this key)
  if (!p.dialAddress.empty()) f.set("rdpdoctor dial address", 's', p.dialAddress);
}

}  // namespace rdpdoctor
