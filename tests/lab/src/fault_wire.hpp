#pragma once
// The few bytes the fault endpoints speak (sans-IO, so the lab test can check them directly).
#include <cstdint>
#include <span>
#include <vector>

namespace rdpdoctor::lab {

inline constexpr std::uint32_t kProtocolRdp = 0;  // PROTOCOL_RDP
inline constexpr std::uint32_t kProtocolSsl = 1;  // PROTOCOL_SSL

enum class RequestState { Incomplete, Complete, Invalid };

struct ConnectionRequest {
  RequestState state = RequestState::Incomplete;
  bool hasNegotiation = false;          // an RDP_NEG_REQ was present
  std::uint32_t requestedProtocols = 0;
  bool offersSsl = false;
};

/// MS-RDPBCGR 2.2.1.1 Client X.224 Connection Request PDU: TPKT (version 3, big-endian length),
/// X.224 CR (code 0xE0), optional cookie, optional RDP_NEG_REQ (type 0x01, length 8) at the end.
[[nodiscard]] ConnectionRequest parseConnectionRequest(std::span<const std::uint8_t> bytes);

/// MS-RDPBCGR 2.2.1.2 Server X.224 Connection Confirm PDU with RDP_NEG_RSP selecting `protocol`.
[[nodiscard]] std::vector<std::uint8_t> connectionConfirm(std::uint32_t protocol);

}  // namespace rdpdoctor::lab
