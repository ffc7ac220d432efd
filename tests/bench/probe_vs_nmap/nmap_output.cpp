#include "nmap_output.hpp"

#include <sstream>

#include "rdpdoctor/wire/protocols.hpp"
#include "rdpdoctor/wire/standard_security.hpp"

namespace rdpdoctor::bench {
namespace {

struct Claim {
  const char* name;
  std::uint32_t bit;  // protocol or encryption method
  bool method;
};

constexpr Claim kClaims[] = {
    {"Native RDP", wire::kProtocolRdp, false},        {"SSL", wire::kProtocolSsl, false},
    {"CredSSP (NLA)", wire::kProtocolHybrid, false},  {"RDSTLS", wire::kProtocolRdstls, false},
    {"CredSSP with Early User Auth", wire::kProtocolHybridEx, false},
    {"40-bit RC4", wire::kEncryption40Bit, true},     {"56-bit RC4", wire::kEncryption56Bit, true},
    {"128-bit RC4", wire::kEncryption128Bit, true},   {"FIPS 140-1", wire::kEncryptionFips, true},
};

std::string trim(const std::string& s) {
  const auto a = s.find_first_not_of(" |_\t");
  const auto b = s.find_last_not_of(" \t\r");
  return a == std::string::npos ? std::string() : s.substr(a, b - a + 1);
}

}  // namespace

const std::vector<std::string>& claimNames() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> n;
    for (const auto& c : kClaims) n.emplace_back(c.name);
    n.emplace_back("level");
    return n;
  }();
  return names;
}

NmapRun parseNmap(const std::string& out) {
  NmapRun run;
  run.scriptRan = out.find("rdp-enum-encryption") != std::string::npos;
  run.scriptFailed = out.find("ERROR: Script execution failed") != std::string::npos;
  if (!run.scriptRan || run.scriptFailed) return run;
  for (const auto& c : kClaims) run.claims[c.name] = "no";
  run.claims["level"] = "n/a";  // nmap prints no level line when its cipher enumeration got nothing
  std::istringstream in(out);
  for (std::string line; std::getline(in, line);) {
    const auto t = trim(line);
    const auto colon = t.rfind(": ");
    if (colon == std::string::npos) continue;
    const auto key = t.substr(0, colon);
    const auto value = t.substr(colon + 2);
    if (key == "RDP Encryption level") run.claims["level"] = value;
    if (value == "SUCCESS" && run.claims.count(key) != 0) run.claims[key] = "yes";
  }
  return run;
}

Claims claimsOf(const probe::ProbeResult& r) {
  Claims claims;
  for (const auto& c : kClaims) {
    bool yes = false;
    if (c.method) {
      yes = (r.rdp.methods & c.bit) != 0;
    } else {
      for (const auto& n : r.negotiation) {
        const bool selected = n.status == probe::NegotiationStatus::Selected && n.selected && *n.selected == c.bit;
        const bool rdpOnly = c.bit == wire::kProtocolRdp && n.requested == wire::kProtocolRdp;
        if (selected && (c.bit != wire::kProtocolRdp || rdpOnly)) yes = true;
        if (rdpOnly && n.status == probe::NegotiationStatus::NoNegotiation) yes = true;
      }
    }
    claims[c.name] = yes ? "yes" : "no";
  }
  // nmap's names for MS-RDPBCGR 2.2.1.4.3 encryptionLevel
  static const char* kLevels[] = {"None", "Low", "Client Compatible", "High", "FIPS Compliant"};
  claims["level"] = r.rdp.level && *r.rdp.level < 5 ? kLevels[*r.rdp.level] : "n/a";
  return claims;
}

}  // namespace rdpdoctor::bench
