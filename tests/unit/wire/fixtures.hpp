#pragma once
// Byte fixtures shared by the wire tests. Captures from xrdp 0.9.21.1 on 127.0.0.1 say so.
#include <cstdint>
#include <span>
#include <vector>

#include "rdpdoctor/result.hpp"

namespace rdpdoctor::wire::fixtures {

using Bytes = std::vector<std::uint8_t>;

inline Bytes copy(std::span<const std::uint8_t> s) { return {s.begin(), s.end()}; }

template <class T>
const Error& errorOf(const Result<T>& r) {
  static const Error kNone{"no-error", "the call succeeded", {}};
  return r.ok() ? kNone : r.error();
}

/// Connection Request as mstsc sends it: cookie for "alice", RDP_NEG_REQ for SSL|HYBRID.
inline constexpr std::uint8_t kCrCookieSslHybrid[] = {
    0x03, 0x00, 0x00, 0x2b,                          // TPKT: version 3, length 43
    0x26,                                            // X.224 LI 38
    0xe0,                                            // CR
    0x00, 0x00, 0x00, 0x00,                          // DST-REF 0, SRC-REF 0
    0x00,                                            // class 0
    'C', 'o', 'o', 'k', 'i', 'e', ':', ' ',          // "Cookie: "
    'm', 's', 't', 's', 'h', 'a', 's', 'h', '=',     // "mstshash="
    'a', 'l', 'i', 'c', 'e', '\r', '\n',             // "alice\r\n"
    0x01, 0x00, 0x08, 0x00,                          // RDP_NEG_REQ, flags 0, length 8
    0x03, 0x00, 0x00, 0x00,                          // requestedProtocols SSL | HYBRID
};

/// Connection Request without cookie: RDP_NEG_REQ for PROTOCOL_RDP only.
inline constexpr std::uint8_t kCrNoCookieRdp[] = {
    0x03, 0x00, 0x00, 0x13,  // TPKT: length 19
    0x0e, 0xe0,              // LI 14, CR
    0x00, 0x00, 0x00, 0x00,  // DST-REF, SRC-REF
    0x00,                    // class 0
    0x01, 0x00, 0x08, 0x00,  // RDP_NEG_REQ, flags 0, length 8
    0x00, 0x00, 0x00, 0x00,  // requestedProtocols RDP
};

/// xrdp, security_layer=negotiate, answering a request for SSL (and SSL|HYBRID): SSL selected.
inline constexpr std::uint8_t kXrdpCcSelectsSsl[] = {
    0x03, 0x00, 0x00, 0x13,  // TPKT: length 19
    0x0e, 0xd0,              // LI 14, CC
    0x00, 0x00, 0x12, 0x34,  // DST-REF 0, SRC-REF 0x1234
    0x00,                    // class 0
    0x02, 0x01, 0x08, 0x00,  // RDP_NEG_RSP, flags EXTENDED_CLIENT_DATA_SUPPORTED, length 8
    0x01, 0x00, 0x00, 0x00,  // selectedProtocol SSL
};

/// xrdp, security_layer=negotiate, answering a request for HYBRID only: standard RDP selected.
inline constexpr std::uint8_t kXrdpCcSelectsRdpForHybrid[] = {
    0x03, 0x00, 0x00, 0x13, 0x0e, 0xd0, 0x00, 0x00, 0x12, 0x34, 0x00,  // TPKT, CC header
    0x02, 0x01, 0x08, 0x00,  // RDP_NEG_RSP, EXTENDED_CLIENT_DATA_SUPPORTED, length 8
    0x00, 0x00, 0x00, 0x00,  // selectedProtocol RDP
};

/// xrdp, security_layer=tls, answering a request for RDP only.
inline constexpr std::uint8_t kXrdpCcSslRequired[] = {
    0x03, 0x00, 0x00, 0x13, 0x0e, 0xd0, 0x00, 0x00, 0x12, 0x34, 0x00,  // TPKT, CC header
    0x03, 0x00, 0x08, 0x00,  // RDP_NEG_FAILURE, flags 0, length 8
    0x01, 0x00, 0x00, 0x00,  // failureCode SSL_REQUIRED_BY_SERVER
};

/// xrdp (any security_layer) answering a Connection Request without RDP_NEG_REQ.
inline constexpr std::uint8_t kXrdpCcNoNegotiation[] = {
    0x03, 0x00, 0x00, 0x0b,  // TPKT: length 11
    0x06, 0xd0,              // LI 6, CC
    0x00, 0x00, 0x12, 0x34,  // DST-REF 0, SRC-REF 0x1234
    0x00,                    // class 0, no rdpNegData
};

/// xrdp answering requestedProtocols with RDSAAD (0x10) or RDSTLS|HYBRID_EX (0xf) set.
inline constexpr std::uint8_t kXrdpUltimatum[] = {
    0x03, 0x00, 0x00, 0x09,  // TPKT: length 9
    0x02, 0xf0, 0x80,        // X.224 Data
    0x21, 0x80,              // MCS DisconnectProviderUltimatum, reason rn-user-requested
};

}  // namespace rdpdoctor::wire::fixtures
