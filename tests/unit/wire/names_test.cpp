#include <gtest/gtest.h>

#include "rdpdoctor/wire/protocols.hpp"
#include "rdpdoctor/wire/standard_security.hpp"

namespace rdpdoctor::wire {
namespace {

using Names = std::vector<std::string>;

TEST(ProtocolNames, ZeroIsRdp) { EXPECT_EQ(protocolNames(0), Names{"RDP"}); }

TEST(ProtocolNames, EveryBitHasItsSpecName) {
  EXPECT_EQ(protocolNames(0x1F), (Names{"SSL", "HYBRID", "RDSTLS", "HYBRID_EX", "RDSAAD"}));
  EXPECT_EQ(protocolNames(kProtocolSsl | kProtocolHybrid), (Names{"SSL", "HYBRID"}));
}

TEST(ProtocolNames, UnknownBitIsShownInHex) {
  EXPECT_EQ(protocolNames(0x41), (Names{"SSL", "0x00000040"}));
}

TEST(ProtocolName, SelectedProtocolsHaveTheirNames) {
  EXPECT_EQ(protocolName(kProtocolRdp), "RDP");
  EXPECT_EQ(protocolName(kProtocolHybridEx), "HYBRID_EX");
  EXPECT_EQ(protocolName(kProtocolRdsaad), "RDSAAD");
  EXPECT_EQ(protocolName(0x3), "0x00000003");
}

TEST(NegotiationResponseFlags, EveryFlagHasItsSpecName) {
  EXPECT_EQ(negotiationResponseFlagNames(0x1F),
            (Names{"EXTENDED_CLIENT_DATA_SUPPORTED", "DYNVC_GFX_PROTOCOL_SUPPORTED",
                   "NEGRSP_FLAG_RESERVED", "RESTRICTED_ADMIN_MODE_SUPPORTED",
                   "REDIRECTED_AUTHENTICATION_MODE_SUPPORTED"}));
  EXPECT_EQ(negotiationResponseFlagNames(0x80), Names{"0x80"});
  EXPECT_TRUE(negotiationResponseFlagNames(0).empty());
}

TEST(FailureCodeName, UnknownCodeIsNamedAsUnknown) {
  EXPECT_EQ(failureCodeName(7), "UNKNOWN_FAILURE_0x00000007");
}

TEST(FailureCodeMeaning, HybridRequiredReadsAsNlaRequired) {
  EXPECT_EQ(failureCodeMeaning(kHybridRequiredByServer),
            "server requires NLA (HYBRID_REQUIRED_BY_SERVER)");
}

TEST(EncryptionNames, MethodsUseTheProbeJsonNames) {
  EXPECT_EQ(encryptionMethodName(kEncryption40Bit), "40");
  EXPECT_EQ(encryptionMethodName(kEncryption56Bit), "56");
  EXPECT_EQ(encryptionMethodName(kEncryption128Bit), "128");
  EXPECT_EQ(encryptionMethodName(kEncryptionFips), "FIPS");
  EXPECT_EQ(encryptionMethodName(kEncryptionNone), "none");
  EXPECT_EQ(encryptionMethodNames(0x1B), (Names{"40", "128", "56", "FIPS"}));
}

TEST(EncryptionNames, LevelsUseTheSpecOrder) {
  EXPECT_EQ(encryptionLevelName(0), "none");
  EXPECT_EQ(encryptionLevelName(1), "low");
  EXPECT_EQ(encryptionLevelName(2), "client-compatible");
  EXPECT_EQ(encryptionLevelName(3), "high");
  EXPECT_EQ(encryptionLevelName(4), "fips");
  EXPECT_EQ(encryptionLevelName(9), "9");
}

TEST(McsResultName, SuccessAndRejectionHaveT125Names) {
  EXPECT_EQ(mcsResultName(0), "rt-successful");
  EXPECT_EQ(mcsResultName(8), "rt-parameters-unacceptable");
  EXPECT_EQ(mcsResultName(15), "rt-user-rejected");
  EXPECT_EQ(mcsResultName(16), "16");
}

TEST(UltimatumReasonName, UserRequestedIsThree) {
  EXPECT_EQ(ultimatumReasonName(3), "rn-user-requested");
  EXPECT_EQ(ultimatumReasonName(7), "rn-7");
}

}  // namespace
}  // namespace rdpdoctor::wire
