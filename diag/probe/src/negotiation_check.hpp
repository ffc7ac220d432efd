#pragma once
// MS-RDPBCGR 2.2.1.1 / 2.2.1.2: one X.224 Connection Request and what its Confirm said.
#include <cstdint>

#include "rdpdoctor/probe_result.hpp"
#include "socket.hpp"

namespace rdpdoctor::probe {

/// The check and, when the server selected a protocol, the open socket to continue on.
struct X224Exchange {
  NegotiationCheck check;
  Socket socket;
};

/// Connects on the calling coroutine's executor (unless `connected` is valid), sends a Connection
/// Request with RDP_NEG_REQ requestedProtocols = `requested` and reads one TPKT.
[[nodiscard]] Task<X224Exchange> exchangeX224(const Endpoint& to, Socket connected,
                                              std::uint32_t requested, Deadline deadline);

/// Pure: reads what arrived after the request (a TPKT or the receive error) into a check.
/// `seen` holds every byte received (evidence).
[[nodiscard]] NegotiationCheck readConfirm(std::uint32_t requested, const Result<wire::Bytes>& pdu,
                                           const wire::Bytes& seen);

}  // namespace rdpdoctor::probe
