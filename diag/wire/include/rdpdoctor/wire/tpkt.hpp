#pragma once
// RFC 1006 TPKT: the 4-byte header in front of every slow-path RDP PDU.
#include <cstddef>
#include <cstdint>

#include "rdpdoctor/result.hpp"
#include "rdpdoctor/wire/byte_reader.hpp"
#include "rdpdoctor/wire/byte_writer.hpp"

namespace rdpdoctor::wire {

inline constexpr std::uint8_t kTpktVersion = 3;
inline constexpr std::size_t kTpktHeaderLength = 4;
/// RFC 1006 section 6: a TPKT is at least 7 bytes (header plus the smallest TPDU).
inline constexpr std::size_t kTpktMinLength = 7;
inline constexpr std::size_t kTpktMaxLength = 0xFFFF;

/// RFC 1006 section 6 / MS-RDPBCGR 2.2.1.1 tpktHeader: version 3, reserved 0, length (big-endian,
/// header included).
struct TpktHeader {
  std::uint8_t version_ = kTpktVersion;
  std::uint16_t length_ = 0;
};

/// Wraps `payload` in a TPKT header. Error "oversized" when the result would exceed 65535 bytes.
[[nodiscard]] Result<Bytes> buildTpkt(ByteSpan payload);

/// RFC 1006 section 6: parses the first 4 bytes of `data` (more may follow).
/// Errors: "truncated" (fewer than 4 bytes), "wrong-type" (version is not 3, e.g. a Fast-Path PDU),
/// "malformed" (reserved byte not 0, length below 7).
[[nodiscard]] Result<TpktHeader> parseTpktHeader(ByteSpan data);

/// RFC 1006 section 6: checks that `pdu` is exactly one TPKT and returns its payload (a sub-span of
/// `pdu`). Errors as parseTpktHeader, plus "truncated" (the length says more than `pdu` holds) and
/// "trailing-bytes" (`pdu` holds more than the length says).
[[nodiscard]] Result<ByteSpan> parseTpkt(ByteSpan pdu);

/// Stream framing for a socket driver: given the bytes received so far (possibly none), returns
/// the total size of the first PDU, header included, once known, or kTpktHeaderLength while the
/// header is incomplete. Read until you hold that many bytes and ask again; when the answer is
/// not larger than what you hold, the first answer bytes are one complete TPKT.
/// Errors: "wrong-type" (first byte is not 3: a Fast-Path PDU or garbage), "malformed" (reserved
/// byte not 0, length below 7), "oversized" (length above `maxLength`).
[[nodiscard]] Result<std::size_t> tpktFrameLength(ByteSpan received,
                                                  std::size_t maxLength = kTpktMaxLength);

}  // namespace rdpdoctor::wire
