#include "ber.hpp"

#include <cstdio>
#include <string>

namespace rdpdoctor::wire::detail {

void berWriteLength(ByteWriter& w, std::size_t length) {
  if (length < 0x80) {
    w.u8(static_cast<std::uint8_t>(length));
  } else if (length <= 0xFF) {
    w.u8(0x81);
    w.u8(static_cast<std::uint8_t>(length));
  } else {
    w.u8(0x82);
    w.u16be(static_cast<std::uint16_t>(length));
  }
}

void berWriteTlv(ByteWriter& w, std::uint8_t tag, ByteSpan content) {
  w.u8(tag);
  berWriteLength(w, content.size());
  w.bytes(content);
}

void berWriteUnsigned(ByteWriter& w, std::uint8_t tag, std::uint32_t value) {
  // Content bytes: big-endian, minimal, with a leading 0 when the top bit would read as a sign.
  std::size_t count = 1;
  while (count < 4 && (value >> (8 * count - 1)) != 0) ++count;
  if (count == 4 && (value >> 31) != 0) count = 5;
  w.u8(tag);
  w.u8(static_cast<std::uint8_t>(count));
  for (std::size_t i = count; i > 0; --i) {
    w.u8(i > 4 ? 0 : static_cast<std::uint8_t>((value >> (8 * (i - 1))) & 0xFF));
  }
}

Result<std::size_t> berReadLength(ByteReader& r, std::string_view field) {
  const auto first = r.u8(field);
  if (r.failed()) return r.error();
  std::size_t length = first;
  if ((first & 0x80) != 0) {
    const std::size_t count = first & 0x7F;
    if (count == 0 || count > 2) {
      return makeError("malformed", std::string(field) + " uses " +
                                        (count == 0 ? std::string("an indefinite length")
                                                    : std::to_string(count) + " length bytes"));
    }
    length = count == 1 ? r.u8(field) : r.u16be(field);
    if (r.failed()) return r.error();
  }
  if (length > r.remaining()) {
    return makeError("oversized", std::string(field) + " length " + std::to_string(length) +
                                      " exceeds the " + std::to_string(r.remaining()) +
                                      " bytes left");
  }
  return length;
}

Result<ByteSpan> berReadTlv(ByteReader& r, std::uint8_t tag, std::string_view field) {
  const auto got = r.u8(field);
  if (r.failed()) return r.error();
  if (got != tag) {
    char buf[64];
    std::snprintf(buf, sizeof buf, ": expected ber tag 0x%02x, got 0x%02x", tag, got);
    return makeError("wrong-type", std::string(field) + buf);
  }
  auto length = berReadLength(r, field);
  if (!length) return length.error();
  return r.bytes(*length, field);
}

Result<std::uint32_t> berReadUnsigned(ByteReader& r, std::uint8_t tag, std::string_view field) {
  auto content = berReadTlv(r, tag, field);
  if (!content) return content.error();
  ByteSpan bytes = *content;
  if (bytes.size() == 5 && bytes[0] == 0) bytes = bytes.subspan(1);
  if (bytes.empty() || bytes.size() > 4) {
    return makeError("malformed",
                     std::string(field) + " has " + std::to_string(content->size()) + " content bytes");
  }
  std::uint32_t value = 0;
  for (auto b : bytes) value = (value << 8) | b;
  return value;
}

}  // namespace rdpdoctor::wire::detail
