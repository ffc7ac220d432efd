#include "rdpdoctor/ladder/planner.hpp"

#include <gtest/gtest.h>

#include <optional>

using namespace rdpdoctor;

namespace {
Profile start(Security s = Security::Negotiate) {
  Profile p;
  p.target = *parseHostSpec("host.lab");
  p.security = s;
  return p;
}
Policy policy(SecurityFloor floor, bool creds = true) { return Policy{floor, creds, 12}; }
}  // namespace

TEST(Planner, OriginalSettingsComeFirst) {
  auto rungs = planLadder(start(Security::Tls), {}, policy(SecurityFloor::Tls));
  ASSERT_FALSE(rungs.empty());
  EXPECT_EQ(rungs.front().profile, start(Security::Tls));
  EXPECT_EQ(rungs.front().why, "the original settings");
}

TEST(Planner, NlaRequiredPutsNlaRightAfterTheOriginal) {
  HostFacts f;
  f.probed = true;
  f.offersNla = true;
  f.nlaRequired = true;
  f.offersTls = false;
  auto rungs = planLadder(start(Security::Tls), f, policy(SecurityFloor::Tls));
  ASSERT_GE(rungs.size(), 2u);
  EXPECT_EQ(rungs[1].profile.security, Security::Nla);
  for (const auto& r : rungs) EXPECT_NE(r.profile.security, Security::Rdp) << r.why;
}

TEST(Planner, LegacyTlsHostGetsSecurityLevelZeroRung) {
  HostFacts f;
  f.probed = true;
  f.offersTls = true;
  f.tlsVersionsOk = {"1.0"};
  f.minSecLevel = 0;
  auto rungs = planLadder(start(Security::Tls), f, policy(SecurityFloor::Tls, false));
  bool found = false;
  for (const auto& r : rungs)
    if (r.profile.security == Security::Tls && r.profile.tlsSecLevel == 0u) {
      found = true;
      EXPECT_FALSE(r.belowFloor);
      EXPECT_FALSE(r.profile.downgrades().empty());
    }
  EXPECT_TRUE(found);
}

TEST(Planner, StandardRdpSecurityIsBelowTheDefaultFloor) {
  HostFacts f;
  f.probed = true;
  f.offersRdp = true;
  f.noNegotiationData = true;
  auto rungs = planLadder(start(Security::Tls), f, policy(SecurityFloor::Tls));
  int rdp = 0;
  for (const auto& r : rungs)
    if (r.profile.security == Security::Rdp) {
      ++rdp;
      EXPECT_TRUE(r.belowFloor);
    }
  EXPECT_GE(rdp, 3);  // plain, legacy RC4, FIPS
  for (const auto& r : planLadder(start(Security::Tls), f, policy(SecurityFloor::Rdp))) {
    if (r.profile.security == Security::Rdp) {
      EXPECT_FALSE(r.belowFloor);
    }
  }
}

TEST(Planner, TheUsersOwnSettingsAreTriedWhateverTheFloor) {
  auto rungs = planLadder(start(Security::Negotiate), {}, policy(SecurityFloor::Nla));
  ASSERT_FALSE(rungs.empty());
  EXPECT_FALSE(rungs.front().belowFloor);
  EXPECT_EQ(rungs.front().profile.security, Security::Negotiate);
}

TEST(Planner, NlaFloorPutsTlsAndNegotiateBelowIt) {
  auto rungs = planLadder(start(Security::Nla), {}, policy(SecurityFloor::Nla));
  for (const auto& r : rungs) {
    const bool nla = r.profile.security == Security::Nla || r.profile.security == Security::NlaExt;
    EXPECT_EQ(r.belowFloor, !nla) << r.why;
  }
}

TEST(Planner, NoCredentialsMeansNoNlaRungs) {
  for (const auto& r : planLadder(start(Security::Tls), {}, policy(SecurityFloor::Tls, false)))
    EXPECT_TRUE(r.profile.security != Security::Nla && r.profile.security != Security::NlaExt);
}

TEST(Planner, DeadFirstAddressDialsTheLiveOneAndKeepsTheName) {
  HostFacts f;
  f.probed = true;
  f.offersTls = true;
  f.addresses = {{"::1", true, false, "refused"}, {"127.0.0.1", false, true, ""}};
  auto rungs = planLadder(start(Security::Tls), f, policy(SecurityFloor::Tls));
  ASSERT_GE(rungs.size(), 2u);
  EXPECT_EQ(rungs[1].profile.dialAddress, "127.0.0.1");
  EXPECT_EQ(rungs[1].profile.target.host, "host.lab");
}

TEST(Planner, NoDuplicateRungsAndTheBoundHolds) {
  Policy p = policy(SecurityFloor::Rdp);
  p.maxAttempts = 3;
  auto rungs = planLadder(start(), {}, p);
  std::size_t tried = 0;
  for (std::size_t i = 0; i < rungs.size(); ++i) {
    if (!rungs[i].belowFloor) ++tried;
    for (std::size_t j = i + 1; j < rungs.size(); ++j)
      EXPECT_FALSE(rungs[i].profile == rungs[j].profile);
  }
  EXPECT_EQ(tried, 3u);
}

TEST(Planner, SessionVariantsTurnOffGraphicsFirst) {
  auto v = sessionVariants(start(Security::Tls));
  ASSERT_EQ(v.size(), 4u);
  EXPECT_FALSE(v[0].profile.gfx);
  EXPECT_EQ(v[3].profile.clientBuild, 2600u);
}

namespace {
/// A TLS host whose handshake is dropped (no alert) when TLS 1.3 is offered; 1.0-1.2 work.
HostFacts breaksOnTls13() {
  HostFacts f;
  f.probed = true;
  f.offersTls = true;
  f.offersNla = true;
  f.tlsVersionsOk = {"1.0", "1.1", "1.2"};
  f.tlsVersionsClosed = {"1.3"};
  return f;
}
}  // namespace

TEST(Planner, AHostThatDropsTls13GetsATls12CapBeforeEachUncappedTlsRung) {
  const auto rungs = planLadder(start(), breaksOnTls13(), policy(SecurityFloor::Tls));
  for (Security layer : {Security::Nla, Security::Tls}) {
    std::optional<std::size_t> capped, uncapped;
    for (std::size_t i = 0; i < rungs.size(); ++i) {
      const auto& p = rungs[i].profile;
      if (p.security != layer) continue;
      if (p.tlsMaxVersion == TlsVersion::V1_2 && !capped) capped = i;
      if (!p.tlsMaxVersion && !uncapped) uncapped = i;
    }
    ASSERT_TRUE(capped) << toString(layer);
    ASSERT_TRUE(uncapped) << toString(layer);
    EXPECT_LT(*capped, *uncapped) << toString(layer);
    EXPECT_NE(rungs[*capped].why.find("at most TLS 1.2"), std::string::npos) << rungs[*capped].why;
    EXPECT_FALSE(rungs[*capped].belowFloor);
    EXPECT_FALSE(rungs[*capped].profile.tlsMinVersion);  // a cap, not a pin
  }
}

TEST(Planner, TheCapIsTheHighestWorkingVersionBelowTheOneThatBreaks) {
  HostFacts f = breaksOnTls13();
  f.tlsVersionsOk = {"1.0", "1.1"};
  f.tlsVersionsClosed = {"1.2", "1.3"};
  f.minSecLevel = 0;
  bool level0Capped = false;
  for (const auto& r : planLadder(start(), f, policy(SecurityFloor::Tls))) {
    if (r.profile.tlsMaxVersion) {
      EXPECT_EQ(*r.profile.tlsMaxVersion, TlsVersion::V1_1) << r.why;
    }
    level0Capped |= r.profile.tlsMaxVersion == TlsVersion::V1_1 && r.profile.tlsSecLevel == 0u;
  }
  EXPECT_TRUE(level0Capped);  // TLS 1.1 under OpenSSL 3 also needs level 0
}

TEST(Planner, AHostThatRefusesTls13WithAnAlertGetsNoCap) {
  HostFacts f = breaksOnTls13();
  f.tlsVersionsClosed.clear();  // it answered 1.3 with protocol_version: OpenSSL negotiates down
  for (const auto& r : planLadder(start(), f, policy(SecurityFloor::Tls)))
    EXPECT_FALSE(r.profile.tlsMaxVersion) << r.why;
}

TEST(Planner, AHostThatDropsEveryTlsVersionGetsNoCap) {
  HostFacts f = breaksOnTls13();
  f.tlsVersionsOk.clear();
  f.tlsVersionsClosed = {"1.0", "1.1", "1.2", "1.3"};
  for (const auto& r : planLadder(start(), f, policy(SecurityFloor::Tls)))
    EXPECT_FALSE(r.profile.tlsMaxVersion) << r.why;
}
