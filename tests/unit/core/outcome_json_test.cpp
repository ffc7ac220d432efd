#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "rdpdoctor/outcome.hpp"

using namespace rdpdoctor;

TEST(OutcomeJson, RoundTripKeepsEveryField) {
  Outcome o;
  o.goal = Goal::LoggedOn;
  o.success = true;
  o.reached = Stage::LoggedOn;
  o.freerdpError = 0x20008;
  o.freerdpErrorName = "ERRCONNECT_TLS_CONNECT_FAILED";
  o.errinfo = 7;
  o.errinfoName = "ERRINFO_SERVER_DENIED_CONNECTION";
  o.timeline = {{Stage::Started, 1}, {Stage::Certificate, 20}};
  o.elapsedMs = 812;
  o.selectedProtocol = 2;
  o.logonProof = "nla-frame";
  o.certificate =
      CertificateSeen{"h", 3389, "cn", "s", "i", "fp", 128, true, CertDecision::AcceptOnce, "", ""};
  o.frame = FrameSample{1024, 768, 0xCC2200, 0.9, 12};
  o.logTail = {"a", "b"};
  o.detail = "the network connection dropped and 2 reconnection attempts failed";
  o.connectionLost = true;
  const auto back = nlohmann::json(o).get<Outcome>();
  EXPECT_EQ(nlohmann::json(back), nlohmann::json(o));
  EXPECT_EQ(back.msAt(Stage::Certificate), 20);
  EXPECT_EQ(back.msAt(Stage::Frame), -1);
  EXPECT_TRUE(back.connectionLost);
}
