// The capture as pcapng: Section Header, one Interface (LINKTYPE_RAW), an Enhanced Packet per
// synthesised IPv4/IPv6 + TCP segment. pcapng:
// https://www.ietf.org/archive/id/draft-ietf-opsawg-pcapng-02.html
#include <algorithm>

#include "rdpdoctor/probe/capture.hpp"

namespace rdpdoctor::probe {
namespace {

using Bytes = std::vector<std::uint8_t>;

constexpr std::uint32_t kLinkTypeRaw = 101;  // raw IPv4/IPv6, no link header
constexpr std::size_t kSegment = 1400;       // TCP payload per packet
constexpr std::uint8_t kFin = 0x01, kSyn = 0x02, kPsh = 0x08, kAck = 0x10;

void le32(Bytes& b, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) b.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}
void le16(Bytes& b, std::uint16_t v) {
  b.push_back(static_cast<std::uint8_t>(v));
  b.push_back(static_cast<std::uint8_t>(v >> 8));
}
void be16(Bytes& b, std::uint16_t v) {
  b.push_back(static_cast<std::uint8_t>(v >> 8));
  b.push_back(static_cast<std::uint8_t>(v));
}
void be32(Bytes& b, std::uint32_t v) {
  for (int i = 3; i >= 0; --i) b.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

/// A block: type, total length, body padded to 32 bits, total length.
void block(Bytes& out, std::uint32_t type, const Bytes& body) {
  const std::size_t padded = (body.size() + 3) & ~std::size_t{3};
  const auto total = static_cast<std::uint32_t>(12 + padded);
  le32(out, type);
  le32(out, total);
  out.insert(out.end(), body.begin(), body.end());
  out.resize(out.size() + (padded - body.size()), 0);
  le32(out, total);
}

std::uint16_t ipv4Checksum(const Bytes& header) {
  std::uint32_t sum = 0;
  for (std::size_t i = 0; i + 1 < header.size(); i += 2)
    sum += static_cast<std::uint32_t>(header[i] << 8 | header[i + 1]);
  while (sum >> 16) sum = (sum & 0xFFFF) + (sum >> 16);
  return static_cast<std::uint16_t>(~sum);
}

struct Flow {
  const CapturedConnection& c;
  std::uint32_t clientSeq = 1000;
  std::uint32_t serverSeq = 50000;
  std::uint16_t ipId = 1;
};

Bytes packet(Flow& f, bool fromClient, std::uint8_t flags, const std::uint8_t* data,
             std::size_t size) {
  const auto& c = f.c;
  Bytes tcp;
  be16(tcp, fromClient ? c.clientPort : c.serverPort);
  be16(tcp, fromClient ? c.serverPort : c.clientPort);
  be32(tcp, fromClient ? f.clientSeq : f.serverSeq);
  be32(tcp, (flags & kAck) != 0 ? (fromClient ? f.serverSeq : f.clientSeq) : 0);
  tcp.push_back(5 << 4);  // data offset: 20 bytes
  tcp.push_back(flags);
  be16(tcp, 65535);  // window
  be16(tcp, 0);      // checksum: not computed (tshark does not check it by default)
  be16(tcp, 0);
  tcp.insert(tcp.end(), data, data + size);
  const auto& src = fromClient ? c.clientAddress : c.serverAddress;
  const auto& dst = fromClient ? c.serverAddress : c.clientAddress;
  Bytes ip;
  if (c.ipv6) {
    be32(ip, 0x60000000);
    be16(ip, static_cast<std::uint16_t>(tcp.size()));
    ip.push_back(6);   // next header: TCP
    ip.push_back(64);  // hop limit
    ip.insert(ip.end(), src.begin(), src.end());
    ip.insert(ip.end(), dst.begin(), dst.end());
  } else {
    ip.push_back(0x45);
    ip.push_back(0);
    be16(ip, static_cast<std::uint16_t>(20 + tcp.size()));
    be16(ip, f.ipId++);
    be16(ip, 0x4000);  // don't fragment
    ip.push_back(64);
    ip.push_back(6);
    be16(ip, 0);
    ip.insert(ip.end(), src.begin(), src.end());
    ip.insert(ip.end(), dst.begin(), dst.end());
    const auto sum = ipv4Checksum(ip);
    ip[10] = static_cast<std::uint8_t>(sum >> 8);
    ip[11] = static_cast<std::uint8_t>(sum);
  }
  ip.insert(ip.end(), tcp.begin(), tcp.end());
  auto& seq = fromClient ? f.clientSeq : f.serverSeq;
  seq += static_cast<std::uint32_t>(size) + ((flags & (kSyn | kFin)) != 0 ? 1 : 0);
  return ip;
}

void enhancedPacket(Bytes& out, std::int64_t atUs, const Bytes& data) {
  Bytes body;
  le32(body, 0);  // interface 0
  const auto ts = static_cast<std::uint64_t>(atUs);
  le32(body, static_cast<std::uint32_t>(ts >> 32));
  le32(body, static_cast<std::uint32_t>(ts));
  le32(body, static_cast<std::uint32_t>(data.size()));
  le32(body, static_cast<std::uint32_t>(data.size()));
  body.insert(body.end(), data.begin(), data.end());
  block(out, 6, body);
}

}  // namespace

std::vector<std::uint8_t> toPcapng(const Capture& capture) {
  Bytes out;
  Bytes shb;
  le32(shb, 0x1A2B3C4D);  // byte-order magic
  le16(shb, 1);
  le16(shb, 0);
  le32(shb, 0xFFFFFFFF);  // section length: not given
  le32(shb, 0xFFFFFFFF);
  block(out, 0x0A0D0D0A, shb);
  Bytes idb;
  le16(idb, static_cast<std::uint16_t>(kLinkTypeRaw));
  le16(idb, 0);
  le32(idb, 0);  // snap length: none
  block(out, 1, idb);
  for (const auto& c : capture.connections) {
    if (c.clientAddress.empty() || c.serverAddress.size() != c.clientAddress.size()) continue;
    Flow f{c};
    std::int64_t t = c.openedUs;
    enhancedPacket(out, t, packet(f, true, kSyn, nullptr, 0));
    enhancedPacket(out, t, packet(f, false, kSyn | kAck, nullptr, 0));
    enhancedPacket(out, t, packet(f, true, kAck, nullptr, 0));
    for (const auto& chunk : c.chunks) {
      t = std::max(t, chunk.atUs);
      for (std::size_t at = 0; at < chunk.bytes.size(); at += kSegment) {
        const std::size_t n = std::min(kSegment, chunk.bytes.size() - at);
        enhancedPacket(out, t,
                       packet(f, chunk.fromClient, kPsh | kAck, chunk.bytes.data() + at, n));
      }
    }
    enhancedPacket(out, t, packet(f, true, kFin | kAck, nullptr, 0));
    enhancedPacket(out, t, packet(f, false, kFin | kAck, nullptr, 0));
    enhancedPacket(out, t, packet(f, true, kAck, nullptr, 0));
  }
  return out;
}

}  // namespace rdpdoctor::probe
