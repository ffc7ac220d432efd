// What the probe reads from a Connection Confirm (MS-RDPBCGR 2.2.1.2) and an MCS Connect Response
// (2.2.1.4): bytes in, checks out.
#include <gtest/gtest.h>

#include "negotiation_check.hpp"
#include "rdp_security_check.hpp"
#include "rdpdoctor/wire/connection_confirm.hpp"
#include "rdpdoctor/wire/mcs_connect_response.hpp"
#include "rdpdoctor/wire/protocols.hpp"
#include "rdpdoctor/wire/standard_security.hpp"

namespace rdpdoctor::probe {
namespace {

using namespace wire;

NegotiationCheck readBytes(std::uint32_t requested, const Bytes& pdu) {
  return readConfirm(requested, Result<Bytes>(pdu), pdu);
}

Bytes confirm(NegotiationResult result) {
  ConnectionConfirm cc;
  cc.result_ = result;
  return buildConnectionConfirm(cc);
}

TEST(ReadConfirm, SelectionAmongTheRequestedIsNoDowngrade) {
  const auto c = readBytes(kProtocolSsl | kProtocolHybrid, confirm(NegotiationResponse{kExtendedClientDataSupported, kProtocolSsl}));
  EXPECT_EQ(c.status, NegotiationStatus::Selected);
  EXPECT_EQ(c.selected, kProtocolSsl);
  EXPECT_FALSE(c.downgrade);
  EXPECT_EQ(c.flags, kExtendedClientDataSupported);
  EXPECT_FALSE(c.evidence.empty());
}

TEST(ReadConfirm, RdpSelectedForAnNlaRequestIsASilentDowngrade) {
  const auto c = readBytes(kProtocolHybrid, confirm(NegotiationResponse{0, kProtocolRdp}));
  EXPECT_EQ(c.status, NegotiationStatus::Selected);
  EXPECT_EQ(c.selected, kProtocolRdp);
  EXPECT_TRUE(c.downgrade);
}

TEST(ReadConfirm, RdpSelectedForAnRdpRequestIsNoDowngrade) {
  EXPECT_FALSE(readBytes(kProtocolRdp, confirm(NegotiationResponse{0, kProtocolRdp})).downgrade);
}

TEST(ReadConfirm, FailureKeepsItsCode) {
  const auto c = readBytes(kProtocolSsl, confirm(NegotiationFailure{0, kHybridRequiredByServer}));
  EXPECT_EQ(c.status, NegotiationStatus::Failure);
  EXPECT_EQ(c.failureCode, kHybridRequiredByServer);
  EXPECT_FALSE(c.selected.has_value());
}

TEST(ReadConfirm, NoNegotiationDataMeansStandardRdpSecurity) {
  const auto c = readBytes(kProtocolSsl, confirm(NoNegotiationData{}));
  EXPECT_EQ(c.status, NegotiationStatus::NoNegotiation);
  EXPECT_EQ(c.selected, kProtocolRdp);
}

TEST(ReadConfirm, UltimatumInsteadOfAConfirmIsAClose) {
  const auto c = readBytes(kProtocolRdstls, buildDisconnectProviderUltimatum(3));
  EXPECT_EQ(c.status, NegotiationStatus::Closed);
  EXPECT_EQ(c.detail, "ultimatum rn-user-requested");
}

TEST(ReadConfirm, ReceiveErrorsMapToTheirResults) {
  const Bytes none;
  EXPECT_EQ(readConfirm(1, Result<Bytes>(makeError("timeout", "t")), none).status, NegotiationStatus::Timeout);
  const auto reset = readConfirm(1, Result<Bytes>(makeError("reset", "r")), none);
  EXPECT_EQ(reset.status, NegotiationStatus::Closed);
  EXPECT_EQ(reset.detail, "reset");
  EXPECT_EQ(readConfirm(1, Result<Bytes>(makeError("closed", "c")), none).detail, "fin");
  const auto garbage = readConfirm(1, Result<Bytes>(makeError("not-tpkt", "not a TPKT")), Bytes{0xA5, 0x01});
  EXPECT_EQ(garbage.status, NegotiationStatus::Error);
  EXPECT_EQ(garbage.evidence, "a501");
}

Bytes connectResponse(std::uint32_t method, std::uint32_t level) {
  McsConnectResponse in;
  in.core_ = ServerCoreData{0x00080004, {}, {}};
  in.security_ = ServerSecurityData{method, level, method != 0 ? Bytes(32, 0x11) : Bytes{},
                                    method != 0 ? Bytes(10, 0x22) : Bytes{}};
  return buildMcsConnectResponse(in);
}

TEST(ReadConnectResponse, TheOfferedMethodChosenIsAccepted) {
  const auto c = readConnectResponse(kEncryption128Bit, Result<Bytes>(connectResponse(kEncryption128Bit, kEncryptionLevelHigh)));
  EXPECT_EQ(c.status, "accepted");
  EXPECT_EQ(c.level, kEncryptionLevelHigh);
  EXPECT_EQ(c.serverVersion, 0x00080004U);
}

TEST(ReadConnectResponse, AnotherMethodThanOfferedIsNotAccepted) {
  const auto c = readConnectResponse(kEncryption40Bit, Result<Bytes>(connectResponse(kEncryption128Bit, kEncryptionLevelHigh)));
  EXPECT_EQ(c.status, "other-method");
  EXPECT_EQ(c.serverMethod, kEncryption128Bit);
}

TEST(ReadConnectResponse, MethodAndLevelNoneMeansUnencrypted) {
  const auto c = readConnectResponse(kEncryption40Bit, Result<Bytes>(connectResponse(kEncryptionNone, kEncryptionLevelNone)));
  EXPECT_EQ(c.status, "no-encryption");
  EXPECT_EQ(c.level, kEncryptionLevelNone);
}

TEST(ReadConnectResponse, UltimatumIsARefusal) {
  const auto c = readConnectResponse(kEncryptionFips, Result<Bytes>(buildDisconnectProviderUltimatum(1)));
  EXPECT_EQ(c.status, "refused");
  EXPECT_NE(c.detail.find("rn-provider-initiated"), std::string::npos);
}

TEST(ReadConnectResponse, ResetIsAClose) {
  EXPECT_EQ(readConnectResponse(kEncryptionFips, Result<Bytes>(makeError("reset", "r"))).status, "closed");
}

}  // namespace
}  // namespace rdpdoctor::probe
