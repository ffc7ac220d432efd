#pragma once
// A growable byte buffer with little/big-endian writers.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

namespace rdpdoctor::wire {

using Bytes = std::vector<std::uint8_t>;

/// Appends fields to a vector; patchU16be fills a length placeholder written earlier.
class ByteWriter {
 public:
  void u8(std::uint8_t v);
  void u16le(std::uint16_t v);
  void u16be(std::uint16_t v);
  void u32le(std::uint32_t v);
  void u32be(std::uint32_t v);
  void bytes(std::span<const std::uint8_t> v);
  void text(std::string_view v);
  void zeros(std::size_t count);
  /// Overwrites two bytes at `offset` (big-endian); the offset must already be written.
  void patchU16be(std::size_t offset, std::uint16_t v);
  void patchU16le(std::size_t offset, std::uint16_t v);

  [[nodiscard]] std::size_t size() const { return buf_.size(); }
  [[nodiscard]] const Bytes& view() const { return buf_; }
  [[nodiscard]] Bytes take() && { return std::move(buf_); }

 private:
  Bytes buf_;
};

}  // namespace rdpdoctor::wire
