#include "rdpdoctor/profile.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>

using namespace rdpdoctor;

namespace {
Profile base() {
  Profile p;
  p.target = *parseHostSpec("legacy.lab:3390");
  p.user = "alice";
  return p;
}
bool has(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}
}  // namespace

TEST(Profile, DefaultProfileHasNoDowngrades) { EXPECT_TRUE(base().downgrades().empty()); }

TEST(Profile, SecLevelZeroAndRdpSecurityAreMarkedAsDowngrades) {
  auto p = base();
  p.security = Security::Rdp;
  p.tlsSecLevel = 0;
  EXPECT_EQ(p.downgrades().size(), 2u);
  EXPECT_EQ(p.weakestLayer(), SecurityFloor::Rdp);
}

TEST(Profile, XfreerdpArgsDialTheAddressAndCarryEveryKnob) {
  auto p = base();
  p.dialAddress = "::1";
  p.security = Security::Tls;
  p.tlsSecLevel = 0;
  p.gfx = false;
  p.colorDepth = 16;
  auto a = p.xfreerdpArgs();
  EXPECT_EQ(a.front(), "/v:[::1]:3390");
  EXPECT_TRUE(has(a, "/sec:tls"));
  EXPECT_TRUE(has(a, "/tls-seclevel:0"));
  EXPECT_TRUE(has(a, "-gfx"));
  EXPECT_TRUE(has(a, "/bpp:16"));
  EXPECT_TRUE(has(a, "/u:alice"));
  for (const auto& s : a) EXPECT_EQ(s.find("/p:"), std::string::npos);
}

TEST(Profile, Xfreerdp3ArgsSpellTheSameCombinationIn3xSyntax) {
  auto p = base();
  p.security = Security::Tls;
  p.tlsSecLevel = 0;
  p.tlsCiphers = "ALL:@SECLEVEL=0";
  p.gfx = false;
  const auto a = p.xfreerdp3Args();
  EXPECT_EQ(a.front(), "/v:legacy.lab:3390");
  EXPECT_TRUE(has(a, "/sec:tls"));
  EXPECT_TRUE(has(a, "/tls:seclevel:0"));
  EXPECT_TRUE(has(a, "/tls:ciphers:ALL:@SECLEVEL=0"));
  EXPECT_TRUE(has(a, "-gfx"));
  for (const auto& s : a)
    EXPECT_EQ(s.rfind("/tls-", 0), std::string::npos) << s;  // 2.11's spelling
  const auto two = p.xfreerdpArgs();
  EXPECT_TRUE(has(two, "/tls-seclevel:0"));
  EXPECT_EQ(a.size(), two.size());
  p.saltedMac = false;
  EXPECT_FALSE(p.xfreerdp3CanReproduce());
}

TEST(Profile, ATlsCapIsEnforcedIn3xSyntaxAndHasNo211Option) {
  auto p = base();
  p.tlsMaxVersion = TlsVersion::V1_2;
  EXPECT_TRUE(has(p.xfreerdp3Args(), "/tls:enforce:1.2"));
  EXPECT_TRUE(p.xfreerdp3CanReproduce());  // enforce pins 1.2, the version the cap lands on
  for (const auto& s : p.xfreerdpArgs()) EXPECT_EQ(s.find("enforce"), std::string::npos) << s;
  EXPECT_FALSE(p.xfreerdpCanReproduce());  // 2.11 has no maximum version option
  const auto r = p.rdpdoctorArgs();
  const auto at = std::find(r.begin(), r.end(), "--tls-max-version");
  ASSERT_NE(at, r.end());
  EXPECT_EQ(*(at + 1), "1.2");
  EXPECT_NE(p.summary().find("TLS <= 1.2"), std::string::npos) << p.summary();
  EXPECT_TRUE(p.downgrades().empty());  // 1.2 is no downgrade
  p.tlsMaxVersion = TlsVersion::V1_1;
  EXPECT_EQ(p.downgrades().size(), 1u);
  p.tlsMinVersion = TlsVersion::V1_0;  // a range 3.x cannot spell
  EXPECT_FALSE(p.xfreerdp3CanReproduce());
  nlohmann::json j = p;
  EXPECT_EQ(j["tls_max_version"], "1.1");
  EXPECT_EQ(j["tls_min_version"], "1.0");
  EXPECT_EQ(j.get<Profile>(), p);
}

TEST(Profile, JsonCarriesSummaryDowngradesAndArgs) {
  auto p = base();
  p.security = Security::Rdp;
  nlohmann::json j = p;
  EXPECT_EQ(j["security"], "rdp");
  EXPECT_EQ(j["port"], 3390);
  EXPECT_EQ(j["downgrades"].size(), 1u);
  EXPECT_EQ(j["xfreerdp_args"][0], "/v:legacy.lab:3390");
  EXPECT_EQ(j["xfreerdp3_args"][0], "/v:legacy.lab:3390");
  EXPECT_TRUE(j["xfreerdp3_reproducible"].get<bool>());
}

TEST(Profile, ParsersAcceptContractNamesAndRejectOthers) {
  EXPECT_EQ(*parseSecurity("auto"), Security::Negotiate);
  EXPECT_EQ(*parseFloor("nla"), SecurityFloor::Nla);
  EXPECT_EQ(*parseCertPolicy("accept-once"), CertPolicy::AcceptOnce);
  EXPECT_FALSE(parseSecurity("ssl").ok());
  EXPECT_FALSE(parseFloor("none").ok());
  EXPECT_FALSE(parseCertPolicy("yes").ok());
}

TEST(Profile, JsonRoundTripKeepsEveryKnob) {
  auto p = base();
  p.dialAddress = "127.0.0.2";
  p.domain = "LAB";
  p.security = Security::NlaExt;
  p.tlsSecLevel = 0;
  p.tlsCiphers = "ECDHE-RSA-AES128-SHA";
  p.saltedMac = false;
  p.rdpEncryptionMethods = kEncryptionFips;
  p.preferIpv6 = true;
  p.gfx = false;
  p.compression = false;
  p.colorDepth = 16;
  p.clientBuild = 2600;
  p.width = 800;
  p.height = 600;
  p.cert = CertPolicy::Tofu;
  p.tcpConnectTimeoutMs = 1234;
  nlohmann::json j = p;
  auto back = j.get<Profile>();
  EXPECT_EQ(back, p);
}

TEST(ProfileJson, AnUnknownSecurityOrCertificatePolicyIsRejectedNotReadAsADefault) {
  Profile p;
  p.target = *parseHostSpec("host.lab");
  p.security = Security::Tls;
  nlohmann::json j = p;
  j["security"] = "tls-please";
  EXPECT_THROW((void)j.get<Profile>(), std::invalid_argument);
  j["security"] = "tls";
  j["cert"] = "trust-everything";
  EXPECT_THROW((void)j.get<Profile>(), std::invalid_argument);
  j["cert"] = "deny";
  EXPECT_EQ(j.get<Profile>().security, Security::Tls);
}

TEST(Profile, RdpdoctorArgsCarryEveryKnobAwayFromItsDefault) {
  Profile p = base();
  EXPECT_EQ(shellLine(p.rdpdoctorArgs()), "connect legacy.lab:3390 --user alice");
  p.security = Security::Tls;
  p.tlsSecLevel = 0;
  p.tlsCiphers = "ALL:@SECLEVEL=0";
  p.rdpEncryptionMethods = kEncryption128 | kEncryptionFips;
  p.dialAddress = "127.0.0.2";
  p.preferIpv6 = true;
  p.gfx = false;
  p.compression = false;
  p.colorDepth = 16;
  p.clientBuild = 2600;
  p.width = 800;
  p.height = 600;
  p.domain = "LAB";
  p.cert = CertPolicy::Tofu;
  EXPECT_EQ(shellLine(p.rdpdoctorArgs()),
            "connect legacy.lab:3390 --user alice --domain LAB --security tls --tls-seclevel 0 "
            "--tls-ciphers "
            "ALL:@SECLEVEL=0 --rdp-encryption 128,fips --address 127.0.0.2 --ipv6 --no-gfx "
            "--no-compression --bpp 16 "
            "--client-build 2600 --size 800x600 --cert tofu");
}

TEST(Profile, RdpdoctorArgsNameTheFloorTheLayerNeeds) {
  Profile p = base();
  p.user.clear();
  p.security = Security::Rdp;
  p.saltedMac = false;
  EXPECT_EQ(shellLine(p.rdpdoctorArgs(0)),
            "connect legacy.lab:3390 --security rdp --min-security rdp --rdp-mac classic");
  Profile n = base();
  n.user.clear();
  // negotiate that landed on standard RDP security (PROTOCOL_RDP): connect refuses it at floor tls
  EXPECT_EQ(shellLine(n.rdpdoctorArgs(0)), "connect legacy.lab:3390 --min-security rdp");
  EXPECT_EQ(shellLine(n.rdpdoctorArgs(0x1)), "connect legacy.lab:3390");
  EXPECT_EQ(shellLine(n.rdpdoctorArgs(0x2, SecurityFloor::Nla)),
            "connect legacy.lab:3390 --min-security nla");
}

TEST(Profile, ShellWordsQuoteWhatAShellWouldRead) {
  EXPECT_EQ(shellWord("plain-1.2:3"), "plain-1.2:3");
  EXPECT_EQ(shellWord("a b"), "'a b'");
  EXPECT_EQ(shellWord("it's"), "'it'\\''s'");
  EXPECT_EQ(shellWord("$(x)"), "'$(x)'");
  EXPECT_EQ(shellWord(""), "''");
}
