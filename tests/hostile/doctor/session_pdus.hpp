#pragma once
// The server's side of the RDP connection sequence after TLS (MS-RDPBCGR 1.3.1.1), as whole TPKTs
// for the stub server: enough for FreeRDP to reach licensing and the capability exchange, where
// a real server denies a connection or reports a licensing failure.
#include <cstdint>
#include <optional>

#include "rdpdoctor/wire/byte_reader.hpp"
#include "rdpdoctor/wire/byte_writer.hpp"

namespace rdpdoctor::hostile {

inline constexpr std::uint16_t kIoChannel = 1003;      // MCS_GLOBAL_CHANNEL_ID
inline constexpr std::uint16_t kServerChannel = 1002;  // the server's initiator
inline constexpr std::uint16_t kUserChannel = 1007;    // the user id the stub hands out

/// T.125 DomainMCSPDU choices a client sends (the first PER byte >> 2).
enum class DomainPdu : std::uint8_t {
  ErectDomainRequest = 1,
  AttachUserRequest = 10,
  ChannelJoinRequest = 14,
  SendDataRequest = 25,
};

/// The DomainMCSPDU choice of a whole TPKT carrying X.224 Data; nullopt for anything else
/// (a Connect-Initial is BER, not a domain PDU: it reads as nullopt too).
[[nodiscard]] std::optional<std::uint8_t> domainPduChoice(wire::ByteSpan tpkt);
/// The channelId of a T.125 ChannelJoinRequest TPKT; nullopt when it is not one.
[[nodiscard]] std::optional<std::uint16_t> joinRequestChannel(wire::ByteSpan tpkt);

/// MS-RDPBCGR 2.2.1.4 Server MCS Connect Response for a TLS connection: core data echoing
/// `requestedProtocols`, no standard RDP encryption, the I/O channel and no static channel.
[[nodiscard]] wire::Bytes mcsConnectResponseForTls(std::uint32_t requestedProtocols);
/// MS-RDPBCGR 2.2.1.7 Attach User Confirm (rt-successful, user kUserChannel).
[[nodiscard]] wire::Bytes attachUserConfirm();
/// MS-RDPBCGR 2.2.1.9 Channel Join Confirm (rt-successful) for `channel`.
[[nodiscard]] wire::Bytes channelJoinConfirm(std::uint16_t channel);
/// MS-RDPBCGR 2.2.1.12 Server License Error PDU - Valid Client (STATUS_VALID_CLIENT,
/// ST_NO_TRANSITION): "no licensing needed", the licensing phase is over.
[[nodiscard]] wire::Bytes licenseValidClient();
/// The same License Error PDU with `errorCode` (ERR_*) and `stateTransition` (ST_*).
[[nodiscard]] wire::Bytes licenseError(std::uint32_t errorCode, std::uint32_t stateTransition);
/// MS-RDPBCGR 2.2.5.1.1 Set Error Info PDU carrying `errorInfo` (ERRINFO_*).
[[nodiscard]] wire::Bytes setErrorInfo(std::uint32_t errorInfo);
/// MS-RDPBCGR 2.2.1.13.1 Demand Active PDU with no capability set (the client keeps its own).
[[nodiscard]] wire::Bytes demandActive();
/// MS-RDPBCGR 2.2.1.19-22 the server's finalization: Synchronize, Control Cooperate, Control
/// Granted Control, Font Map. After them the client is active (FreeRDP calls PostConnect).
[[nodiscard]] wire::Bytes serverFinalization();
/// The pduType2 of a client's slow-path data PDU TPKT (0x27: Font List); nullopt otherwise.
[[nodiscard]] std::optional<std::uint8_t> dataPduType(wire::ByteSpan tpkt);

}  // namespace rdpdoctor::hostile
