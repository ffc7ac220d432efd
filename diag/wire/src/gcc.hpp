#pragma once
// Internal: T.124 GCC ConnectData with Conference Create Request / Response (aligned PER).
#include <cstdint>

#include "rdpdoctor/result.hpp"
#include "rdpdoctor/wire/byte_reader.hpp"
#include "rdpdoctor/wire/byte_writer.hpp"

namespace rdpdoctor::wire::detail {

/// MS-RDPBCGR 2.2.1.3 gccCCrq: ConnectData (t124 object id) + ConferenceCreateRequest whose
/// userData key is "Duca" and whose value is `clientBlocks`.
[[nodiscard]] Bytes buildConferenceCreateRequest(ByteSpan clientBlocks);

/// MS-RDPBCGR 2.2.1.4 gccCCrsp, the parts a client checks.
struct ConferenceCreateResponse {
  std::uint16_t nodeId_ = 0;
  std::uint8_t result_ = 0;  // T.124 ConferenceCreateResponse result, 0 = success
  ByteSpan serverBlocks_;    // the "McDn" user data: server data blocks
};

/// Parses the MCS userData of a Connect-Response. The connectPDU length is read and ignored:
/// Windows and xrdp both write a fixed, wrong value there.
[[nodiscard]] Result<ConferenceCreateResponse> parseConferenceCreateResponse(ByteSpan data);

/// The inverse of parseConferenceCreateResponse (for stub servers and tests).
[[nodiscard]] Bytes buildConferenceCreateResponse(std::uint16_t nodeId, std::uint8_t result,
                                                  ByteSpan serverBlocks);

}  // namespace rdpdoctor::wire::detail
