#pragma once
// Internal: the few BER (ITU-T X.690) encodings T.125 MCS connect PDUs use.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "rdpdoctor/result.hpp"
#include "rdpdoctor/wire/byte_reader.hpp"
#include "rdpdoctor/wire/byte_writer.hpp"

namespace rdpdoctor::wire::detail {

inline constexpr std::uint8_t kBerBoolean = 0x01;
inline constexpr std::uint8_t kBerInteger = 0x02;
inline constexpr std::uint8_t kBerOctetString = 0x04;
inline constexpr std::uint8_t kBerEnumerated = 0x0A;
inline constexpr std::uint8_t kBerSequence = 0x30;

/// X.690 8.1.3: definite length, short form or long form of one or two bytes.
void berWriteLength(ByteWriter& w, std::size_t length);
/// A complete TLV with a one-byte tag.
void berWriteTlv(ByteWriter& w, std::uint8_t tag, ByteSpan content);
/// X.690 8.3 / 8.4: a non-negative INTEGER or ENUMERATED (`tag`) in the fewest bytes.
void berWriteUnsigned(ByteWriter& w, std::uint8_t tag, std::uint32_t value);
inline void berWriteInteger(ByteWriter& w, std::uint32_t value) {
  berWriteUnsigned(w, kBerInteger, value);
}

/// X.690 8.1.3: reads a definite length and checks it fits in what is left of `r`.
/// Errors: "malformed" (indefinite or longer than 2 length bytes), "oversized" (beyond the
/// container), "truncated".
[[nodiscard]] Result<std::size_t> berReadLength(ByteReader& r, std::string_view field);

/// Reads tag `tag` then its length; "wrong-type" when the tag differs. Returns the content.
[[nodiscard]] Result<ByteSpan> berReadTlv(ByteReader& r, std::uint8_t tag, std::string_view field);

/// X.690 8.3 / 8.4: an INTEGER or ENUMERATED of 1 to 4 content bytes, as unsigned.
[[nodiscard]] Result<std::uint32_t> berReadUnsigned(ByteReader& r, std::uint8_t tag,
                                                    std::string_view field);

}  // namespace rdpdoctor::wire::detail
