#pragma once
// Constants and names of the X.224 negotiation: security protocols, flags, failure codes.
#include <cstdint>
#include <string>
#include <vector>

#include "rdpdoctor/security_protocol.hpp"

namespace rdpdoctor::wire {

/// MS-RDPBCGR 2.2.1.1.1 RDP Negotiation Request, requestedProtocols: diag/model's vocabulary.
using ::rdpdoctor::kProtocolHybrid;
using ::rdpdoctor::kProtocolHybridEx;
using ::rdpdoctor::kProtocolRdp;
using ::rdpdoctor::kProtocolRdsaad;
using ::rdpdoctor::kProtocolRdstls;
using ::rdpdoctor::kProtocolSsl;

/// MS-RDPBCGR 2.2.1.1.1 RDP Negotiation Request, flags.
inline constexpr std::uint8_t kRestrictedAdminModeRequired = 0x01;
inline constexpr std::uint8_t kRedirectedAuthenticationModeRequired = 0x02;
inline constexpr std::uint8_t kCorrelationInfoPresent = 0x08;

/// MS-RDPBCGR 2.2.1.2.1 RDP Negotiation Response, flags.
inline constexpr std::uint8_t kExtendedClientDataSupported = 0x01;
inline constexpr std::uint8_t kDynvcGfxProtocolSupported = 0x02;
inline constexpr std::uint8_t kNegRspFlagReserved = 0x04;
inline constexpr std::uint8_t kRestrictedAdminModeSupported = 0x08;
inline constexpr std::uint8_t kRedirectedAuthenticationModeSupported = 0x10;

/// MS-RDPBCGR 2.2.1.2.2 RDP Negotiation Failure, failureCode.
inline constexpr std::uint32_t kSslRequiredByServer = 0x00000001;
inline constexpr std::uint32_t kSslNotAllowedByServer = 0x00000002;
inline constexpr std::uint32_t kSslCertNotOnServer = 0x00000003;
inline constexpr std::uint32_t kInconsistentFlags = 0x00000004;
inline constexpr std::uint32_t kHybridRequiredByServer = 0x00000005;
inline constexpr std::uint32_t kSslWithUserAuthRequiredByServer = 0x00000006;

/// The names of the protocol bits set in `protocols`: "RDP" (for 0), "SSL", "HYBRID", "RDSTLS",
/// "HYBRID_EX", "RDSAAD"; an unknown bit as "0x00000040".
[[nodiscard]] std::vector<std::string> protocolNames(std::uint32_t protocols);

/// The name of one selected protocol (MS-RDPBCGR 2.2.1.2.1 selectedProtocol); several bits or an
/// unknown value as "0x0000000c".
[[nodiscard]] std::string protocolName(std::uint32_t selectedProtocol);

/// MS-RDPBCGR 2.2.1.2.1: names of the RDP_NEG_RSP flags, e.g. "EXTENDED_CLIENT_DATA_SUPPORTED";
/// an unknown bit as "0x40".
[[nodiscard]] std::vector<std::string> negotiationResponseFlagNames(std::uint8_t flags);

/// MS-RDPBCGR 2.2.1.2.2: "SSL_REQUIRED_BY_SERVER" ... "SSL_WITH_USER_AUTH_REQUIRED_BY_SERVER";
/// an unknown code as "UNKNOWN_FAILURE_0x00000007".
[[nodiscard]] std::string failureCodeName(std::uint32_t failureCode);

/// One fact for a report, e.g. "server requires NLA (HYBRID_REQUIRED_BY_SERVER)".
[[nodiscard]] std::string failureCodeMeaning(std::uint32_t failureCode);

}  // namespace rdpdoctor::wire
