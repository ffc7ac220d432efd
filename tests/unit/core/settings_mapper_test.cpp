// Profile -> rdpSettings: each knob lands in exactly the FreeRDP setting it names (2.11 and 3.x).
#include "rdpdoctor/core/settings_mapper.hpp"

#include <freerdp/settings.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>

using namespace rdpdoctor;

namespace {

struct SettingsDeleter {
  void operator()(rdpSettings* s) const { freerdp_settings_free(s); }
};
using Settings = std::unique_ptr<rdpSettings, SettingsDeleter>;

Settings mapped(const Profile& p, const std::string& password = "", Goal goal = Goal::FirstFrame,
                SecurityFloor floor = SecurityFloor::Rdp) {
  Settings s(freerdp_settings_new(0));
  EXPECT_TRUE(s);
  EXPECT_TRUE(
      applyProfile(p, password, ConnectOptions{goal, "/nonexistent/cfg", floor, ""}, s.get()).ok());
  return s;
}

Profile base() {
  Profile p;
  p.target = *parseHostSpec("legacy.lab:3390");
  p.user = "alice";
  p.domain = "LAB";
  return p;
}

// the key types differ between FreeRDP majors (typed enums in 3.x): take whichever the header has
template <typename Key>
bool b(const Settings& s, Key id) {
  return freerdp_settings_get_bool(s.get(), id) == TRUE;
}
template <typename Key>
std::string str(const Settings& s, Key id) {
  const char* v = freerdp_settings_get_string(s.get(), id);
  return v ? v : "";
}
template <typename Key>
std::uint32_t u(const Settings& s, Key id) {
  return freerdp_settings_get_uint32(s.get(), id);
}

}  // namespace

TEST(SettingsMapper, AddressPortAndCredentials) {
  auto s = mapped(base(), "secret");
  EXPECT_EQ(str(s, FreeRDP_ServerHostname), "legacy.lab");
  EXPECT_EQ(u(s, FreeRDP_ServerPort), 3390u);
  EXPECT_EQ(str(s, FreeRDP_Username), "alice");
  EXPECT_EQ(str(s, FreeRDP_Domain), "LAB");
  EXPECT_EQ(str(s, FreeRDP_Password), "secret");
  EXPECT_EQ(str(s, FreeRDP_ConfigPath), "/nonexistent/cfg");
  EXPECT_FALSE(b(s, FreeRDP_IgnoreCertificate));
}

TEST(SettingsMapper, DialingAnAddressKeepsTheCertificateName) {
  auto p = base();
  p.dialAddress = "127.0.0.1";
  auto s = mapped(p);
  EXPECT_EQ(str(s, FreeRDP_ServerHostname), "127.0.0.1");
  EXPECT_EQ(str(s, FreeRDP_CertificateName), "legacy.lab");
}

TEST(SettingsMapper, ARelayPortIsDialledWhileTheCertificateNameStaysTheHosts) {
  auto p = base();
  p.dialAddress = "127.0.0.1";
  p.dialPort = 41234;
  auto s = mapped(p);
  EXPECT_EQ(str(s, FreeRDP_ServerHostname), "127.0.0.1");
  EXPECT_EQ(u(s, FreeRDP_ServerPort), 41234u);
  EXPECT_EQ(str(s, FreeRDP_CertificateName), "legacy.lab");
}

TEST(SettingsMapper, ATlsKeyLogIsRefusedForAConnectionWithCredentials) {
  Settings s(freerdp_settings_new(0));
  ConnectOptions o{Goal::FirstFrame, "/nonexistent/cfg", SecurityFloor::Tls, "/tmp/keys.log"};
  auto anonymous = base();
  anonymous.user.clear();
  anonymous.domain.clear();
  EXPECT_TRUE(applyProfile(anonymous, "", o, s.get()).ok());
  const auto withPassword = applyProfile(anonymous, "secret", o, s.get());
  ASSERT_FALSE(withPassword.ok());
  EXPECT_EQ(withPassword.error().code, "usage");
  EXPECT_FALSE(applyProfile(base(), "", o, s.get()).ok());  // a user name alone is refused too
}

TEST(SettingsMapper, EachSecurityLayerOffersExactlyItsProtocols) {
  struct Case {
    Security sec;
    bool rdp, tls, nla, ext;
  } cases[] = {{Security::Negotiate, true, true, true, false},
               {Security::Nla, false, false, true, false},
               {Security::NlaExt, false, false, false, true},
               {Security::Tls, false, true, false, false},
               {Security::Rdp, true, false, false, false}};
  for (const auto& c : cases) {
    auto p = base();
    p.security = c.sec;
    auto s = mapped(p);
    EXPECT_EQ(b(s, FreeRDP_RdpSecurity), c.rdp) << toString(c.sec);
    EXPECT_EQ(b(s, FreeRDP_TlsSecurity), c.tls) << toString(c.sec);
    EXPECT_EQ(b(s, FreeRDP_NlaSecurity), c.nla) << toString(c.sec);
    EXPECT_EQ(b(s, FreeRDP_ExtSecurity), c.ext) << toString(c.sec);
    EXPECT_EQ(b(s, FreeRDP_UseRdpSecurityLayer), c.sec == Security::Rdp) << toString(c.sec);
  }
}

TEST(SettingsMapper, NothingBelowTheFloorIsEnabledSoFreeRdpDropsAConfirmThatSelectsIt) {
  struct Case {
    Security sec;
    SecurityFloor floor;
    bool rdp, tls, nla;
  } cases[] = {{Security::Negotiate, SecurityFloor::Tls, false, true, true},
               {Security::Negotiate, SecurityFloor::Nla, false, false, true},
               {Security::Tls, SecurityFloor::Tls, false, true, false},
               {Security::Nla, SecurityFloor::Nla, false, false, true}};
  for (const auto& c : cases) {
    auto p = base();
    p.security = c.sec;
    auto s = mapped(p, "", Goal::FirstFrame, c.floor);
    EXPECT_EQ(b(s, FreeRDP_RdpSecurity), c.rdp) << toString(c.sec) << " at " << toString(c.floor);
    EXPECT_EQ(b(s, FreeRDP_TlsSecurity), c.tls) << toString(c.sec) << " at " << toString(c.floor);
    EXPECT_EQ(b(s, FreeRDP_NlaSecurity), c.nla) << toString(c.sec) << " at " << toString(c.floor);
    EXPECT_FALSE(b(s, FreeRDP_UseRdpSecurityLayer));
  }
}

TEST(SettingsMapper, AProfileThatOffersNothingAtTheFloorIsRefused) {
  Settings s(freerdp_settings_new(0));
  auto p = base();
  p.security = Security::Rdp;
  const auto st = applyProfile(
      p, "secret", ConnectOptions{Goal::FirstFrame, "", SecurityFloor::Tls, ""}, s.get());
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, "below-floor");
  p.security = Security::Tls;
  EXPECT_FALSE(
      applyProfile(p, "", ConnectOptions{Goal::FirstFrame, "", SecurityFloor::Nla, ""}, s.get())
          .ok());
}

TEST(SettingsMapper, TheMstshashCookieCarriesNoUserName) {
  auto p = base();
  p.user = "alice";
  auto s = mapped(p, "secret");
  EXPECT_EQ(str(s, FreeRDP_Username), "alice");
  EXPECT_EQ(u(s, FreeRDP_CookieMaxLength), 0u)
      << "FreeRDP would send the user name in the clear before TLS";
}

TEST(SettingsMapper, TlsAndProtocolKnobs) {
  auto p = base();
  p.tlsSecLevel = 0;
  p.tlsCiphers = "ECDHE-RSA-AES128-SHA";
  p.rdpEncryptionMethods = kEncryptionFips;
  p.saltedMac = false;
  p.gfx = false;
  p.compression = false;
  p.colorDepth = 16;
  p.clientBuild = 2600;
  p.preferIpv6 = true;
  p.width = 800;
  p.height = 600;
  p.tcpConnectTimeoutMs = 1234;
  auto s = mapped(p);
  EXPECT_EQ(u(s, FreeRDP_TlsSecLevel), 0u);
  EXPECT_EQ(str(s, FreeRDP_AllowedTlsCiphers), "ECDHE-RSA-AES128-SHA");
  EXPECT_EQ(u(s, FreeRDP_EncryptionMethods), kEncryptionFips);
  EXPECT_FALSE(b(s, FreeRDP_SaltedChecksum));
  EXPECT_FALSE(b(s, FreeRDP_SupportGraphicsPipeline));
  EXPECT_FALSE(b(s, FreeRDP_CompressionEnabled));
  EXPECT_EQ(u(s, FreeRDP_ColorDepth), 16u);
  EXPECT_EQ(u(s, FreeRDP_ClientBuild), 2600u);
  EXPECT_TRUE(b(s, FreeRDP_PreferIPv6OverIPv4));
  EXPECT_EQ(u(s, FreeRDP_DesktopWidth), 800u);
  EXPECT_EQ(u(s, FreeRDP_DesktopHeight), 600u);
  EXPECT_EQ(u(s, FreeRDP_TcpConnectTimeout), 1234u);
}

TEST(SettingsMapper, DefaultsLeaveFreerdpDefaultsAlone) {
  Settings fresh(freerdp_settings_new(0));
  auto s = mapped(base());
  EXPECT_EQ(u(s, FreeRDP_TlsSecLevel), u(fresh, FreeRDP_TlsSecLevel));
  EXPECT_EQ(u(s, FreeRDP_EncryptionMethods), u(fresh, FreeRDP_EncryptionMethods));
  EXPECT_EQ(u(s, FreeRDP_ClientBuild), u(fresh, FreeRDP_ClientBuild));
  EXPECT_EQ(b(s, FreeRDP_SaltedChecksum), b(fresh, FreeRDP_SaltedChecksum));
}

TEST(SettingsMapper, AuthenticationOnlyOnlyForTheAuthenticatedGoal) {
  EXPECT_TRUE(b(mapped(base(), "x", Goal::Authenticated), FreeRDP_AuthenticationOnly));
  EXPECT_FALSE(b(mapped(base(), "x", Goal::LoggedOn), FreeRDP_AuthenticationOnly));
}

// FreeRDP 3 makes every codec context at the desktop's size when a connect starts (~20 MB at
// 1024x768); an authentication-only attempt draws nothing. 2.11 has no such setting: skipped.
TEST(SettingsMapper, OnlyAuthenticationOnlyAttemptsTurnGraphicsDecodingOffOnFreerdp3) {
  const auto key = freerdp_settings_get_key_for_name("FreeRDP_DeactivateClientDecoding");
  if (key < 0) GTEST_SKIP() << "FreeRDP 2.11 has no FreeRDP_DeactivateClientDecoding";
  const auto id = static_cast<decltype(FreeRDP_AuthenticationOnly)>(key);
  EXPECT_TRUE(b(mapped(base(), "x", Goal::Authenticated), id));
  EXPECT_FALSE(b(mapped(base(), "x", Goal::Connected), id));
  EXPECT_FALSE(b(mapped(base(), "x", Goal::FirstFrame), id));
  EXPECT_FALSE(b(mapped(base(), "x", Goal::LoggedOn), id));
}

TEST(SettingsMapper, NullSettingsIsAnError) {
  EXPECT_FALSE(applyProfile(base(), "", {}, nullptr).ok());
}
