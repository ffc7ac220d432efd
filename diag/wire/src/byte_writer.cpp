#include "rdpdoctor/wire/byte_writer.hpp"

namespace rdpdoctor::wire {

// Out of line on purpose: inlined into callers, vector::insert trips gcc 12's
// -Wstringop-overflow false positive at -O3.
void ByteWriter::u8(std::uint8_t v) { buf_.push_back(v); }

void ByteWriter::bytes(std::span<const std::uint8_t> v) { buf_.insert(buf_.end(), v.begin(), v.end()); }

void ByteWriter::text(std::string_view v) { buf_.insert(buf_.end(), v.begin(), v.end()); }

void ByteWriter::zeros(std::size_t count) { buf_.insert(buf_.end(), count, 0); }

void ByteWriter::u16le(std::uint16_t v) {
  buf_.push_back(static_cast<std::uint8_t>(v & 0xFF));
  buf_.push_back(static_cast<std::uint8_t>(v >> 8));
}

void ByteWriter::u16be(std::uint16_t v) {
  buf_.push_back(static_cast<std::uint8_t>(v >> 8));
  buf_.push_back(static_cast<std::uint8_t>(v & 0xFF));
}

void ByteWriter::u32le(std::uint32_t v) {
  for (int i = 0; i < 4; ++i) buf_.push_back(static_cast<std::uint8_t>((v >> (8 * i)) & 0xFF));
}

void ByteWriter::u32be(std::uint32_t v) {
  for (int i = 3; i >= 0; --i) buf_.push_back(static_cast<std::uint8_t>((v >> (8 * i)) & 0xFF));
}

void ByteWriter::patchU16be(std::size_t offset, std::uint16_t v) {
  buf_.at(offset) = static_cast<std::uint8_t>(v >> 8);
  buf_.at(offset + 1) = static_cast<std::uint8_t>(v & 0xFF);
}

void ByteWriter::patchU16le(std::size_t offset, std::uint16_t v) {
  buf_.at(offset) = static_cast<std::uint8_t>(v & 0xFF);
  buf_.at(offset + 1) = static_cast<std::uint8_t>(v >> 8);
}

}  // namespace rdpdoctor::wire
