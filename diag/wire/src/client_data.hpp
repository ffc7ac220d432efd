#pragma once
// Internal: MS-RDPBCGR 2.2.1.3.2-2.2.1.3.4 client data blocks.
#include "rdpdoctor/wire/byte_writer.hpp"
#include "rdpdoctor/wire/mcs_connect_initial.hpp"

namespace rdpdoctor::wire::detail {

/// CS_CORE, CS_SECURITY and CS_NET (zero channels), concatenated.
[[nodiscard]] Bytes buildClientDataBlocks(const ConnectInitialOptions& options);

}  // namespace rdpdoctor::wire::detail
