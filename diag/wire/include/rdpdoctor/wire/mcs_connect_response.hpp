#pragma once
// MS-RDPBCGR 2.2.1.4 Server MCS Connect Response PDU with GCC Conference Create Response.
#include <cstdint>
#include <optional>
#include <vector>

#include "rdpdoctor/result.hpp"
#include "rdpdoctor/wire/byte_reader.hpp"
#include "rdpdoctor/wire/byte_writer.hpp"

namespace rdpdoctor::wire {

/// T.125 Result rt-successful.
inline constexpr std::uint32_t kMcsResultSuccessful = 0;

/// MS-RDPBCGR 2.2.1.4.2 Server Core Data (TS_UD_SC_CORE).
struct ServerCoreData {
  std::uint32_t version_ = 0;                                // 0x00080004 = RDP 5.0 and later
  std::optional<std::uint32_t> clientRequestedProtocols_;    // echo of the RDP_NEG_REQ
  std::optional<std::uint32_t> earlyCapabilityFlags_;
};

/// MS-RDPBCGR 2.2.1.4.3 Server Security Data (TS_UD_SC_SEC1).
struct ServerSecurityData {
  std::uint32_t encryptionMethod_ = 0;  // kEncryption40Bit, ...; 0 = none
  std::uint32_t encryptionLevel_ = 0;   // kEncryptionLevelLow, ...
  std::vector<std::uint8_t> serverRandom_;       // empty when method and level are 0
  std::vector<std::uint8_t> serverCertificate_;  // proprietary or X.509 chain, not parsed here
};

/// MS-RDPBCGR 2.2.1.4.4 Server Network Data (TS_UD_SC_NET).
struct ServerNetworkData {
  std::uint16_t mcsChannelId_ = 0;
  std::vector<std::uint16_t> channelIds_;
};

/// MS-RDPBCGR 2.2.1.4 Server MCS Connect Response PDU. When result_ is not rt-successful the
/// server may send no user data; the blocks are then absent.
struct McsConnectResponse {
  std::uint32_t result_ = kMcsResultSuccessful;  // T.125 Result, see mcsResultName
  std::uint32_t calledConnectId_ = 0;
  std::uint16_t gccNodeId_ = 0;
  std::uint8_t gccResult_ = 0;  // T.124 ConferenceCreateResponse result, 0 = success
  std::optional<ServerCoreData> core_;
  std::optional<ServerSecurityData> security_;
  std::optional<ServerNetworkData> network_;
};

/// What one Connect-Initial offering some encryption methods learned (nmap rdp-enum-encryption).
struct StandardSecurityOutcome {
  std::uint32_t mcsResult_ = kMcsResultSuccessful;
  std::uint32_t encryptionMethod_ = 0;  // the method the server chose; 0 = refused or none
  std::uint32_t encryptionLevel_ = 0;
  std::uint32_t serverVersion_ = 0;     // SC_CORE version, 0 when absent
  /// rt-successful and a non-zero method.
  [[nodiscard]] bool accepted() const {
    return mcsResult_ == kMcsResultSuccessful && encryptionMethod_ != 0;
  }
  /// accepted() with one of `offeredMethods`. Servers may ignore the offer and answer with their
  /// own method (xrdp 0.9 always does): count an offered method as supported only when this holds.
  [[nodiscard]] bool acceptedFrom(std::uint32_t offeredMethods) const {
    return accepted() && (encryptionMethod_ & offeredMethods) != 0;
  }
};

/// MS-RDPBCGR 2.2.1.4: parses one whole TPKT (X.224 Data, T.125 BER Connect-Response, T.124 PER
/// Conference Create Response, server data blocks; unknown blocks are skipped).
/// Errors: "truncated", "oversized" (a length beyond its container), "trailing-bytes",
/// "wrong-type" (not X.224 data, not a Connect-Response: e.g. a Disconnect Provider Ultimatum),
/// "malformed" (bad encodings, duplicate blocks, short blocks).
[[nodiscard]] Result<McsConnectResponse> parseMcsConnectResponse(ByteSpan tpktPdu);

/// The inverse of parseMcsConnectResponse (for stub servers and tests); the blocks present in
/// `response` are written in the order core, network, security, as Windows and xrdp do.
[[nodiscard]] Bytes buildMcsConnectResponse(const McsConnectResponse& response);

/// The fields a security enumeration reports.
[[nodiscard]] StandardSecurityOutcome summarizeStandardSecurity(const McsConnectResponse& response);

/// T.125 DisconnectProviderUltimatum inside X.224 Data (one whole TPKT), as sent by servers that
/// refuse a request outright (xrdp answers unsupported requestedProtocols so). Returns the reason
/// (see ultimatumReasonName). Errors: "truncated", "trailing-bytes", "wrong-type", "malformed".
[[nodiscard]] Result<std::uint8_t> parseDisconnectProviderUltimatum(ByteSpan tpktPdu);

/// A whole TPKT with X.224 Data and a DisconnectProviderUltimatum of `reason` (0..4).
[[nodiscard]] Bytes buildDisconnectProviderUltimatum(std::uint8_t reason);

}  // namespace rdpdoctor::wire
