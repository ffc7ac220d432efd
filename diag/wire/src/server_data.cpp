#include "server_data.hpp"

#include <string>

namespace rdpdoctor::wire::detail {
namespace {

// MS-RDPBCGR 2.2.1.4.1 TS_UD_HEADER types.
constexpr std::uint16_t kScCore = 0x0C01;
constexpr std::uint16_t kScSecurity = 0x0C02;
constexpr std::uint16_t kScNet = 0x0C03;
constexpr std::size_t kHeaderLength = 4;

Error duplicate(const char* name) {
  return makeError("malformed", std::string("duplicate ") + name + " block");
}

// MS-RDPBCGR 2.2.1.4.2: version, then optional fields the block length decides.
Result<ServerCoreData> readCore(ByteReader r) {
  ServerCoreData core;
  core.version_ = r.u32le("sc_core version");
  if (r.remaining() >= 4) core.clientRequestedProtocols_ = r.u32le("sc_core clientRequestedProtocols");
  if (r.remaining() >= 4) core.earlyCapabilityFlags_ = r.u32le("sc_core earlyCapabilityFlags");
  if (r.failed()) return r.error();
  return core;
}

// MS-RDPBCGR 2.2.1.4.3: random and certificate follow only when method or level is non-zero.
Result<ServerSecurityData> readSecurity(ByteReader r) {
  ServerSecurityData sec;
  sec.encryptionMethod_ = r.u32le("sc_security encryptionMethod");
  sec.encryptionLevel_ = r.u32le("sc_security encryptionLevel");
  if (r.failed()) return r.error();
  if (r.empty()) return sec;
  const auto randomLength = r.u32le("sc_security serverRandomLen");
  const auto certLength = r.u32le("sc_security serverCertLen");
  if (r.failed()) return r.error();
  if (randomLength > r.remaining() || certLength > r.remaining() - randomLength) {
    return makeError("oversized", "sc_security random of " + std::to_string(randomLength) +
                                      " and certificate of " + std::to_string(certLength) +
                                      " bytes exceed the " + std::to_string(r.remaining()) +
                                      " bytes left");
  }
  const auto random = r.bytes(randomLength, "sc_security serverRandom");
  const auto cert = r.bytes(certLength, "sc_security serverCertificate");
  sec.serverRandom_.assign(random.begin(), random.end());
  sec.serverCertificate_.assign(cert.begin(), cert.end());
  return sec;
}

// MS-RDPBCGR 2.2.1.4.4: channel ids, then two bytes of padding when the count is odd.
Result<ServerNetworkData> readNetwork(ByteReader r) {
  ServerNetworkData net;
  net.mcsChannelId_ = r.u16le("sc_net MCSChannelId");
  const auto count = r.u16le("sc_net channelCount");
  if (r.failed()) return r.error();
  if (std::size_t{count} * 2 > r.remaining()) {
    return makeError("oversized", "sc_net channelCount " + std::to_string(count) +
                                      " exceeds the block");
  }
  for (std::size_t i = 0; i < count; ++i) net.channelIds_.push_back(r.u16le("sc_net channelId"));
  return net;
}

template <class T, class Reader>
Status readOnce(std::optional<T>& slot, const char* name, ByteSpan body, Reader reader) {
  if (slot) return duplicate(name);
  auto parsed = reader(ByteReader(body));
  if (!parsed) return parsed.error();
  slot = std::move(*parsed);
  return okStatus();
}

}  // namespace

Status parseServerDataBlocks(ByteSpan blocks, McsConnectResponse& out) {
  ByteReader r(blocks);
  while (!r.empty()) {
    const auto type = r.u16le("server data block type");
    const auto length = r.u16le("server data block length");
    if (r.failed()) return r.error();
    if (length < kHeaderLength) {
      return makeError("malformed", "server data block length " + std::to_string(length) +
                                        " is below 4");
    }
    if (length - kHeaderLength > r.remaining()) {
      return makeError("oversized", "server data block length " + std::to_string(length) +
                                        " exceeds the " + std::to_string(r.remaining() + 4) +
                                        " bytes left");
    }
    const auto body = r.bytes(length - kHeaderLength, "server data block");
    Status status = okStatus();
    if (type == kScCore) status = readOnce(out.core_, "sc_core", body, readCore);
    if (type == kScSecurity) status = readOnce(out.security_, "sc_security", body, readSecurity);
    if (type == kScNet) status = readOnce(out.network_, "sc_net", body, readNetwork);
    if (!status) return status.error();
  }
  return okStatus();
}

Bytes buildServerDataBlocks(const McsConnectResponse& response) {
  ByteWriter w;
  auto block = [&w](std::uint16_t type, auto body) {
    const auto start = w.size();
    w.u16le(type);
    w.u16le(0);
    body();
    w.patchU16le(start + 2, static_cast<std::uint16_t>(w.size() - start));
  };
  if (const auto& core = response.core_) {
    block(kScCore, [&] {
      w.u32le(core->version_);
      if (core->clientRequestedProtocols_) w.u32le(*core->clientRequestedProtocols_);
      if (core->clientRequestedProtocols_ && core->earlyCapabilityFlags_) {
        w.u32le(*core->earlyCapabilityFlags_);
      }
    });
  }
  if (const auto& net = response.network_) {
    block(kScNet, [&] {
      w.u16le(net->mcsChannelId_);
      w.u16le(static_cast<std::uint16_t>(net->channelIds_.size()));
      for (auto id : net->channelIds_) w.u16le(id);
      if (net->channelIds_.size() % 2 != 0) w.u16le(0);
    });
  }
  if (const auto& sec = response.security_) {
    block(kScSecurity, [&] {
      w.u32le(sec->encryptionMethod_);
      w.u32le(sec->encryptionLevel_);
      if (sec->serverRandom_.empty() && sec->serverCertificate_.empty()) return;
      w.u32le(static_cast<std::uint32_t>(sec->serverRandom_.size()));
      w.u32le(static_cast<std::uint32_t>(sec->serverCertificate_.size()));
      w.bytes(sec->serverRandom_);
      w.bytes(sec->serverCertificate_);
    });
  }
  return std::move(w).take();
}

}  // namespace rdpdoctor::wire::detail
