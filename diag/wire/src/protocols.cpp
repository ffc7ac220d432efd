#include "rdpdoctor/wire/protocols.hpp"

#include <array>
#include <cstdio>
#include <utility>

namespace rdpdoctor::wire {
namespace {

std::string hex32(std::uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%08x", v);
  return buf;
}

std::string hex8(std::uint8_t v) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "0x%02x", v);
  return buf;
}

constexpr std::array<std::pair<std::uint32_t, const char*>, 5> kProtocolBits{{
    {kProtocolSsl, "SSL"},
    {kProtocolHybrid, "HYBRID"},
    {kProtocolRdstls, "RDSTLS"},
    {kProtocolHybridEx, "HYBRID_EX"},
    {kProtocolRdsaad, "RDSAAD"},
}};

constexpr std::array<std::pair<std::uint8_t, const char*>, 5> kResponseFlags{{
    {kExtendedClientDataSupported, "EXTENDED_CLIENT_DATA_SUPPORTED"},
    {kDynvcGfxProtocolSupported, "DYNVC_GFX_PROTOCOL_SUPPORTED"},
    {kNegRspFlagReserved, "NEGRSP_FLAG_RESERVED"},
    {kRestrictedAdminModeSupported, "RESTRICTED_ADMIN_MODE_SUPPORTED"},
    {kRedirectedAuthenticationModeSupported, "REDIRECTED_AUTHENTICATION_MODE_SUPPORTED"},
}};

}  // namespace

std::vector<std::string> protocolNames(std::uint32_t protocols) {
  if (protocols == kProtocolRdp) return {"RDP"};
  std::vector<std::string> names;
  std::uint32_t known = 0;
  for (const auto& [bit, name] : kProtocolBits) {
    known |= bit;
    if ((protocols & bit) != 0) names.emplace_back(name);
  }
  for (std::uint32_t bit = 1; bit != 0; bit <<= 1) {
    if ((protocols & bit & ~known) != 0) names.push_back(hex32(bit));
  }
  return names;
}

std::string protocolName(std::uint32_t selectedProtocol) {
  if (selectedProtocol == kProtocolRdp) return "RDP";
  for (const auto& [bit, name] : kProtocolBits) {
    if (selectedProtocol == bit) return name;
  }
  return hex32(selectedProtocol);
}

std::vector<std::string> negotiationResponseFlagNames(std::uint8_t flags) {
  std::vector<std::string> names;
  std::uint8_t known = 0;
  for (const auto& [bit, name] : kResponseFlags) {
    known = static_cast<std::uint8_t>(known | bit);
    if ((flags & bit) != 0) names.emplace_back(name);
  }
  for (unsigned bit = 1; bit < 0x100; bit <<= 1) {
    if ((flags & bit & ~known) != 0) names.push_back(hex8(static_cast<std::uint8_t>(bit)));
  }
  return names;
}

std::string failureCodeName(std::uint32_t failureCode) {
  switch (failureCode) {
    case kSslRequiredByServer: return "SSL_REQUIRED_BY_SERVER";
    case kSslNotAllowedByServer: return "SSL_NOT_ALLOWED_BY_SERVER";
    case kSslCertNotOnServer: return "SSL_CERT_NOT_ON_SERVER";
    case kInconsistentFlags: return "INCONSISTENT_FLAGS";
    case kHybridRequiredByServer: return "HYBRID_REQUIRED_BY_SERVER";
    case kSslWithUserAuthRequiredByServer: return "SSL_WITH_USER_AUTH_REQUIRED_BY_SERVER";
    default: return "UNKNOWN_FAILURE_" + hex32(failureCode);
  }
}

std::string failureCodeMeaning(std::uint32_t failureCode) {
  const std::string name = " (" + failureCodeName(failureCode) + ")";
  switch (failureCode) {
    case kSslRequiredByServer: return "server requires TLS" + name;
    case kSslNotAllowedByServer: return "server does not allow TLS, only standard rdp security" + name;
    case kSslCertNotOnServer: return "server has no certificate for TLS" + name;
    case kInconsistentFlags: return "server found the requested protocols inconsistent" + name;
    case kHybridRequiredByServer: return "server requires NLA" + name;
    case kSslWithUserAuthRequiredByServer: return "server requires TLS with user authentication" + name;
    default: return "server refused the negotiation with an unknown code" + name;
  }
}

}  // namespace rdpdoctor::wire
