#pragma once
// MS-RDPBCGR 2.2.1.3 Client MCS Connect Initial PDU with GCC Conference Create Request.
#include <cstdint>
#include <string>

#include "rdpdoctor/result.hpp"
#include "rdpdoctor/wire/byte_writer.hpp"
#include "rdpdoctor/wire/protocols.hpp"
#include "rdpdoctor/wire/standard_security.hpp"

namespace rdpdoctor::wire {

/// The knobs of the client data blocks; defaults match a probe offering one method.
struct ConnectInitialOptions {
  /// MS-RDPBCGR 2.2.1.3.3 CS_SECURITY encryptionMethods: offer one method at a time to enumerate.
  std::uint32_t encryptionMethods_ = kEncryption128Bit;
  /// MS-RDPBCGR 2.2.1.3.3 extEncryptionMethods (French locale clients put the methods here).
  std::uint32_t extEncryptionMethods_ = 0;
  /// MS-RDPBCGR 2.2.1.3.2 CS_CORE serverSelectedProtocol: what the Connection Confirm selected.
  std::uint32_t serverSelectedProtocol_ = kProtocolRdp;
  std::uint16_t desktopWidth_ = 1024;
  std::uint16_t desktopHeight_ = 768;
  std::uint32_t keyboardLayout_ = 0x00000409;
  std::uint32_t clientBuild_ = 2600;
  /// Up to 15 characters; each byte becomes one UTF-16 code unit.
  std::string clientName_ = "rdpdoctor";
};

/// MS-RDPBCGR 2.2.1.3 Client MCS Connect Initial PDU with GCC Conference Create Request: a whole
/// TPKT (X.224 Data, T.125 BER Connect-Initial, T.124 PER ConnectData) carrying CS_CORE,
/// CS_SECURITY and CS_NET (no channels). Send it after a Connection Confirm that selected
/// PROTOCOL_RDP (or that had no negotiation data).
[[nodiscard]] Bytes buildMcsConnectInitial(const ConnectInitialOptions& options);

}  // namespace rdpdoctor::wire
