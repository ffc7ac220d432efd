#include "rdpdoctor/wire/connection_confirm.hpp"

#include <gtest/gtest.h>

#include "fixtures.hpp"
#include "rdpdoctor/wire/mcs_connect_response.hpp"
#include "rdpdoctor/wire/protocols.hpp"
#include "rdpdoctor/wire/standard_security.hpp"

namespace rdpdoctor::wire {
namespace {

using fixtures::Bytes;
using fixtures::errorOf;

TEST(NegotiationResponse, RealXrdpSelectsSslWithExtendedClientData) {
  auto cc = parseConnectionConfirm(fixtures::kXrdpCcSelectsSsl);
  ASSERT_TRUE(cc.ok()) << cc.error().message();
  EXPECT_EQ(cc->srcRef_, 0x1234);
  const auto* rsp = std::get_if<NegotiationResponse>(&cc->result_);
  ASSERT_NE(rsp, nullptr);
  EXPECT_EQ(rsp->selectedProtocol_, kProtocolSsl);
  EXPECT_EQ(negotiationResponseFlagNames(rsp->flags_),
            std::vector<std::string>{"EXTENDED_CLIENT_DATA_SUPPORTED"});
}

TEST(NegotiationResponse, RealXrdpAnswersHybridWithStandardRdp) {
  auto cc = parseConnectionConfirm(fixtures::kXrdpCcSelectsRdpForHybrid);
  ASSERT_TRUE(cc.ok());
  const auto* rsp = std::get_if<NegotiationResponse>(&cc->result_);
  ASSERT_NE(rsp, nullptr);
  EXPECT_EQ(protocolName(rsp->selectedProtocol_), "RDP");
}

TEST(NegotiationResponse, RealXrdpTlsOnlyRefusesRdpWithSslRequired) {
  auto cc = parseConnectionConfirm(fixtures::kXrdpCcSslRequired);
  ASSERT_TRUE(cc.ok());
  const auto* failure = std::get_if<NegotiationFailure>(&cc->result_);
  ASSERT_NE(failure, nullptr);
  EXPECT_EQ(failure->failureCode_, kSslRequiredByServer);
  EXPECT_EQ(failureCodeName(failure->failureCode_), "SSL_REQUIRED_BY_SERVER");
}

TEST(NegotiationResponse, NoNegotiationDataIsThePreVistaSignature) {
  auto cc = parseConnectionConfirm(fixtures::kXrdpCcNoNegotiation);
  ASSERT_TRUE(cc.ok());
  EXPECT_TRUE(std::holds_alternative<NoNegotiationData>(cc->result_));
}

TEST(NegotiationResponse, FailureHybridRequiredMeansNlaRequired) {
  const std::uint8_t pdu[] = {
      0x03, 0x00, 0x00, 0x13, 0x0e, 0xd0, 0x00, 0x00, 0x00, 0x00, 0x00,  // TPKT, CC header
      0x03, 0x00, 0x08, 0x00,  // RDP_NEG_FAILURE, flags 0, length 8
      0x05, 0x00, 0x00, 0x00,  // failureCode HYBRID_REQUIRED_BY_SERVER
  };
  auto cc = parseConnectionConfirm(pdu);
  ASSERT_TRUE(cc.ok());
  const auto* failure = std::get_if<NegotiationFailure>(&cc->result_);
  ASSERT_NE(failure, nullptr);
  EXPECT_EQ(failureCodeName(failure->failureCode_), "HYBRID_REQUIRED_BY_SERVER");
  EXPECT_EQ(failureCodeMeaning(failure->failureCode_),
            "server requires NLA (HYBRID_REQUIRED_BY_SERVER)");
}

TEST(NegotiationResponse, EveryFailureCodeRoundTripsWithItsSpecName) {
  const std::pair<std::uint32_t, const char*> codes[] = {
      {1, "SSL_REQUIRED_BY_SERVER"},     {2, "SSL_NOT_ALLOWED_BY_SERVER"},
      {3, "SSL_CERT_NOT_ON_SERVER"},     {4, "INCONSISTENT_FLAGS"},
      {5, "HYBRID_REQUIRED_BY_SERVER"},  {6, "SSL_WITH_USER_AUTH_REQUIRED_BY_SERVER"},
  };
  for (const auto& [code, name] : codes) {
    SCOPED_TRACE(name);
    const auto pdu = buildConnectionConfirm({0, 0, NegotiationFailure{0, code}});
    ASSERT_EQ(pdu.size(), 19u);
    EXPECT_EQ(pdu[11], 0x03);  // RDP_NEG_FAILURE
    EXPECT_EQ(pdu[15], code);  // failureCode, little-endian low byte
    auto cc = parseConnectionConfirm(pdu);
    ASSERT_TRUE(cc.ok());
    const auto* failure = std::get_if<NegotiationFailure>(&cc->result_);
    ASSERT_NE(failure, nullptr);
    EXPECT_EQ(failure->failureCode_, code);
    EXPECT_EQ(failureCodeName(failure->failureCode_), name);
  }
}

TEST(NegotiationResponse, EveryResponseFlagSurvivesARoundTrip) {
  const std::uint8_t all = kExtendedClientDataSupported | kDynvcGfxProtocolSupported |
                           kNegRspFlagReserved | kRestrictedAdminModeSupported |
                           kRedirectedAuthenticationModeSupported;
  auto cc = parseConnectionConfirm(
      buildConnectionConfirm({0, 7, NegotiationResponse{all, kProtocolHybridEx}}));
  ASSERT_TRUE(cc.ok());
  const auto* rsp = std::get_if<NegotiationResponse>(&cc->result_);
  ASSERT_NE(rsp, nullptr);
  EXPECT_EQ(rsp->flags_, 0x1F);
  EXPECT_EQ(rsp->selectedProtocol_, kProtocolHybridEx);
  EXPECT_EQ(cc->srcRef_, 7);
  EXPECT_EQ(negotiationResponseFlagNames(rsp->flags_).size(), 5u);
}

TEST(ConnectionConfirmBuild, ReproducesTheXrdpBytes) {
  EXPECT_EQ(buildConnectionConfirm({0, 0x1234, NegotiationResponse{kExtendedClientDataSupported,
                                                                   kProtocolSsl}}),
            fixtures::copy(fixtures::kXrdpCcSelectsSsl));
  EXPECT_EQ(buildConnectionConfirm({0, 0x1234, NoNegotiationData{}}),
            fixtures::copy(fixtures::kXrdpCcNoNegotiation));
}

TEST(ConnectionConfirmParse, EveryShorterPrefixIsTruncated) {
  const auto full = fixtures::copy(fixtures::kXrdpCcSelectsSsl);
  for (std::size_t n = 0; n < full.size(); ++n) {
    SCOPED_TRACE(n);
    EXPECT_EQ(errorOf(parseConnectionConfirm(std::span(full).first(n))).code, "truncated");
  }
}

TEST(ConnectionConfirmParse, NegotiationCutShortInsideTheTpduIsTruncated) {
  const Bytes pdu{0x03, 0x00, 0x00, 0x0f, 0x0a, 0xd0, 0, 0, 0, 0, 0, 0x02, 0x00, 0x08, 0x00};
  EXPECT_EQ(errorOf(parseConnectionConfirm(pdu)).code, "truncated");
}

TEST(ConnectionConfirmParse, NegotiationLengthAboveEightIsOversized) {
  Bytes pdu = fixtures::copy(fixtures::kXrdpCcSelectsSsl);
  pdu[13] = 0x10;
  EXPECT_EQ(errorOf(parseConnectionConfirm(pdu)).code, "oversized");
}

TEST(ConnectionConfirmParse, LengthIndicatorBeyondTheTpktIsOversized) {
  Bytes pdu = fixtures::copy(fixtures::kXrdpCcSelectsSsl);
  pdu[4] = 0x20;
  EXPECT_EQ(errorOf(parseConnectionConfirm(pdu)).code, "oversized");
}

TEST(ConnectionConfirmParse, NegotiationLengthBelowEightIsMalformed) {
  Bytes pdu = fixtures::copy(fixtures::kXrdpCcSelectsSsl);
  pdu[13] = 0x07;
  EXPECT_EQ(errorOf(parseConnectionConfirm(pdu)).code, "malformed");
}

TEST(ConnectionConfirmParse, LengthIndicatorBelowSixIsMalformed) {
  Bytes pdu = fixtures::copy(fixtures::kXrdpCcNoNegotiation);
  pdu[4] = 0x05;
  EXPECT_EQ(errorOf(parseConnectionConfirm(pdu)).code, "malformed");
}

TEST(ConnectionConfirmParse, ByteAfterTheNegotiationIsTrailing) {
  Bytes pdu = fixtures::copy(fixtures::kXrdpCcSelectsSsl);
  pdu.push_back(0x00);
  pdu[3] = 0x14;  // TPKT length 20
  pdu[4] = 0x0f;  // LI 15
  EXPECT_EQ(errorOf(parseConnectionConfirm(pdu)).code, "trailing-bytes");
}

TEST(ConnectionConfirmParse, ByteAfterTheTpktIsTrailing) {
  Bytes pdu = fixtures::copy(fixtures::kXrdpCcNoNegotiation);
  pdu.push_back(0x03);
  EXPECT_EQ(errorOf(parseConnectionConfirm(pdu)).code, "trailing-bytes");
}

TEST(ConnectionConfirmParse, UnknownNegotiationTypeIsWrongType) {
  Bytes pdu = fixtures::copy(fixtures::kXrdpCcSelectsSsl);
  pdu[11] = 0x01;  // RDP_NEG_REQ where a response belongs
  EXPECT_EQ(errorOf(parseConnectionConfirm(pdu)).code, "wrong-type");
}

TEST(ConnectionConfirmParse, RealXrdpUltimatumIsWrongTypeAndSaysSo) {
  auto cc = parseConnectionConfirm(fixtures::kXrdpUltimatum);
  EXPECT_EQ(errorOf(cc).code, "wrong-type");
  EXPECT_EQ(errorOf(cc).context,
            "expected x.224 connection confirm, got x.224 data (mcs disconnect provider "
            "ultimatum, rn-user-requested)");
  auto reason = parseDisconnectProviderUltimatum(fixtures::kXrdpUltimatum);
  ASSERT_TRUE(reason.ok());
  EXPECT_EQ(ultimatumReasonName(*reason), "rn-user-requested");
}

TEST(ConnectionConfirmParse, DisconnectRequestIsWrongType) {
  const Bytes dr{0x03, 0x00, 0x00, 0x0b, 0x06, 0x80, 0, 0, 0x12, 0x34, 0x00};
  EXPECT_EQ(errorOf(parseConnectionConfirm(dr)).context,
            "expected x.224 connection confirm, got x.224 disconnect request");
}

}  // namespace
}  // namespace rdpdoctor::wire
