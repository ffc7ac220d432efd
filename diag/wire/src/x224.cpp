#include "x224.hpp"

#include <cstdio>

#include "rdpdoctor/wire/standard_security.hpp"
#include "rdpdoctor/wire/tpkt.hpp"

namespace rdpdoctor::wire::detail {
namespace {

constexpr std::uint8_t kEot = 0x80;
constexpr std::uint8_t kDataLi = 2;
// T.125 DomainMCSPDU choice 8, shifted into the top six bits of the first PER byte.
constexpr std::uint8_t kUltimatumChoice = 8 << 2;

}  // namespace

std::string x224CodeName(std::uint8_t code) {
  switch (code & 0xF0) {
    case kX224ConnectionRequest: return "x.224 connection request";
    case kX224ConnectionConfirm: return "x.224 connection confirm";
    case kX224DisconnectRequest: return "x.224 disconnect request";
    case kX224Data: return "x.224 data";
    case kX224Error: return "x.224 error";
    default: {
      char buf[40];
      std::snprintf(buf, sizeof buf, "x.224 tpdu code 0x%02x", code);
      return buf;
    }
  }
}

std::optional<std::uint8_t> ultimatumReason(ByteSpan mcs) {
  if (mcs.size() != 2 || (mcs[0] & 0xFC) != kUltimatumChoice) return std::nullopt;
  return static_cast<std::uint8_t>(((mcs[0] & 0x03) << 1) | (mcs[1] >> 7));
}

std::string describeTpdu(ByteSpan payload) {
  if (payload.size() < 2) return "an empty x.224 tpdu";
  std::string name = x224CodeName(payload[1]);
  if ((payload[1] & 0xF0) == kX224Data && payload.size() >= 3) {
    if (auto reason = ultimatumReason(payload.subspan(3))) {
      name += " (mcs disconnect provider ultimatum, " + ultimatumReasonName(*reason) + ")";
    }
  }
  return name;
}

Result<X224Connection> parseX224Connection(ByteSpan tpktPdu, std::uint8_t expectedCode) {
  auto payload = parseTpkt(tpktPdu);
  if (!payload) return payload.error();
  ByteReader r(*payload);
  const auto li = r.u8("x.224 length indicator");
  const auto code = r.u8("x.224 tpdu code");
  if (r.failed()) return r.error();
  if ((code & 0xF0) != expectedCode) {
    return makeError("wrong-type",
                     "expected " + x224CodeName(expectedCode) + ", got " + describeTpdu(*payload));
  }
  if (li < kX224ConnectionFixed) {
    return makeError("malformed", "x.224 length indicator " + std::to_string(li) + " is below 6");
  }
  if (li > payload->size() - 1) {
    return makeError("oversized", "x.224 length indicator " + std::to_string(li) +
                                      " exceeds the tpkt payload of " +
                                      std::to_string(payload->size() - 1) + " bytes");
  }
  if (li < payload->size() - 1) {
    return makeError("trailing-bytes", std::to_string(payload->size() - 1 - li) +
                                           " bytes after the " + x224CodeName(code));
  }
  X224Connection out;
  out.code_ = code;
  out.dstRef_ = r.u16be("x.224 dst-ref");
  out.srcRef_ = r.u16be("x.224 src-ref");
  out.classOption_ = r.u8("x.224 class option");
  out.variable_ = r.rest();
  if (r.failed()) return r.error();
  return out;
}

Result<Bytes> buildX224Connection(const X224Connection& tpdu) {
  if (tpdu.variable_.size() + kX224ConnectionFixed > 0xFF) {
    return makeError("oversized", "x.224 variable part of " + std::to_string(tpdu.variable_.size()) +
                                      " bytes exceeds 249");
  }
  ByteWriter w;
  w.u8(static_cast<std::uint8_t>(kX224ConnectionFixed + tpdu.variable_.size()));
  w.u8(tpdu.code_);
  w.u16be(tpdu.dstRef_);
  w.u16be(tpdu.srcRef_);
  w.u8(tpdu.classOption_);
  w.bytes(tpdu.variable_);
  return buildTpkt(w.view());
}

Result<ByteSpan> parseX224Data(ByteSpan tpktPdu) {
  auto payload = parseTpkt(tpktPdu);
  if (!payload) return payload.error();
  ByteReader r(*payload);
  const auto li = r.u8("x.224 length indicator");
  const auto code = r.u8("x.224 tpdu code");
  if (r.failed()) return r.error();
  if ((code & 0xF0) != kX224Data) {
    return makeError("wrong-type", "expected x.224 data, got " + describeTpdu(*payload));
  }
  const auto eot = r.u8("x.224 eot");
  if (r.failed()) return r.error();
  if (li != kDataLi) {
    return makeError("malformed", "x.224 data length indicator is " + std::to_string(li) + ", not 2");
  }
  if ((eot & kEot) == 0) return makeError("malformed", "x.224 data without end of tsdu");
  return r.rest();
}

Result<Bytes> buildX224Data(ByteSpan payload) {
  ByteWriter w;
  w.u8(kDataLi);
  w.u8(kX224Data);
  w.u8(kEot);
  w.bytes(payload);
  return buildTpkt(w.view());
}

}  // namespace rdpdoctor::wire::detail
