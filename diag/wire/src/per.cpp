#include "per.hpp"

#include <string>

namespace rdpdoctor::wire::detail {

void perWriteLength(ByteWriter& w, std::size_t length) {
  if (length < 0x80) {
    w.u8(static_cast<std::uint8_t>(length));
  } else {
    w.u16be(static_cast<std::uint16_t>(0x8000 | (length & kPerMaxLength)));
  }
}

Result<std::size_t> perReadLength(ByteReader& r, std::string_view field) {
  const auto first = r.u8(field);
  if (r.failed()) return r.error();
  if ((first & 0x80) == 0) return std::size_t{first};
  if ((first & 0x40) != 0) {
    return makeError("malformed", std::string(field) + " uses a fragmented per length");
  }
  const auto second = r.u8(field);
  if (r.failed()) return r.error();
  return (std::size_t{first & 0x3Fu} << 8) | second;
}

}  // namespace rdpdoctor::wire::detail
