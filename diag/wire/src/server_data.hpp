#pragma once
// Internal: MS-RDPBCGR 2.2.1.4.2-2.2.1.4.4 server data blocks.
#include "rdpdoctor/result.hpp"
#include "rdpdoctor/wire/byte_reader.hpp"
#include "rdpdoctor/wire/byte_writer.hpp"
#include "rdpdoctor/wire/mcs_connect_response.hpp"

namespace rdpdoctor::wire::detail {

/// Parses the concatenated blocks into `out` (core_, security_, network_); skips unknown types.
[[nodiscard]] Status parseServerDataBlocks(ByteSpan blocks, McsConnectResponse& out);

/// Writes the blocks present in `response`.
[[nodiscard]] Bytes buildServerDataBlocks(const McsConnectResponse& response);

}  // namespace rdpdoctor::wire::detail
