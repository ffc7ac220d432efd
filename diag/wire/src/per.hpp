#pragma once
// Internal: the few aligned PER (ITU-T X.691) encodings T.124 GCC uses.
#include <cstddef>
#include <string_view>

#include "rdpdoctor/result.hpp"
#include "rdpdoctor/wire/byte_reader.hpp"
#include "rdpdoctor/wire/byte_writer.hpp"

namespace rdpdoctor::wire::detail {

/// X.691 10.9: the largest length written without fragmentation.
inline constexpr std::size_t kPerMaxLength = 0x3FFF;

/// X.691 10.9.3.6 / 10.9.3.7: one byte below 0x80, else two bytes with the top bit set.
void perWriteLength(ByteWriter& w, std::size_t length);

/// X.691 10.9: reads a length of one or two bytes. Errors: "truncated", "malformed" (fragmented).
[[nodiscard]] Result<std::size_t> perReadLength(ByteReader& r, std::string_view field);

}  // namespace rdpdoctor::wire::detail
