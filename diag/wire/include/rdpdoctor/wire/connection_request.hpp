#pragma once
// MS-RDPBCGR 2.2.1.1 Client X.224 Connection Request PDU: builder and parser.
#include <array>
#include <cstdint>
#include <optional>
#include <string>

#include "rdpdoctor/result.hpp"
#include "rdpdoctor/wire/byte_reader.hpp"
#include "rdpdoctor/wire/byte_writer.hpp"

namespace rdpdoctor::wire {

/// MS-RDPBCGR 2.2.1.1.1 RDP Negotiation Request (RDP_NEG_REQ).
struct NegotiationRequest {
  std::uint8_t flags_ = 0;                 // kRestrictedAdminModeRequired, ...
  std::uint32_t requestedProtocols_ = 0;   // kProtocolSsl | kProtocolHybrid, ...
  /// MS-RDPBCGR 2.2.1.1.2 RDP Correlation Info; present iff flags_ has kCorrelationInfoPresent.
  std::optional<std::array<std::uint8_t, 16>> correlationId_;
};

/// MS-RDPBCGR 2.2.1.1 Client X.224 Connection Request PDU.
struct ConnectionRequest {
  /// The user name of the routing cookie line "Cookie: mstshash=USER\r\n".
  std::optional<std::string> cookie_;
  /// Any other "Cookie: ...\r\n" line (a load-balancer routing token), without "Cookie: " and CRLF.
  std::optional<std::string> routingToken_;
  std::optional<NegotiationRequest> negotiation_;
  std::uint16_t srcRef_ = 0;
};

/// The longest cookie or routing token accepted by the builder and parser.
inline constexpr std::size_t kMaxCookieLength = 200;

/// MS-RDPBCGR 2.2.1.1: a whole TPKT. Errors: "malformed" (CR or LF in the cookie, both cookie and
/// routing token, correlation id without the flag or the other way round), "oversized" (cookie
/// longer than kMaxCookieLength).
[[nodiscard]] Result<Bytes> buildConnectionRequest(const ConnectionRequest& request);

/// MS-RDPBCGR 2.2.1.1: parses one whole TPKT (as a stub server receives it).
/// Errors: "truncated", "oversized", "trailing-bytes", "wrong-type" (not a CR, or a negotiation
/// structure whose type is not RDP_NEG_REQ), "malformed".
[[nodiscard]] Result<ConnectionRequest> parseConnectionRequest(ByteSpan tpktPdu);

}  // namespace rdpdoctor::wire
