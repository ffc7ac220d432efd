// client/core against FreeRDP's shadow server with NLA (CredSSP, NTLM from a SAM file): the only
// lab host that checks a password before the session exists.
#include <gtest/gtest.h>

#include "core_harness.hpp"

namespace rdpdoctor::itest {
namespace {

constexpr std::int64_t kProtocolHybrid = 0x2;

class ShadowNla : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server().start({.kind = lab::Kind::ShadowNla}); }
  static void TearDownTestSuite() { server().stop(); }
  static SharedServer& server() {
    static SharedServer s;
    return s;
  }
  void SetUp() override { ASSERT_NE(server().get(), nullptr) << server().error(); }
  [[nodiscard]] SessionRequest nlaRequest(Goal goal, const std::string& password) const {
    const lab::ServerOptions lab;  // the shadow server's SAM holds the lab user and password
    auto req = requestFor(*server().get(), dir_.path(), goal);
    req.profile.security = Security::Nla;
    req.profile.user = lab.user;
    req.password = Secret(password);
    return req;
  }
  static std::string labPassword() { return lab::ServerOptions{}.password; }

  lab::TempDir dir_;
};

TEST_F(ShadowNla, AuthenticatesWithTheRightPassword) {
  const auto a = runAttempt(nlaRequest(Goal::Authenticated, labPassword()));
  ASSERT_TRUE(a.outcome.success) << a.describe();
  EXPECT_EQ(a.signature.id, "ok");
  EXPECT_GE(a.outcome.reached, Stage::Certificate) << "NLA runs inside TLS: " << a.describe();
  ASSERT_TRUE(a.outcome.certificate.has_value()) << a.describe();
  EXPECT_TRUE(a.outcome.certificate->accepted);
  EXPECT_FALSE(a.outcome.frame.has_value()) << "auth-only paints nothing";
}

TEST_F(ShadowNla, LogsOnProvenByAFrameAfterNla) {
  const auto a = runAttempt(nlaRequest(Goal::LoggedOn, labPassword()));
  ASSERT_TRUE(a.outcome.success) << a.describe();
  EXPECT_EQ(a.outcome.reached, Stage::Frame) << a.describe();
  EXPECT_EQ(a.outcome.logonProof, "nla-frame") << a.describe();
  EXPECT_EQ(a.outcome.selectedProtocol, kProtocolHybrid);
  ASSERT_TRUE(a.outcome.frame.has_value());
  EXPECT_GE(a.outcome.frame->frames, 1U);
}

TEST_F(ShadowNla, WrongPasswordIsCredentialsRejectedAndStopsTheLadder) {
  const auto a = runAttempt(nlaRequest(Goal::Authenticated, "Wrong-Pass-5678"));
  EXPECT_FALSE(a.outcome.success) << a.describe();
  EXPECT_FALSE(a.outcome.timedOut) << a.describe();
  EXPECT_EQ(a.outcome.reached, Stage::Certificate) << "TLS completed, CredSSP failed: " << a.describe();
  EXPECT_EQ(a.signature.id, "credentials-rejected") << a.describe();
  EXPECT_EQ(a.signature.layer, Layer::Nla);
  EXPECT_TRUE(a.signature.stopsLadder) << "never try the same credentials again (account lockouts)";
  EXPECT_FALSE(a.signature.retryable);
}

TEST_F(ShadowNla, WrongPasswordThroughNegotiationIsCredentialsRejected) {
  // The user's default: security negotiated (the host selects NLA), no probe facts yet. The
  // attempt itself saw NLA run (TLS certificate accepted, then the server closed): that is a
  // credential rejection, or the first wrong password leads the doctor to send it again.
  auto req = nlaRequest(Goal::LoggedOn, "Wrong-Pass-5678");
  req.profile.security = Security::Negotiate;
  const auto a = runAttempt(req);
  EXPECT_FALSE(a.outcome.success) << a.describe();
  EXPECT_EQ(a.outcome.reached, Stage::Certificate) << a.describe();
  EXPECT_EQ(a.signature.id, "credentials-rejected") << a.describe();
  EXPECT_TRUE(a.signature.stopsLadder) << a.describe();
}

TEST_F(ShadowNla, WrongPasswordFailsTheLogonGoalToo) {
  const auto a = runAttempt(nlaRequest(Goal::LoggedOn, "Wrong-Pass-5678"));
  EXPECT_FALSE(a.outcome.success) << a.describe();
  EXPECT_FALSE(a.outcome.frame.has_value()) << a.describe();
  EXPECT_EQ(a.signature.id, "credentials-rejected") << a.describe();
}

}  // namespace
}  // namespace rdpdoctor::itest
