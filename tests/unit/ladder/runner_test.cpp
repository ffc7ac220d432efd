// The runner's control flow, with attempts given as scripted Outcomes (no server needed:
// the real attempts are covered by the integration tests on the lab).
#include "rdpdoctor/ladder/runner.hpp"

#include <gtest/gtest.h>

#include <map>

using namespace rdpdoctor;

namespace {

Rung rung(Security s, std::string why) {
  Profile p;
  p.target = *parseHostSpec("host.lab");
  p.security = s;
  return Rung{p, std::move(why), false};
}

Outcome ok() {
  Outcome o;
  o.success = true;
  o.reached = Stage::LoggedOn;
  return o;
}

Outcome fail(std::string name, Stage reached = Stage::Started) {
  Outcome o;
  o.freerdpErrorName = std::move(name);
  o.reached = reached;
  return o;
}

struct Script {
  std::map<Security, std::vector<Outcome>> bySecurity;
  std::vector<Security> calls;
  AttemptFn fn() {
    return [this](const Profile& p, Goal, std::chrono::milliseconds) {
      calls.push_back(p.security);
      auto& q = bySecurity[p.security];
      if (q.empty()) return fail("ERRCONNECT_CONNECT_TRANSPORT_FAILED");
      Outcome o = q.front();
      if (q.size() > 1) q.erase(q.begin());
      return o;
    };
  }
};

}  // namespace

TEST(Runner, FirstWorkingRungIsConfirmedByASecondConnection) {
  Script s;
  s.bySecurity[Security::Tls] = {fail("ERRCONNECT_TLS_CONNECT_FAILED")};
  s.bySecurity[Security::Nla] = {ok()};
  auto r = runLadder(
      {rung(Security::Tls, "orig"), rung(Security::Nla, "nla"), rung(Security::Negotiate, "neg")},
      {}, {}, s.fn());
  ASSERT_TRUE(r.winner.has_value());
  EXPECT_EQ(r.winner->profile.security, Security::Nla);
  EXPECT_TRUE(r.confirmed);
  EXPECT_EQ(s.calls, (std::vector<Security>{Security::Tls, Security::Nla, Security::Nla}));
  ASSERT_EQ(r.attempts.size(), 3u);  // rungs after a confirmed winner are not listed
  EXPECT_TRUE(r.attempts[2].confirmation);
}

TEST(Runner, CredentialRejectionStopsAtOnce) {
  Script s;
  s.bySecurity[Security::Nla] = {fail("ERRCONNECT_LOGON_FAILURE", Stage::Certificate)};
  s.bySecurity[Security::Tls] = {ok()};
  auto r = runLadder(
      {rung(Security::Nla, "orig"), rung(Security::Tls, "tls"), rung(Security::Negotiate, "neg")},
      {}, {}, s.fn());
  EXPECT_EQ(s.calls.size(), 1u);
  EXPECT_TRUE(r.stoppedBy.by(SignatureId::CredentialsRejected)) << toString(r.stoppedBy);
  EXPECT_FALSE(r.winner.has_value());
  EXPECT_TRUE(r.attempts[1].skipped);
}

TEST(Runner, FlakyWinnerIsNotClaimed) {
  Script s;
  s.bySecurity[Security::Tls] = {ok(), fail("ERRCONNECT_CONNECT_TRANSPORT_FAILED")};
  auto r =
      runLadder({rung(Security::Negotiate, "orig"), rung(Security::Tls, "tls")}, {}, {}, s.fn());
  EXPECT_FALSE(r.winner.has_value());
  EXPECT_FALSE(r.confirmed);
}

TEST(Runner, NoWorkingRungMeansNoWinner) {
  Script s;
  auto r =
      runLadder({rung(Security::Tls, "orig"), rung(Security::Negotiate, "neg")}, {}, {}, s.fn());
  EXPECT_FALSE(r.winner.has_value());
  EXPECT_EQ(r.attempts.size(), 2u);
}

TEST(Runner, BelowFloorRungsAreReportedNeverTried) {
  Script s;
  auto low = rung(Security::Rdp, "rdp");
  low.belowFloor = true;
  s.bySecurity[Security::Rdp] = {ok()};
  auto r = runLadder({rung(Security::Tls, "orig"), low}, {}, {}, s.fn());
  EXPECT_EQ(s.calls, (std::vector<Security>{Security::Tls}));
  ASSERT_EQ(r.belowFloor.size(), 1u);
  EXPECT_EQ(r.belowFloor[0].profile.security, Security::Rdp);
}

TEST(Runner, TheFloorKeptOutACandidateOnlyWhenNoFailureStoppedTheLadder) {
  auto low = rung(Security::Rdp, "rdp");
  low.belowFloor = true;
  Script failing;  // every rung fails and may be retried: the rung below the floor might work
  auto kept = runLadder({rung(Security::Tls, "orig"), low}, {}, {}, failing.fn());
  EXPECT_TRUE(kept.floorKeptOutACandidate()) << toString(kept.stoppedBy);

  Script denied;  // the server denied the connection (ERRINFO 7): no combination fixes that
  Outcome refused = fail("ERRCONNECT_CONNECT_TRANSPORT_FAILED", Stage::Certificate);
  refused.errinfo = 0x7;
  denied.bySecurity[Security::Tls] = {refused};
  auto stopped = runLadder({rung(Security::Tls, "orig"), low}, {}, {}, denied.fn());
  ASSERT_TRUE(stopped.stoppedBy.by(SignatureId::ServerDenied)) << toString(stopped.stoppedBy);
  EXPECT_EQ(stopped.belowFloor.size(), 1u);
  EXPECT_FALSE(stopped.floorKeptOutACandidate());
}

TEST(Runner, SilentOriginalStopsTheLadder) {
  Script s;
  Outcome silent;
  silent.timedOut = true;
  silent.reached = Stage::Started;
  s.bySecurity[Security::Tls] = {silent};
  auto r =
      runLadder({rung(Security::Tls, "orig"), rung(Security::Negotiate, "neg")}, {}, {}, s.fn());
  EXPECT_TRUE(r.stoppedBy.by(SignatureId::ServerSilent)) << toString(r.stoppedBy);
  EXPECT_EQ(s.calls.size(), 1u);
}

TEST(Runner, SessionStageFailureAddsProtocolVariants) {
  Script s;
  s.bySecurity[Security::Tls] = {fail("", Stage::Connected)};
  auto r = runLadder({rung(Security::Tls, "orig")}, {}, {}, s.fn());
  EXPECT_EQ(s.calls.size(), 5u);  // the original and four session variants
  EXPECT_FALSE(r.attempts[1].rung.profile.gfx);
}

TEST(Runner, ExhaustiveKeepsGoingAfterTheWinner) {
  Script s;
  s.bySecurity[Security::Tls] = {ok()};
  s.bySecurity[Security::Negotiate] = {ok()};
  LadderOptions o;
  o.exhaustive = true;
  auto r =
      runLadder({rung(Security::Tls, "orig"), rung(Security::Negotiate, "neg")}, {}, o, s.fn());
  EXPECT_EQ(r.winner->profile.security, Security::Tls);
  EXPECT_EQ(s.calls.size(), 3u);  // tls, its confirmation, negotiate
}

TEST(Runner, KnownOriginalOutcomeIsNotRunAgain) {
  Script s;
  s.bySecurity[Security::Negotiate] = {ok()};
  LadderOptions o;
  o.knownOriginal = fail("ERRCONNECT_TLS_CONNECT_FAILED");
  auto r =
      runLadder({rung(Security::Tls, "orig"), rung(Security::Negotiate, "neg")}, {}, o, s.fn());
  EXPECT_EQ(s.calls, (std::vector<Security>{Security::Negotiate, Security::Negotiate}));
  EXPECT_EQ(r.attempts.front().outcome.freerdpErrorName, "ERRCONNECT_TLS_CONNECT_FAILED");
  EXPECT_EQ(r.winner->profile.security, Security::Negotiate);
}

TEST(Runner, AConfirmBelowTheFloorIsReportedOnceAndTheLadderGoesOnAboveIt) {
  Script s;
  Outcome dropped = fail("ERRCONNECT_SECURITY_NEGO_CONNECT_FAILED");
  dropped.selectedProtocol = 0;
  dropped.belowFloor = true;
  s.bySecurity[Security::Negotiate] = {dropped};
  s.bySecurity[Security::Tls] = {dropped};
  LadderOptions o;
  o.floor = SecurityFloor::Tls;
  auto r = runLadder({rung(Security::Negotiate, "orig"), rung(Security::Tls, "tls only")}, {}, o,
                     s.fn());
  EXPECT_FALSE(r.winner.has_value());
  EXPECT_EQ(s.calls, (std::vector<Security>{Security::Negotiate, Security::Tls}));
  ASSERT_EQ(r.belowFloor.size(), 1u) << "the same standard-RDP profile is listed once";
  EXPECT_EQ(r.belowFloor[0].profile.security, Security::Rdp);
  EXPECT_EQ(r.attempts[0].signature.id, "below-floor");
  EXPECT_FALSE(r.attempts[0].outcome.success);
}

TEST(Runner, ATlsPinnedHostThatNowOffersNoTlsStopsTheLadder) {
  Script s;
  Outcome stripped = fail("ERRCONNECT_SECURITY_NEGO_CONNECT_FAILED");
  stripped.selectedProtocol = 0;
  stripped.belowFloor = true;
  stripped.pinnedOverTls = true;
  s.bySecurity[Security::Negotiate] = {stripped};
  LadderOptions o;
  auto r = runLadder({rung(Security::Negotiate, "orig"), rung(Security::Tls, "tls only")}, {}, o,
                     s.fn());
  EXPECT_EQ(s.calls, (std::vector<Security>{Security::Negotiate}));
  EXPECT_EQ(r.attempts[0].signature.id, "tls-stripped");
  EXPECT_TRUE(r.stoppedBy.by(SignatureId::TlsStripped)) << toString(r.stoppedBy);
}

TEST(Runner, ServerChosenRdpSecurityWinsAsRdpWhenTheFloorAllowsIt) {
  Script s;
  Outcome rdpChosen = ok();
  rdpChosen.selectedProtocol = 0;
  s.bySecurity[Security::Negotiate] = {rdpChosen};
  s.bySecurity[Security::Rdp] = {rdpChosen};  // the confirmation asks for rdp explicitly
  LadderOptions o;
  o.floor = SecurityFloor::Rdp;
  auto r = runLadder({rung(Security::Negotiate, "orig")}, {}, o, s.fn());
  ASSERT_TRUE(r.winner.has_value());
  EXPECT_EQ(r.winner->profile.security, Security::Rdp);  // the report then lists the downgrade
  EXPECT_TRUE(r.confirmed);
  EXPECT_EQ(s.calls, (std::vector<Security>{Security::Negotiate, Security::Rdp}));
}
