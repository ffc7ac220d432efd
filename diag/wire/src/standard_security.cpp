#include "rdpdoctor/wire/standard_security.hpp"

#include <array>
#include <cstdio>

namespace rdpdoctor::wire {

std::string encryptionMethodName(std::uint32_t method) {
  switch (method) {
    case kEncryptionNone: return "none";
    case kEncryption40Bit: return "40";
    case kEncryption56Bit: return "56";
    case kEncryption128Bit: return "128";
    case kEncryptionFips: return "FIPS";
    default: {
      char buf[16];
      std::snprintf(buf, sizeof buf, "0x%08x", method);
      return buf;
    }
  }
}

std::vector<std::string> encryptionMethodNames(std::uint32_t methods) {
  std::vector<std::string> names;
  for (std::uint32_t bit = 1; bit != 0; bit <<= 1) {
    if ((methods & bit) != 0) names.push_back(encryptionMethodName(bit));
  }
  return names;
}

std::string encryptionLevelName(std::uint32_t level) {
  static constexpr std::array<const char*, 5> kNames{"none", "low", "client-compatible", "high",
                                                     "fips"};
  return level < kNames.size() ? kNames[level] : std::to_string(level);
}

std::string mcsResultName(std::uint32_t result) {
  static constexpr std::array<const char*, 16> kNames{
      "rt-successful",          "rt-domain-merging",       "rt-domain-not-hierarchical",
      "rt-no-such-channel",     "rt-no-such-domain",       "rt-no-such-user",
      "rt-not-admitted",        "rt-other-user-id",        "rt-parameters-unacceptable",
      "rt-token-not-available", "rt-token-not-possessed",  "rt-too-many-channels",
      "rt-too-many-tokens",     "rt-too-many-users",       "rt-unspecified-failure",
      "rt-user-rejected"};
  return result < kNames.size() ? kNames[result] : std::to_string(result);
}

std::string ultimatumReasonName(std::uint8_t reason) {
  static constexpr std::array<const char*, 5> kNames{"rn-domain-disconnected",
                                                     "rn-provider-initiated", "rn-token-purged",
                                                     "rn-user-requested", "rn-channel-purged"};
  return reason < kNames.size() ? kNames[reason] : "rn-" + std::to_string(reason);
}

}  // namespace rdpdoctor::wire
