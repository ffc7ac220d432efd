#include "rdpdoctor/wire/tpkt.hpp"

#include <cstdio>
#include <string>

namespace rdpdoctor::wire {
namespace {

std::string hexByte(std::uint8_t b) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "0x%02x", b);
  return buf;
}

Error notTpkt(std::uint8_t first) {
  // MS-RDPBCGR 2.2.9.1.2 fpOutputHeader: action bits 0 mean FASTPATH_OUTPUT_ACTION_FASTPATH.
  if ((first & 0x03) == 0) {
    return makeError("wrong-type", "expected a tpkt header, got a fast-path header (first byte " +
                                       hexByte(first) + ")");
  }
  return makeError("wrong-type", "expected a tpkt header, got first byte " + hexByte(first));
}

// Validates version/reserved/length of a complete 4-byte header.
Result<TpktHeader> checkHeader(std::uint8_t version, std::uint8_t reserved, std::uint16_t length) {
  if (version != kTpktVersion) return notTpkt(version);
  if (reserved != 0) return makeError("malformed", "tpkt reserved byte is " + hexByte(reserved));
  if (length < kTpktMinLength) {
    return makeError("malformed", "tpkt length " + std::to_string(length) + " is below 7");
  }
  return TpktHeader{version, length};
}

}  // namespace

Result<Bytes> buildTpkt(ByteSpan payload) {
  if (payload.size() + kTpktHeaderLength > kTpktMaxLength) {
    return makeError("oversized", "tpkt payload of " + std::to_string(payload.size()) +
                                      " bytes exceeds 65531");
  }
  ByteWriter w;
  w.u8(kTpktVersion);
  w.u8(0);
  w.u16be(static_cast<std::uint16_t>(payload.size() + kTpktHeaderLength));
  w.bytes(payload);
  return std::move(w).take();
}

Result<TpktHeader> parseTpktHeader(ByteSpan data) {
  ByteReader r(data);
  const auto version = r.u8("tpkt version");
  if (!r.failed() && version != kTpktVersion) return notTpkt(version);
  const auto reserved = r.u8("tpkt reserved");
  const auto length = r.u16be("tpkt length");
  if (r.failed()) return r.error();
  return checkHeader(version, reserved, length);
}

Result<ByteSpan> parseTpkt(ByteSpan pdu) {
  auto header = parseTpktHeader(pdu);
  if (!header) return header.error();
  const std::size_t length = header->length_;
  if (pdu.size() < length) {
    return makeError("truncated", "truncated tpkt: length " + std::to_string(length) + ", have " +
                                      std::to_string(pdu.size()) + " bytes");
  }
  if (pdu.size() > length) {
    return makeError("trailing-bytes", std::to_string(pdu.size() - length) +
                                           " bytes after the tpkt of length " +
                                           std::to_string(length));
  }
  return pdu.subspan(kTpktHeaderLength, length - kTpktHeaderLength);
}

Result<std::size_t> tpktFrameLength(ByteSpan received, std::size_t maxLength) {
  if (received.empty()) return kTpktHeaderLength;
  if (received[0] != kTpktVersion) return notTpkt(received[0]);
  if (received.size() < kTpktHeaderLength) return kTpktHeaderLength;
  auto header = parseTpktHeader(received);
  if (!header) return header.error();
  if (header->length_ > maxLength) {
    return makeError("oversized", "tpkt length " + std::to_string(header->length_) +
                                      " exceeds the limit of " + std::to_string(maxLength));
  }
  return std::size_t{header->length_};
}

}  // namespace rdpdoctor::wire
