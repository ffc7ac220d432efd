// A full graphical logon through xrdp + xrdp-sesman with the lab user: the session paints its
// desktop in lab::kDesktopColour, read back from the frame's pixels. xrdp never sends a logon
// notification, so the colour is the proof (the Outcome's logonProof stays empty: "unproven").
#include <gtest/gtest.h>

#include <memory>

#include "core_harness.hpp"

namespace rdpdoctor::itest {
namespace {

class XrdpLogon : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto sesman = lab::startSesman();
    if (!sesman) {
      error() = "xrdp-sesman did not start: " + sesman.error().message();
      return;
    }
    sesmanHolder() = std::move(sesman).value();
    server().start({.kind = lab::Kind::XrdpNegotiate});
  }
  static void TearDownTestSuite() {
    server().stop();
    sesmanHolder().reset();  // stops the sessions the logons left behind
  }
  static SharedServer& server() {
    static SharedServer s;
    return s;
  }
  static std::unique_ptr<lab::Sesman>& sesmanHolder() {
    static std::unique_ptr<lab::Sesman> s;
    return s;
  }
  static std::string& error() {
    static std::string e;
    return e;
  }
  void SetUp() override {
    ASSERT_NE(sesmanHolder(), nullptr) << error();
    ASSERT_NE(server().get(), nullptr) << server().error();
  }
  [[nodiscard]] SessionRequest logonRequest(const std::string& password) const {
    auto req = requestFor(*server().get(), dir_.path(), Goal::LoggedOn);
    req.profile.user = sesmanHolder()->user();
    req.password = Secret(password);
    req.deadline = std::chrono::milliseconds(30000);
    req.untilColour = lab::kDesktopColour;
    return req;
  }

  lab::TempDir dir_;
};

TEST_F(XrdpLogon, WrongPasswordNeverShowsTheSessionDesktop) {
  const auto displaysBefore = sesmanHolder()->sessionDisplays();
  auto req = logonRequest("Not-The-Lab-Pass-9");
  req.holdAfterGoal = std::chrono::milliseconds(2000);
  const auto a = runAttempt(req);
  // xrdp paints its login screen (with an error) for any password: the goal's grace ends it
  // "successfully" but unproven, and the pixels are not the session's.
  EXPECT_EQ(a.outcome.reached, Stage::Frame) << a.describe();
  EXPECT_TRUE(a.outcome.logonProof.empty()) << a.describe();
  ASSERT_TRUE(a.outcome.frame.has_value()) << a.describe();
  EXPECT_NE(a.outcome.frame->dominantRgb, lab::kDesktopColour) << a.describe();
  EXPECT_EQ(sesmanHolder()->sessionDisplays(), displaysBefore) << "no session was started for a wrong password";
}

TEST_F(XrdpLogon, LogsOnAndPaintsTheSessionDesktop) {
  auto req = logonRequest(sesmanHolder()->password());
  req.holdAfterGoal = std::chrono::milliseconds(10000);  // ends as soon as the colour shows
  const auto a = runAttempt(req);
  ASSERT_TRUE(a.outcome.success) << a.describe();
  EXPECT_EQ(a.outcome.reached, Stage::Frame) << "xrdp sends no logon notification: " << a.describe();
  EXPECT_TRUE(a.outcome.logonProof.empty()) << "no notification, no NLA: the logon is proven by pixels only";
  ASSERT_TRUE(a.outcome.frame.has_value()) << a.describe();
  EXPECT_EQ(a.outcome.frame->dominantRgb, lab::kDesktopColour) << a.describe();
  EXPECT_GT(a.outcome.frame->dominantShare, 0.5) << a.describe();
  EXPECT_FALSE(sesmanHolder()->sessionDisplays().empty()) << "the logon started a session X server";
}

}  // namespace
}  // namespace rdpdoctor::itest
