#pragma once
// Internal: X.224 (ITU-T X.224 / ISO 8073 class 0) TPDU headers inside a TPKT.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "rdpdoctor/result.hpp"
#include "rdpdoctor/wire/byte_reader.hpp"
#include "rdpdoctor/wire/byte_writer.hpp"

namespace rdpdoctor::wire::detail {

/// X.224 13.3.3 TPDU codes (high nibble of the second header byte).
inline constexpr std::uint8_t kX224ConnectionRequest = 0xE0;
inline constexpr std::uint8_t kX224ConnectionConfirm = 0xD0;
inline constexpr std::uint8_t kX224DisconnectRequest = 0x80;
inline constexpr std::uint8_t kX224Data = 0xF0;
inline constexpr std::uint8_t kX224Error = 0x70;
/// Fixed part of a CR/CC after the length indicator: code, DST-REF, SRC-REF, class option.
inline constexpr std::size_t kX224ConnectionFixed = 6;

/// X.224 13.3 / 13.4 CR and CC TPDU: fixed part plus the variable part RDP puts its data in.
struct X224Connection {
  std::uint8_t code_ = 0;
  std::uint16_t dstRef_ = 0;
  std::uint16_t srcRef_ = 0;
  std::uint8_t classOption_ = 0;
  ByteSpan variable_;
};

[[nodiscard]] std::string x224CodeName(std::uint8_t code);

/// Parses a whole TPKT holding a CR or CC whose code is `expectedCode`.
[[nodiscard]] Result<X224Connection> parseX224Connection(ByteSpan tpktPdu, std::uint8_t expectedCode);

/// Builds a whole TPKT holding a CR or CC. Error "oversized" when the variable part does not fit.
[[nodiscard]] Result<Bytes> buildX224Connection(const X224Connection& tpdu);

/// X.224 13.7 DT TPDU (LI 2, code 0xF0, EOT 0x80): returns the user data of a whole TPKT.
[[nodiscard]] Result<ByteSpan> parseX224Data(ByteSpan tpktPdu);

/// A whole TPKT holding an X.224 DT with `payload`.
[[nodiscard]] Result<Bytes> buildX224Data(ByteSpan payload);

/// T.125 DisconnectProviderUltimatum (PER, choice 8): its reason when `mcs` is one.
[[nodiscard]] std::optional<std::uint8_t> ultimatumReason(ByteSpan mcs);

/// A hint naming what a wrong TPDU actually was, e.g. "x.224 data (mcs disconnect provider
/// ultimatum, rn-user-requested)".
[[nodiscard]] std::string describeTpdu(ByteSpan tpktPayload);

}  // namespace rdpdoctor::wire::detail
