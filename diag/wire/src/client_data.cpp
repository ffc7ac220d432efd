#include "client_data.hpp"

#include <algorithm>

namespace rdpdoctor::wire::detail {
namespace {

// MS-RDPBCGR 2.2.1.3.1 TS_UD_HEADER types.
constexpr std::uint16_t kCsCore = 0xC001;
constexpr std::uint16_t kCsSecurity = 0xC002;
constexpr std::uint16_t kCsNet = 0xC003;
constexpr std::uint32_t kRdpVersion5Plus = 0x00080004;
constexpr std::uint16_t kRnsUdColor8Bpp = 0xCA01;
constexpr std::uint16_t kRnsUdSasDel = 0xAA03;
constexpr std::uint32_t kIbmEnhancedKeyboard = 4;
constexpr std::uint32_t kFunctionKeys = 12;
constexpr std::uint16_t kHighColor24Bpp = 24;
// RNS_UD_24BPP_SUPPORT | 16BPP | 15BPP | 32BPP.
constexpr std::uint16_t kSupportedColorDepths = 0x000F;
constexpr std::uint16_t kRnsUdCsSupportErrinfoPdu = 0x0001;
constexpr std::size_t kClientNameUnits = 16;
constexpr std::size_t kImeFileNameBytes = 64;
constexpr std::size_t kDigProductIdBytes = 64;

// Writes a block with its TS_UD_HEADER; the length is patched once the body is known.
template <class Body>
void writeBlock(ByteWriter& w, std::uint16_t type, Body body) {
  const auto start = w.size();
  w.u16le(type);
  w.u16le(0);
  body(w);
  w.patchU16le(start + 2, static_cast<std::uint16_t>(w.size() - start));
}

// MS-RDPBCGR 2.2.1.3.2 Client Core Data (TS_UD_CS_CORE), up to serverSelectedProtocol.
void writeCore(ByteWriter& w, const ConnectInitialOptions& o) {
  w.u32le(kRdpVersion5Plus);
  w.u16le(o.desktopWidth_);
  w.u16le(o.desktopHeight_);
  w.u16le(kRnsUdColor8Bpp);  // colorDepth, superseded by highColorDepth
  w.u16le(kRnsUdSasDel);
  w.u32le(o.keyboardLayout_);
  w.u32le(o.clientBuild_);
  const auto units = std::min(o.clientName_.size(), kClientNameUnits - 1);
  for (std::size_t i = 0; i < kClientNameUnits; ++i) {
    w.u16le(i < units ? static_cast<unsigned char>(o.clientName_[i]) : 0);
  }
  w.u32le(kIbmEnhancedKeyboard);
  w.u32le(0);  // keyboardSubType
  w.u32le(kFunctionKeys);
  w.zeros(kImeFileNameBytes);
  w.u16le(kRnsUdColor8Bpp);  // postBeta2ColorDepth
  w.u16le(1);                // clientProductId
  w.u32le(0);                // serialNumber
  w.u16le(kHighColor24Bpp);
  w.u16le(kSupportedColorDepths);
  w.u16le(kRnsUdCsSupportErrinfoPdu);  // earlyCapabilityFlags
  w.zeros(kDigProductIdBytes);
  w.u8(0);  // connectionType
  w.u8(0);  // pad1octet
  w.u32le(o.serverSelectedProtocol_);
}

}  // namespace

Bytes buildClientDataBlocks(const ConnectInitialOptions& options) {
  ByteWriter w;
  writeBlock(w, kCsCore, [&options](ByteWriter& b) { writeCore(b, options); });
  // MS-RDPBCGR 2.2.1.3.3 Client Security Data (TS_UD_CS_SEC).
  writeBlock(w, kCsSecurity, [&options](ByteWriter& b) {
    b.u32le(options.encryptionMethods_);
    b.u32le(options.extEncryptionMethods_);
  });
  // MS-RDPBCGR 2.2.1.3.4 Client Network Data (TS_UD_CS_NET), no channels.
  writeBlock(w, kCsNet, [](ByteWriter& b) { b.u32le(0); });
  return std::move(w).take();
}

}  // namespace rdpdoctor::wire::detail
