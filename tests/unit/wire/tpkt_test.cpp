#include "rdpdoctor/wire/tpkt.hpp"

#include <gtest/gtest.h>

#include "fixtures.hpp"

namespace rdpdoctor::wire {
namespace {

using fixtures::Bytes;
using fixtures::errorOf;

TEST(TpktFrame, EmptyInputAsksForTheFourByteHeader) {
  auto need = tpktFrameLength({});
  ASSERT_TRUE(need.ok());
  EXPECT_EQ(*need, 4u);
}

TEST(TpktFrame, PartialHeaderAsksForTheFourByteHeader) {
  const Bytes partial{0x03, 0x00};
  auto need = tpktFrameLength(partial);
  ASSERT_TRUE(need.ok());
  EXPECT_EQ(*need, 4u);
}

TEST(TpktFrame, CompleteHeaderGivesTheWholePduLength) {
  auto need = tpktFrameLength(std::span(fixtures::kXrdpCcSelectsSsl).first(4));
  ASSERT_TRUE(need.ok());
  EXPECT_EQ(*need, 19u);
}

TEST(TpktFrame, BytesOfTheNextPduDoNotChangeTheAnswer) {
  Bytes two = fixtures::copy(fixtures::kXrdpCcSelectsSsl);
  two.insert(two.end(), std::begin(fixtures::kXrdpUltimatum), std::end(fixtures::kXrdpUltimatum));
  auto need = tpktFrameLength(two);
  ASSERT_TRUE(need.ok());
  EXPECT_EQ(*need, 19u);
}

TEST(TpktFrame, FastPathFirstByteIsWrongType) {
  const Bytes fastPath{0x00, 0x05, 0x01, 0x02, 0x03};  // fpOutputHeader action 0, length 5
  auto need = tpktFrameLength(fastPath);
  ASSERT_FALSE(need.ok());
  EXPECT_EQ(need.error().code, "wrong-type");
  EXPECT_NE(need.error().context.find("fast-path"), std::string::npos);
}

TEST(TpktFrame, GarbageFirstByteIsWrongTypeAtOnce) {
  const Bytes http{'H'};  // "HTTP/1.1 400": no need to wait for more
  EXPECT_EQ(errorOf(tpktFrameLength(http)).code, "wrong-type");
}

TEST(TpktFrame, LengthAboveTheCallersLimitIsOversized) {
  const Bytes header{0x03, 0x00, 0x02, 0x00};  // length 512
  EXPECT_EQ(errorOf(tpktFrameLength(header, 511)).code, "oversized");
  EXPECT_TRUE(tpktFrameLength(header, 512).ok());
}

TEST(TpktFrame, LengthBelowSevenIsMalformed) {
  const Bytes header{0x03, 0x00, 0x00, 0x06};
  EXPECT_EQ(errorOf(tpktFrameLength(header)).code, "malformed");
}

TEST(TpktFrame, NonZeroReservedByteIsMalformed) {
  const Bytes header{0x03, 0x01, 0x00, 0x13};
  EXPECT_EQ(errorOf(tpktFrameLength(header)).code, "malformed");
}

TEST(TpktParse, ReturnsThePayloadAfterTheHeader) {
  auto payload = parseTpkt(fixtures::kXrdpUltimatum);
  ASSERT_TRUE(payload.ok());
  EXPECT_EQ(fixtures::copy(*payload), (Bytes{0x02, 0xf0, 0x80, 0x21, 0x80}));
}

TEST(TpktParse, FewerBytesThanTheLengthAreTruncated) {
  EXPECT_EQ(errorOf(parseTpkt(std::span(fixtures::kXrdpUltimatum).first(8))).code, "truncated");
  EXPECT_EQ(errorOf(parseTpkt(std::span(fixtures::kXrdpUltimatum).first(3))).code, "truncated");
}

TEST(TpktParse, MoreBytesThanTheLengthAreTrailingBytes) {
  Bytes pdu = fixtures::copy(fixtures::kXrdpUltimatum);
  pdu.push_back(0x00);
  EXPECT_EQ(errorOf(parseTpkt(pdu)).code, "trailing-bytes");
}

TEST(TpktParse, VersionOtherThanThreeIsWrongType) {
  Bytes pdu = fixtures::copy(fixtures::kXrdpUltimatum);
  pdu[0] = 0x02;
  EXPECT_EQ(errorOf(parseTpkt(pdu)).code, "wrong-type");
  EXPECT_EQ(errorOf(parseTpktHeader(pdu)).code, "wrong-type");
}

TEST(TpktBuild, RoundTripsThroughTheParser) {
  const Bytes payload{0x02, 0xf0, 0x80, 0x21, 0x80};
  auto pdu = buildTpkt(payload);
  ASSERT_TRUE(pdu.ok());
  EXPECT_EQ(*pdu, fixtures::copy(fixtures::kXrdpUltimatum));
  auto header = parseTpktHeader(*pdu);
  ASSERT_TRUE(header.ok());
  EXPECT_EQ(header->length_, 9);
}

TEST(TpktBuild, PayloadOverTheSixteenBitLengthIsOversized) {
  EXPECT_EQ(errorOf(buildTpkt(Bytes(65532, 0))).code, "oversized");
  EXPECT_TRUE(buildTpkt(Bytes(65531, 0)).ok());
}

}  // namespace
}  // namespace rdpdoctor::wire
