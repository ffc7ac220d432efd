#include "fault_wire.hpp"

namespace rdpdoctor::lab {
namespace {

constexpr std::size_t kTpktHeader = 4;
constexpr std::size_t kCrFixed = 7;  // LI, code, DST-REF(2), SRC-REF(2), class
constexpr std::size_t kNegReqSize = 8;

}  // namespace

ConnectionRequest parseConnectionRequest(std::span<const std::uint8_t> bytes) {
  ConnectionRequest out;
  if (bytes.size() < kTpktHeader) return out;
  if (bytes[0] != 0x03) {
    out.state = RequestState::Invalid;
    return out;
  }
  const std::size_t length = (std::size_t{bytes[2]} << 8U) | bytes[3];
  if (length < kTpktHeader + kCrFixed) {
    out.state = RequestState::Invalid;
    return out;
  }
  if (bytes.size() < length) return out;
  const auto pdu = bytes.first(length);
  if ((pdu[5] & 0xF0U) != 0xE0U) {
    out.state = RequestState::Invalid;
    return out;
  }
  out.state = RequestState::Complete;
  if (length >= kTpktHeader + kCrFixed + kNegReqSize) {
    const auto neg = pdu.last(kNegReqSize);
    if (neg[0] == 0x01 && neg[2] == 0x08 && neg[3] == 0x00) {
      out.hasNegotiation = true;
      out.requestedProtocols = std::uint32_t{neg[4]} | (std::uint32_t{neg[5]} << 8U) |
                               (std::uint32_t{neg[6]} << 16U) | (std::uint32_t{neg[7]} << 24U);
      out.offersSsl = (out.requestedProtocols & kProtocolSsl) != 0;
    }
  }
  return out;
}

std::vector<std::uint8_t> connectionConfirm(std::uint32_t protocol) {
  return {
      0x03, 0x00, 0x00, 0x13,                    // TPKT: version 3, length 19
      0x0e, 0xd0, 0x00, 0x00, 0x12, 0x34, 0x00,  // X.224 CC: LI 14, code, DST-REF, SRC-REF, class
      0x02, 0x00, 0x08, 0x00,                    // RDP_NEG_RSP: type, flags, length 8
      static_cast<std::uint8_t>(protocol & 0xFFU), static_cast<std::uint8_t>((protocol >> 8U) & 0xFFU),
      static_cast<std::uint8_t>((protocol >> 16U) & 0xFFU),
      static_cast<std::uint8_t>((protocol >> 24U) & 0xFFU),  // selectedProtocol (LE)
  };
}

}  // namespace rdpdoctor::lab
