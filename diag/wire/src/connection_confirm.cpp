#include "rdpdoctor/wire/connection_confirm.hpp"

#include <type_traits>

#include "x224.hpp"

namespace rdpdoctor::wire {
namespace {

constexpr std::uint8_t kTypeNegRsp = 0x02;
constexpr std::uint8_t kTypeNegFailure = 0x03;
constexpr std::uint16_t kNegLength = 8;

// MS-RDPBCGR 2.2.1.2.1 / 2.2.1.2.2: both structures are type, flags, length 8, one 32-bit value.
Result<NegotiationResult> readNegotiation(ByteSpan variable) {
  ByteReader r(variable);
  const auto type = r.u8("rdpNegData type");
  if (!r.failed() && type != kTypeNegRsp && type != kTypeNegFailure) {
    return makeError("wrong-type", "expected rdp_neg_rsp or rdp_neg_failure, got type " +
                                       std::to_string(type));
  }
  const char* name = type == kTypeNegRsp ? "rdp_neg_rsp" : "rdp_neg_failure";
  const auto flags = r.u8("rdpNegData flags");
  const auto length = r.u16le("rdpNegData length");
  if (!r.failed() && length != kNegLength) {
    return makeError(length > kNegLength ? "oversized" : "malformed",
                     std::string(name) + " length is " + std::to_string(length) + ", not 8");
  }
  const auto value = r.u32le(type == kTypeNegRsp ? "rdp_neg_rsp selectedProtocol"
                                                 : "rdp_neg_failure failureCode");
  if (r.failed()) return r.error();
  if (!r.empty()) {
    return makeError("trailing-bytes",
                     std::to_string(r.remaining()) + " bytes after the " + name);
  }
  if (type == kTypeNegRsp) return NegotiationResult{NegotiationResponse{flags, value}};
  return NegotiationResult{NegotiationFailure{flags, value}};
}

}  // namespace

Result<ConnectionConfirm> parseConnectionConfirm(ByteSpan tpktPdu) {
  auto tpdu = detail::parseX224Connection(tpktPdu, detail::kX224ConnectionConfirm);
  if (!tpdu) return tpdu.error();
  ConnectionConfirm out;
  out.dstRef_ = tpdu->dstRef_;
  out.srcRef_ = tpdu->srcRef_;
  if (tpdu->variable_.empty()) return out;
  auto neg = readNegotiation(tpdu->variable_);
  if (!neg) return neg.error();
  out.result_ = *neg;
  return out;
}

Bytes buildConnectionConfirm(const ConnectionConfirm& confirm) {
  ByteWriter variable;
  std::visit(
      [&variable](const auto& neg) {
        using T = std::decay_t<decltype(neg)>;
        if constexpr (std::is_same_v<T, NegotiationResponse>) {
          variable.u8(kTypeNegRsp);
          variable.u8(neg.flags_);
          variable.u16le(kNegLength);
          variable.u32le(neg.selectedProtocol_);
        } else if constexpr (std::is_same_v<T, NegotiationFailure>) {
          variable.u8(kTypeNegFailure);
          variable.u8(neg.flags_);
          variable.u16le(kNegLength);
          variable.u32le(neg.failureCode_);
        }
      },
      confirm.result_);
  detail::X224Connection tpdu;
  tpdu.code_ = detail::kX224ConnectionConfirm;
  tpdu.dstRef_ = confirm.dstRef_;
  tpdu.srcRef_ = confirm.srcRef_;
  tpdu.variable_ = variable.view();
  // At most 8 bytes of variable part: always fits.
  return std::move(detail::buildX224Connection(tpdu)).value();
}

}  // namespace rdpdoctor::wire
