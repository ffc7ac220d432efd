#include "rdpdoctor/wire/connection_request.hpp"

#include <gtest/gtest.h>

#include "fixtures.hpp"
#include "rdpdoctor/wire/protocols.hpp"

namespace rdpdoctor::wire {
namespace {

using fixtures::Bytes;
using fixtures::errorOf;

ConnectionRequest aliceSslHybrid() {
  ConnectionRequest cr;
  cr.cookie_ = "alice";
  cr.negotiation_ = NegotiationRequest{0, kProtocolSsl | kProtocolHybrid, {}};
  return cr;
}

TEST(ConnectionRequestBuild, CookieAndNegotiationMatchTheMstscLayout) {
  auto pdu = buildConnectionRequest(aliceSslHybrid());
  ASSERT_TRUE(pdu.ok()) << pdu.error().message();
  EXPECT_EQ(*pdu, fixtures::copy(fixtures::kCrCookieSslHybrid));
}

TEST(ConnectionRequestBuild, WithoutCookieItIsNegotiationOnly) {
  ConnectionRequest cr;
  cr.negotiation_ = NegotiationRequest{0, kProtocolRdp, {}};
  auto pdu = buildConnectionRequest(cr);
  ASSERT_TRUE(pdu.ok());
  EXPECT_EQ(*pdu, fixtures::copy(fixtures::kCrNoCookieRdp));
}

TEST(ConnectionRequestRoundTrip, CookieAndProtocolsSurvive) {
  auto parsed = parseConnectionRequest(*buildConnectionRequest(aliceSslHybrid()));
  ASSERT_TRUE(parsed.ok()) << parsed.error().message();
  EXPECT_EQ(parsed->cookie_, "alice");
  EXPECT_FALSE(parsed->routingToken_.has_value());
  ASSERT_TRUE(parsed->negotiation_.has_value());
  EXPECT_EQ(parsed->negotiation_->requestedProtocols_, kProtocolSsl | kProtocolHybrid);
  EXPECT_EQ(parsed->negotiation_->flags_, 0);
}

TEST(ConnectionRequestRoundTrip, WithoutCookieThereIsNoCookie) {
  ConnectionRequest cr;
  cr.negotiation_ = NegotiationRequest{0, 0x1F, {}};
  auto parsed = parseConnectionRequest(*buildConnectionRequest(cr));
  ASSERT_TRUE(parsed.ok());
  EXPECT_FALSE(parsed->cookie_.has_value());
  EXPECT_EQ(parsed->negotiation_->requestedProtocols_, 0x1Fu);
}

TEST(ConnectionRequestRoundTrip, LegacyRequestHasNeitherCookieNorNegotiation) {
  auto pdu = buildConnectionRequest(ConnectionRequest{});
  ASSERT_TRUE(pdu.ok());
  EXPECT_EQ(pdu->size(), 11u);  // TPKT 4 + X.224 fixed part 7
  auto parsed = parseConnectionRequest(*pdu);
  ASSERT_TRUE(parsed.ok());
  EXPECT_FALSE(parsed->cookie_.has_value());
  EXPECT_FALSE(parsed->negotiation_.has_value());
}

TEST(ConnectionRequestRoundTrip, RoutingTokenIsKeptApartFromTheCookie) {
  ConnectionRequest cr;
  cr.routingToken_ = "msts=3640205228.15629.0000";
  auto parsed = parseConnectionRequest(*buildConnectionRequest(cr));
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->routingToken_, "msts=3640205228.15629.0000");
  EXPECT_FALSE(parsed->cookie_.has_value());
}

TEST(ConnectionRequestRoundTrip, EmptyRoutingTokenSurvives) {
  // Found by fuzz_connection_request: "Cookie: \r\n" parsed to an empty token the builder dropped.
  const std::uint8_t pdu[] = {
      0x03, 0x00, 0x00, 0x15,                    // TPKT: length 21
      0x10, 0xe0, 0x00, 0x00, 0x00, 0x00, 0x00,  // LI 16, CR, refs, class 0
      'C', 'o', 'o', 'k', 'i', 'e', ':', ' ',    // "Cookie: "
      '\r', '\n',                                // empty token
  };
  auto parsed = parseConnectionRequest(pdu);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message();
  EXPECT_EQ(parsed->routingToken_, "");
  auto rebuilt = buildConnectionRequest(*parsed);
  ASSERT_TRUE(rebuilt.ok());
  EXPECT_EQ(*rebuilt, fixtures::copy(pdu));
}

TEST(ConnectionRequestRoundTrip, CorrelationInfoFollowsTheNegotiationRequest) {
  ConnectionRequest cr;
  std::array<std::uint8_t, 16> id{};
  id[0] = 0xAA;
  id[15] = 0x55;
  cr.negotiation_ = NegotiationRequest{kCorrelationInfoPresent, kProtocolHybrid, id};
  auto pdu = buildConnectionRequest(cr);
  ASSERT_TRUE(pdu.ok());
  EXPECT_EQ(pdu->size(), 19u + 36u);
  auto parsed = parseConnectionRequest(*pdu);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message();
  EXPECT_EQ(parsed->negotiation_->correlationId_, id);
}

TEST(ConnectionRequestBuild, CookieWithCrLfIsMalformed) {
  ConnectionRequest cr;
  cr.cookie_ = "eve\r\nX";
  EXPECT_EQ(errorOf(buildConnectionRequest(cr)).code, "malformed");
}

TEST(ConnectionRequestBuild, OverlongCookieIsOversized) {
  ConnectionRequest cr;
  cr.cookie_ = std::string(kMaxCookieLength, 'a');
  EXPECT_EQ(errorOf(buildConnectionRequest(cr)).code, "oversized");
}

TEST(ConnectionRequestBuild, CookieAndRoutingTokenTogetherAreMalformed) {
  ConnectionRequest cr;
  cr.cookie_ = "a";
  cr.routingToken_ = "b";
  EXPECT_EQ(errorOf(buildConnectionRequest(cr)).code, "malformed");
}

TEST(ConnectionRequestParse, EveryShorterPrefixIsTruncated) {
  const auto full = fixtures::copy(fixtures::kCrCookieSslHybrid);
  for (std::size_t n = 0; n < full.size(); ++n) {
    SCOPED_TRACE(n);
    EXPECT_EQ(errorOf(parseConnectionRequest(std::span(full).first(n))).code, "truncated");
  }
}

TEST(ConnectionRequestParse, NegotiationCutShortInsideTheTpduIsTruncated) {
  // TPKT length 15, LI 10: only 4 bytes of RDP_NEG_REQ.
  const Bytes pdu{0x03, 0x00, 0x00, 0x0f, 0x0a, 0xe0, 0, 0, 0, 0, 0, 0x01, 0x00, 0x08, 0x00};
  EXPECT_EQ(errorOf(parseConnectionRequest(pdu)).code, "truncated");
}

TEST(ConnectionRequestParse, LengthIndicatorBeyondTheTpktIsOversized) {
  Bytes pdu = fixtures::copy(fixtures::kCrNoCookieRdp);
  pdu[4] = 0x0f;  // LI 15, but 14 bytes follow it
  EXPECT_EQ(errorOf(parseConnectionRequest(pdu)).code, "oversized");
}

TEST(ConnectionRequestParse, NegotiationLengthAboveEightIsOversized) {
  Bytes pdu = fixtures::copy(fixtures::kCrNoCookieRdp);
  pdu[13] = 0x09;
  EXPECT_EQ(errorOf(parseConnectionRequest(pdu)).code, "oversized");
}

TEST(ConnectionRequestParse, NegotiationLengthBelowEightIsMalformed) {
  Bytes pdu = fixtures::copy(fixtures::kCrNoCookieRdp);
  pdu[13] = 0x04;
  EXPECT_EQ(errorOf(parseConnectionRequest(pdu)).code, "malformed");
}

TEST(ConnectionRequestParse, ByteAfterTheNegotiationIsTrailing) {
  Bytes pdu = fixtures::copy(fixtures::kCrNoCookieRdp);
  pdu.push_back(0x00);
  pdu[3] = 0x14;  // TPKT length 20
  pdu[4] = 0x0f;  // LI 15
  EXPECT_EQ(errorOf(parseConnectionRequest(pdu)).code, "trailing-bytes");
}

TEST(ConnectionRequestParse, ByteAfterTheTpktIsTrailing) {
  Bytes pdu = fixtures::copy(fixtures::kCrNoCookieRdp);
  pdu.push_back(0x00);
  EXPECT_EQ(errorOf(parseConnectionRequest(pdu)).code, "trailing-bytes");
}

TEST(ConnectionRequestParse, ConnectionConfirmIsWrongType) {
  auto parsed = parseConnectionRequest(fixtures::kXrdpCcSelectsSsl);
  EXPECT_EQ(errorOf(parsed).code, "wrong-type");
  EXPECT_EQ(errorOf(parsed).context,
            "expected x.224 connection request, got x.224 connection confirm");
}

TEST(ConnectionRequestParse, NegotiationResponseInsideARequestIsWrongType) {
  Bytes pdu = fixtures::copy(fixtures::kCrNoCookieRdp);
  pdu[11] = 0x02;  // RDP_NEG_RSP
  EXPECT_EQ(errorOf(parseConnectionRequest(pdu)).code, "wrong-type");
}

TEST(ConnectionRequestParse, CookieWithoutCrLfIsMalformed) {
  const Bytes pdu{0x03, 0x00, 0x00, 0x15, 0x10, 0xe0, 0, 0, 0, 0, 0,
                  'C',  'o',  'o',  'k',  'i',  'e', ':', ' ', 'a', 'b'};
  EXPECT_EQ(errorOf(parseConnectionRequest(pdu)).code, "malformed");
}

}  // namespace
}  // namespace rdpdoctor::wire
