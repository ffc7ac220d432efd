#pragma once
// MS-RDPBCGR 5.3 Standard RDP Security: encryption method and level values and names.
#include <cstdint>
#include <string>
#include <vector>

namespace rdpdoctor::wire {

/// MS-RDPBCGR 2.2.1.3.3 encryptionMethods / 2.2.1.4.3 encryptionMethod.
inline constexpr std::uint32_t kEncryptionNone = 0x00000000;
inline constexpr std::uint32_t kEncryption40Bit = 0x00000001;
inline constexpr std::uint32_t kEncryption128Bit = 0x00000002;
inline constexpr std::uint32_t kEncryption56Bit = 0x00000008;
inline constexpr std::uint32_t kEncryptionFips = 0x00000010;

/// The four methods in the order a probe offers them, one at a time.
inline constexpr std::uint32_t kEncryptionMethods[] = {kEncryption40Bit, kEncryption56Bit,
                                                       kEncryption128Bit, kEncryptionFips};

/// MS-RDPBCGR 2.2.1.4.3 encryptionLevel.
inline constexpr std::uint32_t kEncryptionLevelNone = 0;
inline constexpr std::uint32_t kEncryptionLevelLow = 1;
inline constexpr std::uint32_t kEncryptionLevelClientCompatible = 2;
inline constexpr std::uint32_t kEncryptionLevelHigh = 3;
inline constexpr std::uint32_t kEncryptionLevelFips = 4;

/// "40", "56", "128", "FIPS" (the probe JSON names), "none" for 0; anything else as hex.
[[nodiscard]] std::string encryptionMethodName(std::uint32_t method);

/// The names of every method bit in `methods` (none for 0 gives an empty list).
[[nodiscard]] std::vector<std::string> encryptionMethodNames(std::uint32_t methods);

/// "none", "low", "client-compatible", "high", "fips"; anything else as a number.
[[nodiscard]] std::string encryptionLevelName(std::uint32_t level);

/// T.125 Result (section 7, MCS-CONNECT-PROVIDER response): "rt-successful", "rt-domain-merging",
/// ... "rt-user-rejected"; anything else as a number.
[[nodiscard]] std::string mcsResultName(std::uint32_t result);

/// T.125 Reason of a DisconnectProviderUltimatum: "rn-domain-disconnected" ... "rn-channel-purged".
[[nodiscard]] std::string ultimatumReasonName(std::uint8_t reason);

}  // namespace rdpdoctor::wire
