#include "rdpdoctor/wire/mcs_connect_initial.hpp"

#include <array>

#include "ber.hpp"
#include "client_data.hpp"
#include "gcc.hpp"
#include "per.hpp"
#include "x224.hpp"

namespace rdpdoctor::wire {
namespace {

// T.125 7, Connect-Initial ::= [APPLICATION 101] (BER high tag number form).
constexpr std::array<std::uint8_t, 2> kConnectInitialTag{0x7F, 0x65};
constexpr std::uint8_t kBerTrue = 0xFF;
constexpr std::array<std::uint8_t, 1> kDomainSelector{0x01};

struct DomainParameters {
  std::uint32_t maxChannelIds, maxUserIds, maxTokenIds, numPriorities, minThroughput, maxHeight,
      maxMcsPduSize, protocolVersion;
};

// MS-RDPBCGR 2.2.1.3: the values Windows clients send.
constexpr DomainParameters kTarget{34, 2, 0, 1, 0, 1, 0xFFFF, 2};
constexpr DomainParameters kMinimum{1, 1, 1, 1, 0, 1, 0x420, 2};
constexpr DomainParameters kMaximum{0xFFFF, 0xFC17, 0xFFFF, 1, 0, 1, 0xFFFF, 2};

// T.125 7, DomainParameters ::= SEQUENCE of eight INTEGERs.
void writeDomainParameters(ByteWriter& w, const DomainParameters& p) {
  ByteWriter seq;
  for (auto v : {p.maxChannelIds, p.maxUserIds, p.maxTokenIds, p.numPriorities, p.minThroughput,
                 p.maxHeight, p.maxMcsPduSize, p.protocolVersion}) {
    detail::berWriteInteger(seq, v);
  }
  detail::berWriteTlv(w, detail::kBerSequence, seq.view());
}

}  // namespace

Bytes buildMcsConnectInitial(const ConnectInitialOptions& options) {
  const auto gcc = detail::buildConferenceCreateRequest(detail::buildClientDataBlocks(options));
  ByteWriter body;
  detail::berWriteTlv(body, detail::kBerOctetString, kDomainSelector);  // callingDomainSelector
  detail::berWriteTlv(body, detail::kBerOctetString, kDomainSelector);  // calledDomainSelector
  body.u8(detail::kBerBoolean);                                          // upwardFlag TRUE
  body.u8(1);
  body.u8(kBerTrue);
  writeDomainParameters(body, kTarget);
  writeDomainParameters(body, kMinimum);
  writeDomainParameters(body, kMaximum);
  detail::berWriteTlv(body, detail::kBerOctetString, gcc);  // userData
  ByteWriter mcs;
  mcs.bytes(kConnectInitialTag);
  detail::berWriteLength(mcs, body.size());
  mcs.bytes(body.view());
  // The client blocks are a few hundred bytes: always within a TPKT.
  return std::move(detail::buildX224Data(mcs.view())).value();
}

}  // namespace rdpdoctor::wire
