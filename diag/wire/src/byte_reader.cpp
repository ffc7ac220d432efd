#include "rdpdoctor/wire/byte_reader.hpp"

namespace rdpdoctor::wire {

Error ByteReader::error() const {
  return makeError("truncated", "truncated " + failedField_ + ": need " + std::to_string(failedNeed_) +
                                    " bytes, have " + std::to_string(failedHave_));
}

ByteSpan ByteReader::rest() const { return failed_ ? ByteSpan{} : data_.subspan(pos_); }

bool ByteReader::take(std::size_t count, std::string_view field) {
  if (failed_) return false;
  if (count > remaining()) {
    failed_ = true;
    failedField_ = std::string(field);
    failedNeed_ = count;
    failedHave_ = remaining();
    return false;
  }
  return true;
}

std::uint8_t ByteReader::u8(std::string_view field) {
  if (!take(1, field)) return 0;
  return data_[pos_++];
}

std::uint16_t ByteReader::u16le(std::string_view field) {
  if (!take(2, field)) return 0;
  const auto v = static_cast<std::uint16_t>(data_[pos_] | (data_[pos_ + 1] << 8));
  pos_ += 2;
  return v;
}

std::uint16_t ByteReader::u16be(std::string_view field) {
  if (!take(2, field)) return 0;
  const auto v = static_cast<std::uint16_t>((data_[pos_] << 8) | data_[pos_ + 1]);
  pos_ += 2;
  return v;
}

std::uint32_t ByteReader::u32le(std::string_view field) {
  if (!take(4, field)) return 0;
  std::uint32_t v = 0;
  for (std::size_t i = 0; i < 4; ++i) v |= static_cast<std::uint32_t>(data_[pos_ + i]) << (8 * i);
  pos_ += 4;
  return v;
}

std::uint32_t ByteReader::u32be(std::string_view field) {
  if (!take(4, field)) return 0;
  std::uint32_t v = 0;
  for (std::size_t i = 0; i < 4; ++i) v = (v << 8) | data_[pos_ + i];
  pos_ += 4;
  return v;
}

ByteSpan ByteReader::bytes(std::size_t count, std::string_view field) {
  if (!take(count, field)) return {};
  auto out = data_.subspan(pos_, count);
  pos_ += count;
  return out;
}

std::uint8_t ByteReader::peek() const { return (failed_ || empty()) ? 0 : data_[pos_]; }

void ByteReader::skip(std::size_t count, std::string_view field) {
  if (take(count, field)) pos_ += count;
}

}  // namespace rdpdoctor::wire
