#include "session_pdus.hpp"

#include "rdpdoctor/wire/mcs_connect_response.hpp"
#include "rdpdoctor/wire/standard_security.hpp"

namespace rdpdoctor::hostile {
namespace {

using wire::Bytes;
using wire::ByteWriter;

constexpr std::uint16_t kMcsBaseChannel = 1001;  // T.125 UserId values are sent minus this
constexpr std::uint8_t kAttachUserConfirm = 11;
constexpr std::uint8_t kChannelJoinConfirm = 15;
constexpr std::uint8_t kSendDataIndication = 26;
constexpr std::uint32_t kShareId = 0x000103EA;

/// TPKT (RFC 1006) + X.224 Data TPDU header (ISO 8073: LI 2, DT, EOT) around `mcs`.
Bytes x224Data(const Bytes& mcs) {
  ByteWriter w;
  w.u8(3);
  w.u8(0);
  w.u16be(static_cast<std::uint16_t>(4 + 3 + mcs.size()));
  w.u8(0x02);
  w.u8(0xF0);
  w.u8(0x80);
  w.bytes(mcs);
  return std::move(w).take();
}

/// T.125 SendDataIndication on the I/O channel from the server (PER, MS-RDPBCGR 2.2.1.x).
Bytes sendDataIndication(const Bytes& data) {
  ByteWriter w;
  w.u8(kSendDataIndication << 2);
  w.u16be(kServerChannel - kMcsBaseChannel);  // initiator
  w.u16be(kIoChannel);                        // channelId
  w.u8(0x70);                                 // dataPriority high, segmentation begin|end
  if (data.size() < 0x80) {
    w.u8(static_cast<std::uint8_t>(data.size()));
  } else {
    w.u16be(static_cast<std::uint16_t>(0x8000 | data.size()));
  }
  w.bytes(data);
  return x224Data(std::move(w).take());
}

}  // namespace

std::optional<std::uint8_t> domainPduChoice(wire::ByteSpan tpkt) {
  // TPKT header (4), X.224 Data header 02 F0 80 (3), then the PER choice byte
  if (tpkt.size() < 8 || tpkt[0] != 3 || tpkt[4] != 0x02 || tpkt[5] != 0xF0) return std::nullopt;
  if (tpkt[7] == 0x7F) return std::nullopt;  // BER application tag: Connect-Initial
  return static_cast<std::uint8_t>(tpkt[7] >> 2);
}

std::optional<std::uint16_t> joinRequestChannel(wire::ByteSpan tpkt) {
  if (domainPduChoice(tpkt) != static_cast<std::uint8_t>(DomainPdu::ChannelJoinRequest) ||
      tpkt.size() < 12)
    return std::nullopt;
  return static_cast<std::uint16_t>((tpkt[10] << 8) | tpkt[11]);  // after the initiator
}

Bytes mcsConnectResponseForTls(std::uint32_t requestedProtocols) {
  wire::McsConnectResponse r;
  r.gccNodeId_ = 0x79F3;  // T.124 nodeID as Windows sends it (at least 1001)
  r.core_ = wire::ServerCoreData{0x00080004, requestedProtocols, std::nullopt};
  r.network_ = wire::ServerNetworkData{kIoChannel, {}};
  r.security_ = wire::ServerSecurityData{wire::kEncryptionNone, wire::kEncryptionLevelNone, {}, {}};
  return wire::buildMcsConnectResponse(r);
}

Bytes attachUserConfirm() {
  ByteWriter w;
  w.u8((kAttachUserConfirm << 2) | 0x02);  // initiator present
  w.u8(0);                                 // rt-successful
  w.u16be(kUserChannel - kMcsBaseChannel);
  return x224Data(std::move(w).take());
}

Bytes channelJoinConfirm(std::uint16_t channel) {
  ByteWriter w;
  w.u8((kChannelJoinConfirm << 2) | 0x02);  // channelId present
  w.u8(0);                                  // rt-successful
  w.u16be(kUserChannel - kMcsBaseChannel);  // initiator
  w.u16be(channel);                         // requested
  w.u16be(channel);                         // channelId
  return x224Data(std::move(w).take());
}

Bytes licenseValidClient() { return licenseError(0x00000007, 0x00000002); }

Bytes licenseError(std::uint32_t errorCode, std::uint32_t stateTransition) {
  ByteWriter w;
  w.u16le(0x0080);  // basic security header: SEC_LICENSE_PKT
  w.u16le(0);       // flagsHi
  w.u8(0xFF);       // LICENSE_PREAMBLE bMsgType ERROR_ALERT
  w.u8(0x03);       // PREAMBLE_VERSION_3_0
  w.u16le(16);      // wMsgSize: preamble, dwErrorCode, dwStateTransition, empty blob
  w.u32le(errorCode);
  w.u32le(stateTransition);
  w.u16le(0x0004);  // BB_ERROR_BLOB
  w.u16le(0);
  return sendDataIndication(std::move(w).take());
}

/// MS-RDPBCGR 2.2.8.1.1.1.1 Share Control Header and 2.2.8.1.1.1.2 Share Data Header around
/// `payload`, a data PDU of `pduType2`.
Bytes shareDataPdu(std::uint8_t pduType2, const Bytes& payload) {
  ByteWriter w;
  w.u16le(static_cast<std::uint16_t>(6 + 12 + payload.size()));  // totalLength
  w.u16le(0x17);                                                 // PDUTYPE_DATAPDU | version
  w.u16le(kServerChannel);                                       // pduSource
  w.u32le(kShareId);
  w.u8(0);                                              // pad1
  w.u8(1);                                              // STREAM_LOW
  w.u16le(static_cast<std::uint16_t>(payload.size()));  // uncompressedLength
  w.u8(pduType2);
  w.u8(0);     // compressedType
  w.u16le(0);  // compressedLength
  w.bytes(payload);
  return sendDataIndication(std::move(w).take());
}

Bytes setErrorInfo(std::uint32_t errorInfo) {
  ByteWriter w;
  w.u32le(errorInfo);
  return shareDataPdu(0x2F, std::move(w).take());  // PDUTYPE2_SET_ERROR_INFO_PDU
}

Bytes demandActive() {
  ByteWriter w;
  w.u16le(6 + 4 + 2 + 2 + 4 + 4 + 4);  // totalLength
  w.u16le(0x11);                       // PDUTYPE_DEMANDACTIVEPDU | version
  w.u16le(kServerChannel);
  w.u32le(kShareId);
  w.u16le(4);  // lengthSourceDescriptor
  w.u16le(4);  // lengthCombinedCapabilities: numberCapabilities and pad only
  w.text(std::string_view("RDP\0", 4));
  w.u16le(0);  // numberCapabilities
  w.u16le(0);  // pad2Octets
  w.u32le(0);  // sessionId
  return sendDataIndication(std::move(w).take());
}

Bytes serverFinalization() {
  Bytes all;
  auto add = [&all](const Bytes& b) { all.insert(all.end(), b.begin(), b.end()); };
  ByteWriter sync;  // 2.2.1.19 Synchronize PDU
  sync.u16le(1);    // SYNCMSGTYPE_SYNC
  sync.u16le(kUserChannel);
  add(shareDataPdu(0x1F, std::move(sync).take()));
  ByteWriter cooperate;  // 2.2.1.20 Control PDU - Cooperate
  cooperate.u16le(0x0004);
  cooperate.u16le(0);
  cooperate.u32le(0);
  add(shareDataPdu(0x14, std::move(cooperate).take()));
  ByteWriter granted;  // 2.2.1.21 Control PDU - Granted Control
  granted.u16le(0x0002);
  granted.u16le(kUserChannel);
  granted.u32le(kServerChannel);
  add(shareDataPdu(0x14, std::move(granted).take()));
  ByteWriter fontMap;  // 2.2.1.22 Font Map PDU
  fontMap.u16le(0);
  fontMap.u16le(0);
  fontMap.u16le(0x0003);  // FONTMAP_FIRST | FONTMAP_LAST
  fontMap.u16le(4);
  add(shareDataPdu(0x28, std::move(fontMap).take()));
  return all;
}

std::optional<std::uint8_t> dataPduType(wire::ByteSpan tpkt) {
  if (domainPduChoice(tpkt) != static_cast<std::uint8_t>(DomainPdu::SendDataRequest))
    return std::nullopt;
  std::size_t at = 7 + 1 + 2 + 2 + 1;  // choice, initiator, channelId, priority
  if (tpkt.size() <= at) return std::nullopt;
  at += (tpkt[at] & 0x80) != 0 ? 2 : 1;  // PER length
  if (tpkt.size() < at + 6 + 12) return std::nullopt;
  if ((tpkt[at + 2] & 0x0F) != 0x07) return std::nullopt;  // not PDUTYPE_DATAPDU
  return tpkt[at + 6 + 8];
}

}  // namespace rdpdoctor::hostile
