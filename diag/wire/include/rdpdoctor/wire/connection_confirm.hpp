#pragma once
// MS-RDPBCGR 2.2.1.2 Server X.224 Connection Confirm PDU: parser and builder.
#include <cstdint>
#include <variant>

#include "rdpdoctor/result.hpp"
#include "rdpdoctor/wire/byte_reader.hpp"
#include "rdpdoctor/wire/byte_writer.hpp"

namespace rdpdoctor::wire {

/// MS-RDPBCGR 2.2.1.2.1 RDP Negotiation Response (RDP_NEG_RSP).
struct NegotiationResponse {
  std::uint8_t flags_ = 0;               // kExtendedClientDataSupported, ...
  std::uint32_t selectedProtocol_ = 0;   // kProtocolRdp, kProtocolSsl, ...
};

/// MS-RDPBCGR 2.2.1.2.2 RDP Negotiation Failure (RDP_NEG_FAILURE).
struct NegotiationFailure {
  std::uint8_t flags_ = 0;
  std::uint32_t failureCode_ = 0;        // kSslRequiredByServer ... (see failureCodeName)
};

/// MS-RDPBCGR 2.2.1.2: a Connection Confirm with no rdpNegData at all, as sent by servers that
/// predate negotiation (Windows XP / Server 2003 and earlier): standard RDP security only.
struct NoNegotiationData {};

using NegotiationResult = std::variant<NegotiationResponse, NegotiationFailure, NoNegotiationData>;

/// MS-RDPBCGR 2.2.1.2 Server X.224 Connection Confirm PDU.
struct ConnectionConfirm {
  std::uint16_t dstRef_ = 0;
  std::uint16_t srcRef_ = 0;
  NegotiationResult result_ = NoNegotiationData{};
};

/// MS-RDPBCGR 2.2.1.2: parses one whole TPKT as returned by tpktFrameLength.
/// Errors: "truncated" (the TPKT or the negotiation structure ends early), "oversized" (a length
/// field exceeds its container), "trailing-bytes", "wrong-type" (not a Connection Confirm, e.g. an
/// X.224 Disconnect Request or MCS Disconnect Provider Ultimatum; or an unknown negotiation type),
/// "malformed" (a length field below its minimum).
[[nodiscard]] Result<ConnectionConfirm> parseConnectionConfirm(ByteSpan tpktPdu);

/// MS-RDPBCGR 2.2.1.2: a whole TPKT (for stub servers and tests).
[[nodiscard]] Bytes buildConnectionConfirm(const ConnectionConfirm& confirm);

}  // namespace rdpdoctor::wire
