// client/core against byte-level fault endpoints: a silent server (our deadline must end it),
// a reset right after the X.224 Connection Confirm, garbage, and a port with nothing listening.
#include <gtest/gtest.h>

#include "core_harness.hpp"

namespace rdpdoctor::itest {
namespace {

using std::chrono::milliseconds;

/// How far past its deadline an isolated attempt may end. Not a performance threshold: the
/// correctness bound of the deadline. The child's session aborts at the deadline and waits at
/// most 1000 ms for libfreerdp to return (session.cpp) before it writes its Outcome and exits;
/// 1000 ms more cover starting the attempt process (exec, FreeRDP and OpenSSL initialisation)
/// and reaping it on a loaded 2-core machine. The parent's hard stop (SIGKILL) comes later still,
/// at deadline + IsolationOptions::grace (3000 ms): ending there would also pass, but means the
/// child ignored its own deadline, which the detail text would show.
constexpr milliseconds kDeadlineMargin{2000};

class Fault : public ::testing::Test {
 protected:
  [[nodiscard]] Attempt attemptOn(lab::Kind kind, Goal goal = Goal::FirstFrame) {
    auto server = lab::start({.kind = kind});
    if (!server) {
      ADD_FAILURE() << server.error().message();
      return {};
    }
    return runAttempt(requestFor(**server, dir_.path(), goal));
  }
  lab::TempDir dir_;
};

TEST_F(Fault, SilentServerEndsAtTheDeadline) {
  auto server = lab::start({.kind = lab::Kind::FaultSilent});
  ASSERT_TRUE(server.ok()) << server.error().message();
  auto req = requestFor(**server, dir_.path());
  req.deadline = milliseconds(3000);
  const auto a = runAttempt(req);
  EXPECT_FALSE(a.outcome.success) << a.describe();
  EXPECT_TRUE(a.outcome.timedOut) << a.describe();
  EXPECT_FALSE(a.outcome.crashed) << a.describe();
  EXPECT_EQ(a.outcome.reached, Stage::Started) << a.describe();
  EXPECT_GE(a.wall, req.deadline) << a.describe();
  EXPECT_LT(a.wall, req.deadline + kDeadlineMargin) << a.describe();
  EXPECT_EQ(a.signature.id, "server-silent") << a.describe();
  EXPECT_EQ(a.signature.layer, Layer::Negotiation);
}

TEST_F(Fault, ResetAfterTheConnectionConfirmIsTheClassic0x904Of0x7) {
  // The Connection Confirm selects SSL, then the socket is reset before any TLS answer: what a
  // Windows host with an unreadable RDP private key does. FreeRDP 2.11 reports it as a failed
  // TLS connect (no certificate was seen), so the verdict names the TLS layer: the host dropped
  // the handshake it had just agreed to (remedies: certificate/private key, firewall/AV).
  const auto a = attemptOn(lab::Kind::FaultResetAfterConfirm);
  EXPECT_FALSE(a.outcome.success) << a.describe();
  EXPECT_FALSE(a.outcome.timedOut) << a.describe();
  EXPECT_FALSE(a.outcome.crashed) << a.describe();
  EXPECT_EQ(a.outcome.reached, Stage::Started) << a.describe();
  EXPECT_FALSE(a.outcome.certificate.has_value()) << a.describe();
  EXPECT_EQ(a.outcome.freerdpErrorName, "ERRCONNECT_TLS_CONNECT_FAILED") << a.describe();
  EXPECT_EQ(a.signature.id, "tls-closed-by-server") << a.describe();
  EXPECT_EQ(a.signature.layer, Layer::Tls);
  EXPECT_EQ(a.signature.mstsc.disconnectReason, 0x904U);
  EXPECT_EQ(a.signature.mstsc.extendedReason, 0x7U);
  EXPECT_TRUE(a.signature.retryable);
}

// FreeRDP 2.11 does not report a refused TCP connect as ERRCONNECT_CONNECT_FAILED on loopback:
// the refusal surfaces at the first write ("Broken pipe", ERRCONNECT_CONNECT_TRANSPORT_FAILED,
// xfreerdp does the same). A refused port must still read "nothing listening" (tcp layer, not
// retryable: no other combination can help), not "closed after negotiation".
TEST_F(Fault, NothingListeningIsNothingListening) {
  const auto a = attemptOn(lab::Kind::FaultClosed);
  EXPECT_FALSE(a.outcome.success) << a.describe();
  EXPECT_FALSE(a.outcome.timedOut) << a.describe();
  EXPECT_FALSE(a.outcome.crashed) << a.describe();
  EXPECT_EQ(a.outcome.reached, Stage::Started) << a.describe();
  EXPECT_EQ(a.signature.id, "nothing-listening") << a.describe();
  EXPECT_EQ(a.signature.layer, Layer::Tcp);
  EXPECT_FALSE(a.signature.retryable);
}

TEST_F(Fault, NothingListeningIsNothingListeningWhenTheProbeSawTheRefusal) {
  auto server = lab::start({.kind = lab::Kind::FaultClosed});
  ASSERT_TRUE(server.ok()) << server.error().message();
  auto req = requestFor(**server, dir_.path());
  HostFacts facts;  // what the probe reports for this port
  facts.probed = true;
  facts.addresses.push_back({(*server)->address(), false, false, "refused"});
  const auto a = runAttempt(req, facts);
  EXPECT_FALSE(a.outcome.success) << a.describe();
  EXPECT_EQ(a.signature.id, "nothing-listening") << a.describe();
  EXPECT_EQ(a.signature.layer, Layer::Tcp);
  EXPECT_FALSE(a.signature.retryable);
}

TEST_F(Fault, GarbageIsAFailureNotACrash) {
  const auto a = attemptOn(lab::Kind::FaultGarbage);
  EXPECT_FALSE(a.outcome.success) << a.describe();
  EXPECT_FALSE(a.outcome.crashed) << a.describe();
  EXPECT_FALSE(a.outcome.timedOut) << a.describe();
  EXPECT_FALSE(a.outcome.freerdpErrorName.empty()) << "FreeRDP names the failure: " << a.describe();
  EXPECT_NE(a.signature.id, "attempt-crashed") << a.describe();
  EXPECT_NE(a.signature.id, "ok");
}

}  // namespace
}  // namespace rdpdoctor::itest
