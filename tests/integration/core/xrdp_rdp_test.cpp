// client/core against xrdp with standard RDP security (security_layer=rdp) at every crypt level:
// FreeRDP 2.11's default salted MAC fails against xrdp at low/medium/high (xrdp logs "MAC
// checksum error" and logs the client off), works at fips; the classic MAC works everywhere.
#include <gtest/gtest.h>

#include <map>

#include "core_harness.hpp"

namespace rdpdoctor::itest {
namespace {

constexpr std::int64_t kProtocolRdp = 0x0;

class XrdpRdp : public ::testing::TestWithParam<std::string> {
 protected:
  static void TearDownTestSuite() { servers().clear(); }
  void SetUp() override {
    auto& shared = servers()[GetParam()];
    if (shared.get() == nullptr)
      shared.start({.kind = lab::Kind::XrdpRdp, .cryptLevel = GetParam()});
    ASSERT_NE(shared.get(), nullptr) << shared.error();
    server_ = shared.get();
  }
  static std::map<std::string, SharedServer>& servers() {
    static std::map<std::string, SharedServer> s;
    return s;
  }
  [[nodiscard]] SessionRequest rdpRequest() const {
    auto req = requestFor(*server_, dir_.path());
    req.profile.security = Security::Rdp;
    req.floor = SecurityFloor::Rdp;  // standard RDP security is allowed only below a lowered floor
    return req;
  }

  lab::TempDir dir_;
  const lab::Server* server_ = nullptr;
};

TEST_P(XrdpRdp, DefaultSaltedMacFailsExceptAtFips) {
  const auto a = runAttempt(rdpRequest());
  if (GetParam() == "fips") {
    ASSERT_TRUE(a.outcome.success) << a.describe();
    EXPECT_EQ(a.outcome.reached, Stage::Frame);
    EXPECT_EQ(a.outcome.selectedProtocol, kProtocolRdp);
    return;
  }
  EXPECT_FALSE(a.outcome.success) << a.describe();
  EXPECT_FALSE(a.outcome.timedOut) << a.describe();
  EXPECT_LT(a.outcome.reached, Stage::Frame) << a.describe();
  EXPECT_EQ(a.outcome.errinfoName, "ERRINFO_LOGOFF_BY_USER") << a.describe();
  EXPECT_EQ(a.signature.id, "rdp-encryption-mismatch") << a.describe();
  EXPECT_EQ(a.signature.layer, Layer::RdpSecurity);
  EXPECT_TRUE(a.signature.retryable);
}

TEST_P(XrdpRdp, ClassicMacConnectsToFirstFrame) {
  auto req = rdpRequest();
  req.profile.saltedMac = false;
  const auto a = runAttempt(req);
  ASSERT_TRUE(a.outcome.success) << a.describe();
  EXPECT_EQ(a.outcome.reached, Stage::Frame) << a.describe();
  EXPECT_EQ(a.outcome.selectedProtocol, kProtocolRdp);
  EXPECT_FALSE(a.outcome.certificate.has_value()) << "standard RDP security has no TLS certificate";
  ASSERT_TRUE(a.outcome.frame.has_value());
  EXPECT_GE(a.outcome.frame->frames, 1U);
}

INSTANTIATE_TEST_SUITE_P(CryptLevel, XrdpRdp, ::testing::Values("low", "medium", "high", "fips"),
                         [](const auto& p) { return std::string(p.param); });

}  // namespace
}  // namespace rdpdoctor::itest
