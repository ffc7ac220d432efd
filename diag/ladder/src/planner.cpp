#include "rdpdoctor/ladder/planner.hpp"

#include <algorithm>

namespace rdpdoctor {
namespace {

struct Builder {
  const Profile& start;
  const Policy& policy;
  std::vector<Rung> rungs;

  void add(Profile p, std::string why) {
    const bool same =
        std::any_of(rungs.begin(), rungs.end(), [&](const Rung& r) { return r.profile == p; });
    if (same) return;
    // the user's own settings are always tried: the floor bounds what the doctor changes
    const bool below =
        !rungs.empty() && static_cast<int>(p.weakestLayer()) < static_cast<int>(policy.floor);
    rungs.push_back({std::move(p), std::move(why), below});
  }
  Profile with(Security s) const {
    Profile p = start;
    p.security = s;
    p.tlsSecLevel.reset();
    p.tlsMinVersion.reset();
    p.tlsMaxVersion.reset();
    p.saltedMac = true;
    p.rdpEncryptionMethods = 0;
    return p;
  }
};

/// The address to dial when the name's first address is dead: the first live one.
std::string liveAddress(const Profile& start, const HostFacts& f) {
  if (!start.dialAddress.empty() || !f.someAddressDead() || f.allAddressesDead())
    return start.dialAddress;
  for (const auto& a : f.addresses)
    if (a.tcpOk) return a.address;
  return start.dialAddress;
}

/// The TLS rungs of one layer: capped at the highest TLS version that works first when a higher
/// one breaks the connection (a version-intolerant host or middlebox drops a ClientHello that
/// offers it), then as FreeRDP offers; each at OpenSSL level 0 too where the host needs it.
void addTlsRungs(Builder& b, const HostFacts& f, bool probed) {
  const bool legacy = f.legacyTlsOnly();
  const bool needsLevel0 = f.minSecLevel && *f.minSecLevel == 0;
  const auto cap = f.tlsBreaksAbove();
  auto tls = [&](Security s, const std::string& name) {
    auto variants = [&](std::optional<TlsVersion> max, const std::string& label) {
      Profile p = b.with(s);
      p.tlsMaxVersion = max;
      if (!needsLevel0)
        b.add(p, label + (legacy ? " (legacy TLS host, default OpenSSL level)" : ""));
      if (legacy || needsLevel0 || !probed) {
        p.tlsSecLevel = 0;
        b.add(p,
              label +
                  " at OpenSSL security level 0: the host speaks only TLS 1.0/1.1 or weak ciphers");
      }
    };
    if (cap) {
      const std::string v(toString(*cap));
      variants(cap, name + " offering at most TLS " + v +
                        ": the host drops a handshake that offers a higher version, " + v +
                        " works");
    }
    variants(std::nullopt, name);
  };
  if (!probed || f.offersNla || f.nlaRequired) {
    if (b.policy.haveCredentials) {
      tls(Security::Nla, "NLA (CredSSP)");
      b.add(b.with(Security::NlaExt), "NLA with early user authorization (HYBRID_EX)");
    }
  }
  if (!probed || f.offersTls) tls(Security::Tls, "TLS without NLA");
}

void addRdpRungs(Builder& b, const HostFacts& f, bool probed) {
  if (probed && !f.offersRdp && !f.noNegotiationData) return;
  const char* why =
      f.noNegotiationData ? "pre-Vista host: standard RDP security only" : "standard RDP security";
  b.add(b.with(Security::Rdp), why);
  Profile classic = b.with(Security::Rdp);
  classic.saltedMac = false;
  b.add(classic, "standard RDP security with the classic MAC (servers that reject salted MACs)");
  Profile fips = b.with(Security::Rdp);
  fips.rdpEncryptionMethods = kEncryptionFips;
  b.add(fips, "standard RDP security with FIPS encryption only");
}

}  // namespace

std::vector<Rung> planLadder(const Profile& start, const HostFacts& facts, const Policy& policy) {
  Profile base = start;
  base.dialAddress = liveAddress(start, facts);
  Builder b{base, policy, {}};
  b.add(start, "the original settings");
  if (base.dialAddress != start.dialAddress) {
    Profile p = base;
    b.add(p, "dial " + base.dialAddress + " directly: another address of the name does not answer");
  }
  const bool probed = facts.probed;
  if (facts.nlaRequired && !policy.haveCredentials) {
    // NLA needs credentials; nothing else will be accepted by the host
  } else {
    addTlsRungs(b, facts, probed);
    if (!probed || facts.offersRdp || facts.offersTls)
      b.add(b.with(Security::Negotiate), "let the server choose");
    addRdpRungs(b, facts, probed);
  }
  // bound the tried rungs; keep every below-floor rung for the report
  std::vector<Rung> out;
  std::size_t tried = 0;
  for (auto& r : b.rungs) {
    if (!r.belowFloor && tried >= policy.maxAttempts) continue;
    if (!r.belowFloor) ++tried;
    out.push_back(std::move(r));
  }
  return out;
}

std::vector<Rung> sessionVariants(const Profile& reached) {
  std::vector<Rung> v;
  Profile p = reached;
  p.gfx = false;
  v.push_back({p, "graphics pipeline off", false});
  p.compression = false;
  v.push_back({p, "graphics pipeline and compression off", false});
  p.colorDepth = 16;
  v.push_back({p, "16 bpp, no graphics pipeline, no compression", false});
  p.clientBuild = 2600;
  v.push_back({p, "announce an older client build (2600, Windows XP)", false});
  return v;
}

}  // namespace rdpdoctor
