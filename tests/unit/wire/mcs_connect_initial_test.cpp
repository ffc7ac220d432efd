#include "rdpdoctor/wire/mcs_connect_initial.hpp"

#include <gtest/gtest.h>

#include "fixtures.hpp"
#include "rdpdoctor/wire/tpkt.hpp"

namespace rdpdoctor::wire {
namespace {

using fixtures::Bytes;

// Everything in front of the client data blocks.
constexpr std::uint8_t kHead[] = {
    0x03, 0x00, 0x01, 0x75,                    // TPKT: length 373
    0x02, 0xf0, 0x80,                          // X.224 Data
    0x7f, 0x65, 0x82, 0x01, 0x69,              // Connect-Initial [APPLICATION 101], length 361
    0x04, 0x01, 0x01,                          // callingDomainSelector "\x01"
    0x04, 0x01, 0x01,                          // calledDomainSelector "\x01"
    0x01, 0x01, 0xff,                          // upwardFlag TRUE
    0x30, 0x1a,                                // targetParameters
    0x02, 0x01, 0x22, 0x02, 0x01, 0x02,        //   maxChannelIds 34, maxUserIds 2
    0x02, 0x01, 0x00, 0x02, 0x01, 0x01,        //   maxTokenIds 0, numPriorities 1
    0x02, 0x01, 0x00, 0x02, 0x01, 0x01,        //   minThroughput 0, maxHeight 1
    0x02, 0x03, 0x00, 0xff, 0xff,              //   maxMCSPDUsize 65535
    0x02, 0x01, 0x02,                          //   protocolVersion 2
    0x30, 0x19,                                // minimumParameters
    0x02, 0x01, 0x01, 0x02, 0x01, 0x01,        //   1, 1
    0x02, 0x01, 0x01, 0x02, 0x01, 0x01,        //   1, 1
    0x02, 0x01, 0x00, 0x02, 0x01, 0x01,        //   0, 1
    0x02, 0x02, 0x04, 0x20, 0x02, 0x01, 0x02,  //   1056, 2
    0x30, 0x20,                                // maximumParameters
    0x02, 0x03, 0x00, 0xff, 0xff,              //   65535
    0x02, 0x03, 0x00, 0xfc, 0x17,              //   64535
    0x02, 0x03, 0x00, 0xff, 0xff,              //   65535
    0x02, 0x01, 0x01, 0x02, 0x01, 0x00,        //   1, 0
    0x02, 0x01, 0x01,                          //   1
    0x02, 0x03, 0x00, 0xff, 0xff,              //   65535
    0x02, 0x01, 0x02,                          //   2
    0x04, 0x82, 0x01, 0x03,                    // userData OCTET STRING, length 259
    0x00, 0x05, 0x00, 0x14, 0x7c, 0x00, 0x01,  // GCC ConnectData key: t124 OID
    0x80, 0xfa,                                // connectPDU length 250 (PER)
    0x00, 0x08,                                // conferenceCreateRequest, userData present
    0x00, 0x10,                                // conferenceName "1"
    0x00, 0x01, 0xc0, 0x00,                    // padding, 1 set, h221NonStandard, key length
    'D', 'u', 'c', 'a',                        // key "Duca"
    0x80, 0xec,                                // client data length 236 (PER)
    0x01, 0xc0, 0xd8, 0x00,                    // CS_CORE 0xc001, length 216
    0x04, 0x00, 0x08, 0x00,                    // version 0x00080004
    0x00, 0x04, 0x00, 0x03,                    // desktopWidth 1024, desktopHeight 768
};

// Everything after CS_CORE, for an offer of FIPS only.
constexpr std::uint8_t kTailFips[] = {
    0x02, 0xc0, 0x0c, 0x00,  // CS_SECURITY 0xc002, length 12
    0x10, 0x00, 0x00, 0x00,  // encryptionMethods FIPS
    0x00, 0x00, 0x00, 0x00,  // extEncryptionMethods 0
    0x03, 0xc0, 0x08, 0x00,  // CS_NET 0xc003, length 8
    0x00, 0x00, 0x00, 0x00,  // channelCount 0
};

constexpr std::size_t kCoreEnd = 373 - sizeof(kTailFips);

TEST(McsConnectInitial, HeadersMatchTheWindowsLayout) {
  ConnectInitialOptions options;
  options.encryptionMethods_ = kEncryptionFips;
  const auto pdu = buildMcsConnectInitial(options);
  ASSERT_EQ(pdu.size(), 373u);
  EXPECT_EQ(Bytes(pdu.begin(), pdu.begin() + sizeof(kHead)), fixtures::copy(kHead));
  EXPECT_EQ(Bytes(pdu.begin() + kCoreEnd, pdu.end()), fixtures::copy(kTailFips));
}

TEST(McsConnectInitial, IsExactlyOneTpktFrame) {
  const auto pdu = buildMcsConnectInitial({});
  auto need = tpktFrameLength(pdu);
  ASSERT_TRUE(need.ok());
  EXPECT_EQ(*need, pdu.size());
}

TEST(McsConnectInitial, EachMethodChangesOnlyTheEncryptionMethodsField) {
  ConnectInitialOptions options;
  options.encryptionMethods_ = kEncryptionFips;
  const auto fips = buildMcsConnectInitial(options);
  const std::size_t methodOffset = kCoreEnd + 4;
  for (auto method : kEncryptionMethods) {
    SCOPED_TRACE(method);
    options.encryptionMethods_ = method;
    auto pdu = buildMcsConnectInitial(options);
    ASSERT_EQ(pdu.size(), fips.size());
    EXPECT_EQ(pdu[methodOffset], method);
    pdu[methodOffset] = kEncryptionFips;
    EXPECT_EQ(pdu, fips);
  }
}

TEST(McsConnectInitial, ExtEncryptionMethodsFollowTheMethods) {
  ConnectInitialOptions options;
  options.encryptionMethods_ = 0;
  options.extEncryptionMethods_ = kEncryption128Bit;
  const auto pdu = buildMcsConnectInitial(options);
  EXPECT_EQ(pdu[kCoreEnd + 4], 0x00);
  EXPECT_EQ(pdu[kCoreEnd + 8], 0x02);
}

TEST(McsConnectInitial, CoreDataEndsWithServerSelectedProtocolAndCarriesTheName) {
  ConnectInitialOptions options;
  options.serverSelectedProtocol_ = 0x0A0B0C0D;
  options.clientName_ = "a-very-long-client-name";
  const auto pdu = buildMcsConnectInitial(options);
  EXPECT_EQ(Bytes(pdu.begin() + kCoreEnd - 4, pdu.begin() + kCoreEnd),
            (Bytes{0x0d, 0x0c, 0x0b, 0x0a}));
  const std::size_t nameOffset = sizeof(kHead) + 12;  // after colorDepth..clientBuild
  EXPECT_EQ(pdu[nameOffset], 'a');
  EXPECT_EQ(pdu[nameOffset + 1], 0x00);
  EXPECT_EQ(pdu[nameOffset + 28], 'i');  // 15th character, UTF-16
  EXPECT_EQ(pdu[nameOffset + 30], 0x00);  // 16th unit is the terminator
}

}  // namespace
}  // namespace rdpdoctor::wire
