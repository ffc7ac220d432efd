#include "rdpdoctor/wire/mcs_connect_response.hpp"

#include <array>

#include "ber.hpp"
#include "gcc.hpp"
#include "rdpdoctor/wire/standard_security.hpp"
#include "server_data.hpp"
#include "x224.hpp"

namespace rdpdoctor::wire {
namespace {

// T.125 7, Connect-Response ::= [APPLICATION 102] (BER high tag number form).
constexpr std::uint8_t kApplicationHighTag = 0x7F;
constexpr std::uint8_t kConnectInitialTag = 0x65;
constexpr std::uint8_t kConnectResponseTag = 0x66;
constexpr std::uint8_t kMaxUltimatumReason = 4;

// The first PER byte of DisconnectProviderUltimatum: choice 8 in the top six bits, then the two
// high bits of the 3-bit reason; its low bit is the top bit of the next byte.
constexpr std::uint8_t kUltimatumChoice = 8 << 2;

Error notConnectResponse(ByteSpan mcs) {
  if (auto reason = detail::ultimatumReason(mcs)) {
    return makeError("wrong-type", "expected mcs connect response, got mcs disconnect provider "
                                   "ultimatum (" + ultimatumReasonName(*reason) + ")");
  }
  if (mcs.size() >= 2 && mcs[0] == kApplicationHighTag && mcs[1] == kConnectInitialTag) {
    return makeError("wrong-type", "expected mcs connect response, got mcs connect initial");
  }
  return makeError("wrong-type", "expected mcs connect response, got another mcs pdu");
}

// T.125 Connect-Response: result, calledConnectId, domainParameters, userData.
Result<ByteSpan> readConnectResponse(ByteReader& r, McsConnectResponse& out) {
  auto result = detail::berReadUnsigned(r, detail::kBerEnumerated, "mcs result");
  if (!result) return result.error();
  out.result_ = *result;
  auto connectId = detail::berReadUnsigned(r, detail::kBerInteger, "mcs calledConnectId");
  if (!connectId) return connectId.error();
  out.calledConnectId_ = *connectId;
  auto params = detail::berReadTlv(r, detail::kBerSequence, "mcs domainParameters");
  if (!params) return params.error();
  if (r.empty() && out.result_ != kMcsResultSuccessful) return ByteSpan{};
  return detail::berReadTlv(r, detail::kBerOctetString, "mcs userData");
}

}  // namespace

Result<McsConnectResponse> parseMcsConnectResponse(ByteSpan tpktPdu) {
  auto mcs = detail::parseX224Data(tpktPdu);
  if (!mcs) return mcs.error();
  ByteReader r(*mcs);
  const auto tag0 = r.u8("mcs tag");
  const auto tag1 = r.u8("mcs tag");
  if (r.failed() && !detail::ultimatumReason(*mcs)) return r.error();
  if (tag0 != kApplicationHighTag || tag1 != kConnectResponseTag) return notConnectResponse(*mcs);
  auto length = detail::berReadLength(r, "mcs connect response length");
  if (!length) return length.error();
  if (*length < r.remaining()) {
    return makeError("trailing-bytes", std::to_string(r.remaining() - *length) +
                                           " bytes after the mcs connect response");
  }
  McsConnectResponse out;
  auto userData = readConnectResponse(r, out);
  if (!userData) return userData.error();
  if (!r.empty()) {
    return makeError("trailing-bytes",
                     std::to_string(r.remaining()) + " bytes after the mcs userData");
  }
  if (userData->empty() && out.result_ != kMcsResultSuccessful) return out;
  auto gcc = detail::parseConferenceCreateResponse(*userData);
  if (!gcc) return gcc.error();
  out.gccNodeId_ = gcc->nodeId_;
  out.gccResult_ = gcc->result_;
  if (auto ok = detail::parseServerDataBlocks(gcc->serverBlocks_, out); !ok) return ok.error();
  return out;
}

Bytes buildMcsConnectResponse(const McsConnectResponse& response) {
  const auto blocks = detail::buildServerDataBlocks(response);
  const auto gcc = detail::buildConferenceCreateResponse(response.gccNodeId_, response.gccResult_,
                                                          blocks);
  ByteWriter body;
  detail::berWriteUnsigned(body, detail::kBerEnumerated, response.result_);
  detail::berWriteInteger(body, response.calledConnectId_);
  ByteWriter params;  // the domain parameters xrdp answers with
  for (std::uint32_t v : {22u, 3u, 0u, 1u, 0u, 1u, 0xFFF8u, 2u}) detail::berWriteInteger(params, v);
  detail::berWriteTlv(body, detail::kBerSequence, params.view());
  detail::berWriteTlv(body, detail::kBerOctetString, gcc);
  ByteWriter mcs;
  mcs.u8(kApplicationHighTag);
  mcs.u8(kConnectResponseTag);
  detail::berWriteLength(mcs, body.size());
  mcs.bytes(body.view());
  // Server blocks larger than a TPKT are a caller error; it then gets a PDU without blocks.
  auto pdu = detail::buildX224Data(mcs.view());
  return pdu ? std::move(pdu).value() : Bytes{};
}

StandardSecurityOutcome summarizeStandardSecurity(const McsConnectResponse& response) {
  StandardSecurityOutcome out;
  out.mcsResult_ = response.result_;
  if (response.security_) {
    out.encryptionMethod_ = response.security_->encryptionMethod_;
    out.encryptionLevel_ = response.security_->encryptionLevel_;
  }
  if (response.core_) out.serverVersion_ = response.core_->version_;
  return out;
}

Result<std::uint8_t> parseDisconnectProviderUltimatum(ByteSpan tpktPdu) {
  auto mcs = detail::parseX224Data(tpktPdu);
  if (!mcs) return mcs.error();
  ByteReader r(*mcs);
  const auto first = r.u8("mcs disconnect provider ultimatum");
  if (!r.failed() && (first & 0xFC) != kUltimatumChoice) {
    return makeError("wrong-type", "expected mcs disconnect provider ultimatum");
  }
  r.skip(1, "mcs disconnect provider ultimatum reason");
  if (r.failed()) return r.error();
  if (!r.empty()) {
    return makeError("trailing-bytes", std::to_string(r.remaining()) +
                                           " bytes after the mcs disconnect provider ultimatum");
  }
  const auto reason = *detail::ultimatumReason(*mcs);
  if (reason > kMaxUltimatumReason) {
    return makeError("malformed", "disconnect provider ultimatum reason " + std::to_string(reason));
  }
  return reason;
}

Bytes buildDisconnectProviderUltimatum(std::uint8_t reason) {
  const std::array<std::uint8_t, 2> mcs{
      static_cast<std::uint8_t>(kUltimatumChoice | ((reason >> 1) & 0x03)),
      static_cast<std::uint8_t>((reason & 0x01) << 7)};
  return std::move(detail::buildX224Data(mcs)).value();
}

}  // namespace rdpdoctor::wire
