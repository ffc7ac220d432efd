#include "gcc.hpp"

#include <algorithm>
#include <array>
#include <string>

#include "per.hpp"

namespace rdpdoctor::wire::detail {
namespace {

// T.124 ConnectData: Key choice 0 (object), then the PER object identifier {0 0 20 124 0 1}.
constexpr std::array<std::uint8_t, 7> kConnectDataKey{0x00, 0x05, 0x00, 0x14, 0x7C, 0x00, 0x01};
// ConnectGCCPDU choice conferenceCreateRequest, userData present, conferenceName "1"
// (numeric string of length 1, packed), padding, one set of user data, h221NonStandard key.
constexpr std::array<std::uint8_t, 8> kCreateRequestHead{0x00, 0x08, 0x00, 0x10,
                                                          0x00, 0x01, 0xC0, 0x00};
constexpr std::array<std::uint8_t, 4> kClientKey{'D', 'u', 'c', 'a'};
constexpr std::array<std::uint8_t, 4> kServerKey{'M', 'c', 'D', 'n'};
// ConnectGCCPDU choice conferenceCreateResponse.
constexpr std::uint8_t kCreateResponseChoice = 0x14;
constexpr std::uint8_t kUserDataSetChoice = 0xC0;
// T.124 nodeID is UserID ::= DynamicChannelID (1001..65535), PER-encoded as an offset from 1001.
constexpr std::uint16_t kNodeIdBase = 1001;
// The connectPDU length Windows writes, whatever the true length.
constexpr std::uint8_t kLegacyConnectPduLength = 0x2A;

bool equal(ByteSpan a, std::span<const std::uint8_t> b) { return std::ranges::equal(a, b); }

Status readResponseHead(ByteReader& r, ConferenceCreateResponse& out) {
  const auto key = r.bytes(kConnectDataKey.size(), "gcc connect data key");
  if (r.failed()) return r.error();
  if (!equal(key, kConnectDataKey)) {
    return makeError("wrong-type", "mcs user data is not t.124 connect data");
  }
  if (auto len = perReadLength(r, "gcc connectPDU length"); !len) return len.error();
  const auto choice = r.u8("gcc connectPDU choice");
  if (r.failed()) return r.error();
  if (choice != kCreateResponseChoice) {
    return makeError("wrong-type", "expected gcc conference create response, got choice " +
                                       std::to_string(choice));
  }
  out.nodeId_ = static_cast<std::uint16_t>(r.u16be("gcc nodeID") + kNodeIdBase);
  const auto tagLength = r.u8("gcc tag length");
  if (!r.failed() && (tagLength == 0 || tagLength > 4)) {
    return makeError("malformed", "gcc tag has " + std::to_string(tagLength) + " bytes");
  }
  r.skip(tagLength, "gcc tag");
  out.result_ = r.u8("gcc result");
  if (r.failed()) return r.error();
  return okStatus();
}

}  // namespace

Bytes buildConferenceCreateRequest(ByteSpan clientBlocks) {
  ByteWriter request;
  request.bytes(kCreateRequestHead);
  request.bytes(kClientKey);
  perWriteLength(request, clientBlocks.size());
  request.bytes(clientBlocks);
  ByteWriter w;
  w.bytes(kConnectDataKey);
  perWriteLength(w, request.size());
  w.bytes(request.view());
  return std::move(w).take();
}

Result<ConferenceCreateResponse> parseConferenceCreateResponse(ByteSpan data) {
  ByteReader r(data);
  ConferenceCreateResponse out;
  if (auto ok = readResponseHead(r, out); !ok) return ok.error();
  const auto sets = r.u8("gcc userData set count");
  const auto setChoice = r.u8("gcc userData choice");
  const auto keyLength = r.u8("gcc h221 key length");
  const auto key = r.bytes(kServerKey.size(), "gcc h221 key");
  if (r.failed()) return r.error();
  if (sets != 1 || setChoice != kUserDataSetChoice || keyLength != 0 || !equal(key, kServerKey)) {
    return makeError("malformed", "gcc user data is not one h221 set keyed McDn");
  }
  auto length = perReadLength(r, "gcc server data length");
  if (!length) return length.error();
  if (*length > r.remaining()) {
    return makeError("oversized", "gcc server data length " + std::to_string(*length) +
                                      " exceeds the " + std::to_string(r.remaining()) +
                                      " bytes left");
  }
  out.serverBlocks_ = r.bytes(*length, "gcc server data");
  if (!r.empty()) {
    return makeError("trailing-bytes",
                     std::to_string(r.remaining()) + " bytes after the gcc server data");
  }
  return out;
}

Bytes buildConferenceCreateResponse(std::uint16_t nodeId, std::uint8_t result, ByteSpan serverBlocks) {
  ByteWriter w;
  w.bytes(kConnectDataKey);
  w.u8(kLegacyConnectPduLength);
  w.u8(kCreateResponseChoice);
  w.u16be(static_cast<std::uint16_t>(nodeId - kNodeIdBase));
  w.u8(1);  // tag: integer of one byte
  w.u8(1);
  w.u8(result);
  w.u8(1);  // one set of user data
  w.u8(kUserDataSetChoice);
  w.u8(0);  // h221 key length - 4
  w.bytes(kServerKey);
  perWriteLength(w, serverBlocks.size());
  w.bytes(serverBlocks);
  return std::move(w).take();
}

}  // namespace rdpdoctor::wire::detail
