#pragma once
// A bounds-checked little/big-endian reader over a byte span with a sticky error.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "rdpdoctor/result.hpp"

namespace rdpdoctor::wire {

using ByteSpan = std::span<const std::uint8_t>;

/// Reads fields from a span without ever reading past its end. The first read that does not fit
/// records a "truncated" error naming the field; later reads return zero / empty and keep it.
/// Decoders read a group of fields, then check failed() once before they act on the values.
class ByteReader {
 public:
  explicit ByteReader(ByteSpan data) : data_(data) {}

  [[nodiscard]] std::size_t remaining() const { return data_.size() - pos_; }
  [[nodiscard]] std::size_t position() const { return pos_; }
  [[nodiscard]] bool empty() const { return remaining() == 0; }
  [[nodiscard]] bool failed() const { return failed_; }
  /// The first error; only meaningful when failed().
  [[nodiscard]] Error error() const;
  /// The unread bytes (empty after a failure).
  [[nodiscard]] ByteSpan rest() const;

  [[nodiscard]] std::uint8_t u8(std::string_view field);
  [[nodiscard]] std::uint16_t u16le(std::string_view field);
  [[nodiscard]] std::uint16_t u16be(std::string_view field);
  [[nodiscard]] std::uint32_t u32le(std::string_view field);
  [[nodiscard]] std::uint32_t u32be(std::string_view field);
  /// The next `count` bytes as a sub-span of the input (empty on failure).
  [[nodiscard]] ByteSpan bytes(std::size_t count, std::string_view field);
  /// The next byte without consuming it; 0 and no error when empty.
  [[nodiscard]] std::uint8_t peek() const;
  void skip(std::size_t count, std::string_view field);

 private:
  [[nodiscard]] bool take(std::size_t count, std::string_view field);

  ByteSpan data_;
  std::size_t pos_ = 0;
  bool failed_ = false;
  std::string failedField_;
  std::size_t failedNeed_ = 0;
  std::size_t failedHave_ = 0;
};

}  // namespace rdpdoctor::wire
