#pragma once
// Private: every difference between FreeRDP 2.11 and 3.x that client/core meets, in one place.
// The rest of client/core calls these and never tests FREERDP_VERSION_MAJOR itself.
#include <freerdp/client/cliprdr.h>
#include <freerdp/event.h>
#include <freerdp/freerdp.h>
#include <freerdp/graphics.h>
#include <freerdp/settings.h>
#include <freerdp/version.h>

#include <cstdint>
#include <string>

namespace rdpdoctor::compat {

inline constexpr int kMajor = FREERDP_VERSION_MAJOR;

// Settings keys: 3.x types them per value type (FreeRDP_Settings_Keys_Bool, ...); 2.11 takes
// size_t.
#if FREERDP_VERSION_MAJOR >= 3
using BoolKey = FreeRDP_Settings_Keys_Bool;
using UInt32Key = FreeRDP_Settings_Keys_UInt32;
using UInt16Key = FreeRDP_Settings_Keys_UInt16;
using StringKey = FreeRDP_Settings_Keys_String;
/// PubSub channel events hand the handler a const pointer in 3.x.
using ChannelConnectedArgs = const ChannelConnectedEventArgs;
using ChannelDisconnectedArgs = const ChannelDisconnectedEventArgs;
/// rdpPointer::Set takes a mutable pointer in 3.x.
using PointerSetArg = rdpPointer*;
#else
using BoolKey = size_t;
using UInt32Key = size_t;
using UInt16Key = size_t;
using StringKey = size_t;
using ChannelConnectedArgs = ChannelConnectedEventArgs;
using ChannelDisconnectedArgs = ChannelDisconnectedEventArgs;
using PointerSetArg = const rdpPointer*;
#endif

/// The credential callback of both majors (3.x's AuthenticateEx adds a reason; 2.11's
/// Authenticate and GatewayAuthenticate have none).
using AuthenticateFn = BOOL (*)(freerdp* instance, char** username, char** password,
                                char** domain) noexcept;

/// Installs `fn` for the server's and the gateway's credential requests.
void installAuthenticate(freerdp* instance, AuthenticateFn fn);
/// Channels: 3.x rebuilds its channel manager after PreConnect and calls LoadChannels; 2.11
/// expects the addins loaded in PreConnect. Installs `fn` where this major calls it.
/// True when the library calls it itself (3.x), false when PreConnect must call it (2.11).
using ConnectFn = BOOL (*)(freerdp* instance) noexcept;
[[nodiscard]] bool installLoadChannels(freerdp* instance, ConnectFn fn);

[[nodiscard]] rdpUpdate* update(freerdp* instance);
[[nodiscard]] rdpInput* input(freerdp* instance);
[[nodiscard]] bool shallDisconnect(freerdp* instance);
void abortConnect(freerdp* instance);
/// freerdp_connect. With `authOnly` 3.x always returns FALSE after the attempt (its exit status
/// is only logged): the attempt's result then comes from what the library recorded.
[[nodiscard]] bool connect(freerdp* instance, bool authOnly);
/// freerdp_reconnect (a live session's own reconnection after a network drop).
[[nodiscard]] bool reconnect(freerdp* instance);
/// 3.x's freerdp_connect retries a connect whose transport failed at once, inside the call: a
/// second logon with the same (possibly wrong) credentials, which counts towards an account
/// lockout. Refuses that retry's TCP connection (a redirection, with no error, still dials).
void refuseSilentRetry(freerdp* instance);
/// Whether one freerdp_connect may send the credentials to the server more than once (a wrong
/// password would then count twice towards an account lockout): 2.11's may, 3.x's may not (its
/// retry is refused, refuseSilentRetry).
[[nodiscard]] bool connectMaySendCredentialsTwice();
/// FreeRDP 3's TLS secrets file (FreeRDP_TlsSecretsFile: libfreerdp's keylog callback appends
/// NSS lines to it). 2.11 has no such setting: nothing is set and the connection has no keys.
/// False only when the library refuses the value.
[[nodiscard]] bool setTlsSecretsFile(rdpSettings* settings, const std::string& path);
/// The certificate callback's `fingerprint` argument: 3.x hands it the certificate itself (PEM,
/// VERIFY_CERT_FLAG_FP_IS_PEM) when asked to, so its dates can be shown without a connection of
/// our own; 2.11 only ever gives the fingerprint. False when this major cannot.
[[nodiscard]] bool preferPemCertificates(rdpSettings* settings);
/// Whether the callback's `fingerprint` is a PEM certificate (the flags it was given).
[[nodiscard]] bool certificateIsPem(std::uint32_t flags);
/// That flag (0 in 2.11).
[[nodiscard]] std::uint32_t certificateIsPemFlag();
/// Whether the connection decodes graphics. 3.x creates every codec context at the desktop's size
/// when freerdp_connect starts (planar, progressive, ...: ~20 MB at 1024x768), which an
/// authentication-only attempt never uses; FreeRDP_DeactivateClientDecoding skips them (and any
/// graphics the server sends meanwhile is not decoded). 2.11 has no such setting: nothing is set.
[[nodiscard]] bool setClientDecoding(rdpSettings* settings, bool decode);
/// The library's update lock (a recursive critical section FreeRDP holds from BeginPaint to
/// EndPaint, GFX output included): 3.x exports rdp_update_lock, 2.11 has it in rdpUpdate.
void lockUpdate(rdpContext* context);
void unlockUpdate(rdpContext* context);
/// A key press or release (3.x adds a repeat flag: never set, SDL repeats arrive as presses).
[[nodiscard]] BOOL sendKey(rdpInput* input, bool down, std::uint32_t rdpScancode);

/// The MS-RDPECLIP header of a clipboard PDU (3.x nests it in `common`).
template <typename Pdu>
auto& clipHeader(Pdu& pdu) {
  if constexpr (requires { pdu.common; }) {
    return pdu.common;
  } else {
    return pdu;
  }
}

}  // namespace rdpdoctor::compat
