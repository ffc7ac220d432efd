#pragma once
// MS-RDPBCGR 5.3.2: which standard RDP security encryption methods a server accepts, one at a time.
#include <cstdint>

#include "rdpdoctor/probe_result.hpp"
#include "socket.hpp"

namespace rdpdoctor::probe {

/// Connects, requests PROTOCOL_RDP (2.2.1.1), then sends an MCS Connect Initial (2.2.1.3) whose
/// CS_SECURITY offers `method` alone and reads the Connect Response (2.2.1.4). "accepted" only
/// when the server chose the offered method (StandardSecurityOutcome::acceptedFrom): xrdp answers
/// with its own method whatever is offered; "no-encryption" when it answers method and level 0
/// (2.2.1.4.3: the server encrypts nothing, as FreeRDP's shadow server does).
/// `carried`: a connection whose Connection Confirm already selected PROTOCOL_RDP (or had no
/// negotiation data), used instead of a fresh connection.
[[nodiscard]] Task<RdpMethodCheck> checkRdpMethod(const Endpoint& to, std::uint32_t method,
                                                  Deadline deadline, Socket carried = Socket());

/// Pure: reads the answer to the Connect Initial (a TPKT or the receive error).
[[nodiscard]] RdpMethodCheck readConnectResponse(std::uint32_t method,
                                                 const Result<wire::Bytes>& pdu);

}  // namespace rdpdoctor::probe
