#include "rdpdoctor/wire/mcs_connect_response.hpp"

#include <gtest/gtest.h>

#include "fixtures.hpp"
#include "rdpdoctor/wire/standard_security.hpp"
#include "xrdp_captures.hpp"

namespace rdpdoctor::wire {
namespace {

using fixtures::Bytes;
using fixtures::errorOf;

// Offsets into the xrdp captures (see the annotations in xrdp_captures.hpp).
constexpr std::size_t kMcsLengthOffset = 10;     // BER length 0x01fd, two bytes
constexpr std::size_t kUserDataLengthOffset = 48;
constexpr std::size_t kScCoreOffset = 73;
constexpr std::size_t kScNetOffset = 85;
constexpr std::size_t kScSecurityOffset = 93;

struct Capture {
  const char* level;
  std::span<const std::uint8_t> bytes;
  std::uint32_t method;
  std::uint32_t encryptionLevel;
};

const Capture kCaptures[] = {
    {"low", fixtures::kXrdpConnectResponseLow, kEncryption40Bit, kEncryptionLevelLow},
    {"medium", fixtures::kXrdpConnectResponseMedium, kEncryption40Bit,
     kEncryptionLevelClientCompatible},
    {"high", fixtures::kXrdpConnectResponseHigh, kEncryption128Bit, kEncryptionLevelHigh},
    {"fips", fixtures::kXrdpConnectResponseFips, kEncryptionFips, kEncryptionLevelFips},
};

TEST(McsConnectResponse, RealXrdpCryptLevelsGiveTheirMethodAndLevel) {
  for (const auto& c : kCaptures) {
    SCOPED_TRACE(c.level);
    auto rsp = parseMcsConnectResponse(c.bytes);
    ASSERT_TRUE(rsp.ok()) << rsp.error().message();
    const auto outcome = summarizeStandardSecurity(*rsp);
    EXPECT_EQ(outcome.mcsResult_, kMcsResultSuccessful);
    EXPECT_EQ(outcome.encryptionMethod_, c.method);
    EXPECT_EQ(outcome.encryptionLevel_, c.encryptionLevel);
    EXPECT_EQ(outcome.serverVersion_, 0x00080004u);
    EXPECT_TRUE(outcome.accepted());
  }
}

TEST(McsConnectResponse, RealXrdpHighCarriesCoreNetworkAndCertificate) {
  auto rsp = parseMcsConnectResponse(fixtures::kXrdpConnectResponseHigh);
  ASSERT_TRUE(rsp.ok());
  ASSERT_TRUE(rsp->core_.has_value());
  EXPECT_EQ(rsp->core_->clientRequestedProtocols_, 0u);
  EXPECT_FALSE(rsp->core_->earlyCapabilityFlags_.has_value());
  ASSERT_TRUE(rsp->network_.has_value());
  EXPECT_EQ(rsp->network_->mcsChannelId_, 1003);
  EXPECT_TRUE(rsp->network_->channelIds_.empty());
  ASSERT_TRUE(rsp->security_.has_value());
  EXPECT_EQ(rsp->security_->serverRandom_.size(), 32u);
  ASSERT_EQ(rsp->security_->serverCertificate_.size(), 376u);
  EXPECT_EQ(rsp->security_->serverCertificate_[16], 'R');  // "RSA1" public key magic
  EXPECT_EQ(rsp->gccNodeId_, 0x760A + 1001);
  EXPECT_EQ(rsp->gccResult_, 0);
}

TEST(McsConnectResponse, ServerChoosingAnotherMethodDoesNotCountAsAcceptingTheOffer) {
  auto rsp = parseMcsConnectResponse(fixtures::kXrdpConnectResponseHigh);
  ASSERT_TRUE(rsp.ok());
  const auto outcome = summarizeStandardSecurity(*rsp);
  EXPECT_FALSE(outcome.acceptedFrom(kEncryption40Bit));  // xrdp answered 128-bit to a 40-bit offer
  EXPECT_TRUE(outcome.acceptedFrom(kEncryption128Bit));
}

TEST(McsConnectResponse, RoundTripKeepsChannelsRandomAndCertificate) {
  McsConnectResponse in;
  in.calledConnectId_ = 5;
  in.gccNodeId_ = 1001;
  in.core_ = ServerCoreData{0x00080004, 0x3, 0x1};
  in.network_ = ServerNetworkData{1003, {1004, 1005, 1006}};
  in.security_ = ServerSecurityData{kEncryption56Bit, kEncryptionLevelHigh, Bytes(32, 0x11),
                                    Bytes(10, 0x22)};
  auto out = parseMcsConnectResponse(buildMcsConnectResponse(in));
  ASSERT_TRUE(out.ok()) << out.error().message();
  EXPECT_EQ(out->calledConnectId_, 5u);
  EXPECT_EQ(out->gccNodeId_, 1001);
  EXPECT_EQ(out->core_->earlyCapabilityFlags_, 0x1u);
  EXPECT_EQ(out->network_->channelIds_, (std::vector<std::uint16_t>{1004, 1005, 1006}));
  EXPECT_EQ(out->security_->encryptionMethod_, kEncryption56Bit);
  EXPECT_EQ(out->security_->serverRandom_, Bytes(32, 0x11));
  EXPECT_EQ(out->security_->serverCertificate_, Bytes(10, 0x22));
}

TEST(McsConnectResponse, NoneMethodWithoutRandomIsNotAccepted) {
  McsConnectResponse in;
  in.core_ = ServerCoreData{0x00080004, {}, {}};
  in.security_ = ServerSecurityData{kEncryptionNone, kEncryptionLevelNone, {}, {}};
  auto out = parseMcsConnectResponse(buildMcsConnectResponse(in));
  ASSERT_TRUE(out.ok()) << out.error().message();
  EXPECT_FALSE(out->core_->clientRequestedProtocols_.has_value());
  EXPECT_FALSE(summarizeStandardSecurity(*out).accepted());
  EXPECT_EQ(summarizeStandardSecurity(*out).encryptionLevel_, kEncryptionLevelNone);
}

TEST(McsConnectResponse, RefusalWithoutUserDataKeepsTheResultCode) {
  const std::uint8_t pdu[] = {
      0x03, 0x00, 0x00, 0x12,  // TPKT: length 18
      0x02, 0xf0, 0x80,        // X.224 Data
      0x7f, 0x66, 0x08,        // Connect-Response, length 8
      0x0a, 0x01, 0x08,        // result rt-parameters-unacceptable
      0x02, 0x01, 0x00,        // calledConnectId 0
      0x30, 0x00,              // domainParameters (empty), no userData
  };
  auto rsp = parseMcsConnectResponse(pdu);
  ASSERT_TRUE(rsp.ok()) << rsp.error().message();
  EXPECT_EQ(mcsResultName(rsp->result_), "rt-parameters-unacceptable");
  EXPECT_FALSE(rsp->security_.has_value());
  EXPECT_FALSE(summarizeStandardSecurity(*rsp).accepted());
}

TEST(McsConnectResponseParse, EveryShorterPrefixIsTruncated) {
  const auto full = fixtures::copy(fixtures::kXrdpConnectResponseLow);
  for (std::size_t n = 0; n < full.size(); ++n) {
    SCOPED_TRACE(n);
    EXPECT_EQ(errorOf(parseMcsConnectResponse(std::span(full).first(n))).code, "truncated");
  }
}

TEST(McsConnectResponseParse, SecurityBlockCutShortIsTruncated) {
  Bytes pdu = fixtures::copy(fixtures::kXrdpConnectResponseLow);
  // Shrink the SC_SECURITY block to method only: its level is then missing.
  pdu[kScSecurityOffset + 2] = 0x08;
  pdu[kScSecurityOffset + 3] = 0x00;
  pdu.resize(kScSecurityOffset + 8);
  const auto shrink = static_cast<std::uint16_t>(521 - pdu.size());
  auto patch = [&pdu](std::size_t at, std::uint16_t v) {
    pdu[at] = static_cast<std::uint8_t>(v >> 8);
    pdu[at + 1] = static_cast<std::uint8_t>(v & 0xFF);
  };
  patch(2, static_cast<std::uint16_t>(521 - shrink));
  patch(kMcsLengthOffset, static_cast<std::uint16_t>(0x1fd - shrink));
  patch(kUserDataLengthOffset, static_cast<std::uint16_t>(0x1d7 - shrink));
  patch(71, static_cast<std::uint16_t>(0x81c0 - shrink));
  auto rsp = parseMcsConnectResponse(pdu);
  EXPECT_EQ(errorOf(rsp).code, "truncated");
  EXPECT_NE(errorOf(rsp).context.find("encryptionLevel"), std::string::npos);
}

TEST(McsConnectResponseParse, UserDataLengthBeyondTheMcsPduIsOversized) {
  Bytes pdu = fixtures::copy(fixtures::kXrdpConnectResponseLow);
  pdu[kUserDataLengthOffset + 1] = 0xd8;
  EXPECT_EQ(errorOf(parseMcsConnectResponse(pdu)).code, "oversized");
}

TEST(McsConnectResponseParse, CertificateLengthBeyondTheBlockIsOversized) {
  Bytes pdu = fixtures::copy(fixtures::kXrdpConnectResponseLow);
  pdu[kScSecurityOffset + 16] = 0x79;  // serverCertLen 0x179
  EXPECT_EQ(errorOf(parseMcsConnectResponse(pdu)).code, "oversized");
}

TEST(McsConnectResponseParse, HugeRandomLengthIsOversizedNotAnOverflow) {
  Bytes pdu = fixtures::copy(fixtures::kXrdpConnectResponseLow);
  for (std::size_t i = 0; i < 4; ++i) pdu[kScSecurityOffset + 12 + i] = 0xff;
  EXPECT_EQ(errorOf(parseMcsConnectResponse(pdu)).code, "oversized");
}

TEST(McsConnectResponseParse, ByteAfterTheTpktIsTrailing) {
  Bytes pdu = fixtures::copy(fixtures::kXrdpConnectResponseLow);
  pdu.push_back(0x00);
  EXPECT_EQ(errorOf(parseMcsConnectResponse(pdu)).code, "trailing-bytes");
}

TEST(McsConnectResponseParse, ByteAfterTheMcsPduInsideTheTpktIsTrailing) {
  Bytes pdu = fixtures::copy(fixtures::kXrdpConnectResponseLow);
  pdu.push_back(0x00);
  pdu[3] = 0x0a;  // TPKT length 522
  EXPECT_EQ(errorOf(parseMcsConnectResponse(pdu)).code, "trailing-bytes");
}

TEST(McsConnectResponseParse, ConnectInitialIsWrongType) {
  Bytes pdu = fixtures::copy(fixtures::kXrdpConnectResponseLow);
  pdu[8] = 0x65;
  auto rsp = parseMcsConnectResponse(pdu);
  EXPECT_EQ(errorOf(rsp).code, "wrong-type");
  EXPECT_EQ(errorOf(rsp).context, "expected mcs connect response, got mcs connect initial");
}

TEST(McsConnectResponseParse, UltimatumIsWrongTypeAndNamesTheReason) {
  auto rsp = parseMcsConnectResponse(fixtures::kXrdpUltimatum);
  EXPECT_EQ(errorOf(rsp).code, "wrong-type");
  EXPECT_EQ(errorOf(rsp).context,
            "expected mcs connect response, got mcs disconnect provider ultimatum "
            "(rn-user-requested)");
}

TEST(McsConnectResponseParse, ConnectionConfirmIsWrongType) {
  const std::uint8_t cc[] = {0x03, 0x00, 0x00, 0x0b, 0x06, 0xd0, 0, 0, 0x12, 0x34, 0x00};
  EXPECT_EQ(errorOf(parseMcsConnectResponse(cc)).code, "wrong-type");
}

TEST(McsConnectResponseParse, NonT124UserDataIsWrongType) {
  Bytes pdu = fixtures::copy(fixtures::kXrdpConnectResponseLow);
  pdu[54] = 0x7d;  // OID arc 124 becomes 125
  EXPECT_EQ(errorOf(parseMcsConnectResponse(pdu)).code, "wrong-type");
}

TEST(McsConnectResponseParse, BlockLengthBelowFourIsMalformed) {
  Bytes pdu = fixtures::copy(fixtures::kXrdpConnectResponseLow);
  pdu[kScNetOffset + 2] = 0x02;
  EXPECT_EQ(errorOf(parseMcsConnectResponse(pdu)).code, "malformed");
}

TEST(McsConnectResponseParse, DuplicateCoreBlockIsMalformed) {
  Bytes pdu = fixtures::copy(fixtures::kXrdpConnectResponseLow);
  pdu[kScNetOffset] = 0x01;  // SC_NET retyped as a second SC_CORE
  auto rsp = parseMcsConnectResponse(pdu);
  EXPECT_EQ(errorOf(rsp).code, "malformed");
  EXPECT_EQ(errorOf(rsp).context, "duplicate sc_core block");
}

TEST(McsConnectResponseParse, IndefiniteBerLengthIsMalformed) {
  Bytes pdu = fixtures::copy(fixtures::kXrdpConnectResponseLow);
  pdu[9] = 0x80;
  EXPECT_EQ(errorOf(parseMcsConnectResponse(pdu)).code, "malformed");
}

TEST(McsConnectResponseParse, UnknownBlockTypesAreSkipped) {
  Bytes pdu = fixtures::copy(fixtures::kXrdpConnectResponseLow);
  pdu[kScCoreOffset + 1] = 0x0d;  // SC_CORE retyped 0x0d01: unknown
  auto rsp = parseMcsConnectResponse(pdu);
  ASSERT_TRUE(rsp.ok());
  EXPECT_FALSE(rsp->core_.has_value());
  EXPECT_EQ(summarizeStandardSecurity(*rsp).serverVersion_, 0u);
  EXPECT_TRUE(rsp->security_.has_value());
}

TEST(DisconnectProviderUltimatum, RoundTripsEveryReason) {
  for (std::uint8_t reason = 0; reason <= 4; ++reason) {
    SCOPED_TRACE(reason);
    auto parsed = parseDisconnectProviderUltimatum(buildDisconnectProviderUltimatum(reason));
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(*parsed, reason);
  }
  EXPECT_EQ(buildDisconnectProviderUltimatum(3), fixtures::copy(fixtures::kXrdpUltimatum));
}

TEST(DisconnectProviderUltimatum, ErrorsAreTypedLikeEveryDecoder) {
  EXPECT_EQ(errorOf(parseDisconnectProviderUltimatum(std::span(fixtures::kXrdpUltimatum).first(8)))
                .code,
            "truncated");
  Bytes trailing = fixtures::copy(fixtures::kXrdpUltimatum);
  trailing.push_back(0);
  trailing[3] = 0x0a;
  EXPECT_EQ(errorOf(parseDisconnectProviderUltimatum(trailing)).code, "trailing-bytes");
  EXPECT_EQ(errorOf(parseDisconnectProviderUltimatum(fixtures::kXrdpConnectResponseLow)).code,
            "wrong-type");
  Bytes badReason = fixtures::copy(fixtures::kXrdpUltimatum);
  badReason[7] = 0x23;  // reason 7
  EXPECT_EQ(errorOf(parseDisconnectProviderUltimatum(badReason)).code, "malformed");
}

}  // namespace
}  // namespace rdpdoctor::wire
