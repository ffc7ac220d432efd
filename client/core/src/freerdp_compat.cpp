// The one unit that knows which FreeRDP major it was compiled against.
#include "freerdp_compat.hpp"

#include <freerdp/error.h>
#include <freerdp/input.h>
#if FREERDP_VERSION_MAJOR >= 3
#include <freerdp/transport_io.h>
#endif

#include <winpr/wlog.h>

#include <atomic>

#include "rdpdoctor/core/freerdp_version.hpp"
#include "rdpdoctor/core/input_flags.hpp"
#include "rdpdoctor/core/wlog_bridge.hpp"

namespace rdpdoctor {

// core's input flags are the protocol's values: the same as FreeRDP's in both majors
static_assert(input::kPtrWheelNegative == PTR_FLAGS_WHEEL_NEGATIVE);
static_assert(input::kPtrWheel == PTR_FLAGS_WHEEL);
static_assert(input::kPtrHWheel == PTR_FLAGS_HWHEEL);
static_assert(input::kPtrMove == PTR_FLAGS_MOVE);
static_assert(input::kPtrButton1 == PTR_FLAGS_BUTTON1);
static_assert(input::kPtrButton2 == PTR_FLAGS_BUTTON2);
static_assert(input::kPtrButton3 == PTR_FLAGS_BUTTON3);
static_assert(input::kPtrDown == PTR_FLAGS_DOWN);
static_assert(input::kPtrXButton1 == PTR_XFLAGS_BUTTON1);
static_assert(input::kPtrXButton2 == PTR_XFLAGS_BUTTON2);
static_assert(input::kPtrXDown == PTR_XFLAGS_DOWN);
static_assert(input::kSyncScrollLock == KBD_SYNC_SCROLL_LOCK);
static_assert(input::kSyncNumLock == KBD_SYNC_NUM_LOCK);
static_assert(input::kSyncCapsLock == KBD_SYNC_CAPS_LOCK);
static_assert(input::kSyncKanaLock == KBD_SYNC_KANA_LOCK);

std::string freerdpRuntimeVersion() {
  const char* v = freerdp_get_version_string();
  return v != nullptr && *v != '\0' ? std::string(v) : std::string("?");
}

int freerdpBuildMajor() { return compat::kMajor; }

namespace compat {
namespace {
AuthenticateFn gAuthenticate = nullptr;  // one per process: every instance gets the same policy
std::atomic<bool> gCredentialsMissing{false};  // the policy refused a credential request

#if FREERDP_VERSION_MAJOR >= 3
/// 3.x also asks before TLS and standard RDP security when a credential is missing, where 2.11
/// never asked; FALSE there cancels the connect. Answer as 2.11 behaves: those layers go on
/// without credentials (the server's logon screen asks), NLA and the gateway get our policy.
BOOL authenticateEx(freerdp* instance, char** username, char** password, char** domain,
                    rdp_auth_reason reason) noexcept {
  if (reason == AUTH_TLS || reason == AUTH_RDP) return TRUE;  // nothing filled: no credentials
  const BOOL ok =
      gAuthenticate != nullptr ? gAuthenticate(instance, username, password, domain) : FALSE;
  if (!ok) gCredentialsMissing = true;  // 3.x then says "cancelled"; 2.11 said "missing"
  return ok;
}
#else
BOOL authenticate(freerdp* instance, char** username, char** password, char** domain) noexcept {
  return gAuthenticate != nullptr ? gAuthenticate(instance, username, password, domain) : FALSE;
}
#endif
}  // namespace

void installAuthenticate(freerdp* instance, AuthenticateFn fn) {
  gAuthenticate = fn;
#if FREERDP_VERSION_MAJOR >= 3
  instance->AuthenticateEx = authenticateEx;
#else
  instance->Authenticate = authenticate;
  instance->GatewayAuthenticate = authenticate;
#endif
}

bool installLoadChannels(freerdp* instance, ConnectFn fn) {
#if FREERDP_VERSION_MAJOR >= 3
  instance->LoadChannels = fn;
  return true;
#else
  (void)instance;
  (void)fn;
  return false;
#endif
}

rdpUpdate* update(freerdp* instance) {
#if FREERDP_VERSION_MAJOR >= 3
  return instance->context != nullptr ? instance->context->update : nullptr;
#else
  return instance->update;
#endif
}

rdpInput* input(freerdp* instance) {
#if FREERDP_VERSION_MAJOR >= 3
  return instance->context != nullptr ? instance->context->input : nullptr;
#else
  return instance->input;
#endif
}

bool shallDisconnect(freerdp* instance) {
#if FREERDP_VERSION_MAJOR >= 3
  return freerdp_shall_disconnect_context(instance->context) == TRUE;
#else
  return freerdp_shall_disconnect(instance) == TRUE;
#endif
}

void abortConnect(freerdp* instance) {
#if FREERDP_VERSION_MAJOR >= 3
  (void)freerdp_abort_connect_context(instance->context);
#else
  (void)freerdp_abort_connect(instance);
#endif
}

#if FREERDP_VERSION_MAJOR >= 3
namespace {
pTCPConnect gLibraryTcpConnect = nullptr;  // the library's own, the same for every context
std::atomic<int> gDials{0};                // TCP connections since connect()/reconnect() began
std::atomic<bool> gRefusedRetry{false};    // tcpConnectOnce refused one since then

int tcpConnectOnce(rdpContext* context, rdpSettings* settings, const char* hostname, int port,
                   DWORD timeout) noexcept {
  // a second dial in one connect is the library's retry (freerdp_connect -> freerdp_reconnect,
  // which clears the error first), unless the server redirected us
  if (gDials++ > 0 && freerdp_settings_get_uint32(settings, FreeRDP_RedirectionFlags) == 0) {
    WLog_Print(WLog_Get("com.rdpdoctor.compat"), WLOG_DEBUG,
               "refused FreeRDP's silent retry of a failed connect (one logon per attempt)");
    gRefusedRetry = true;
    return -1;
  }
  return gLibraryTcpConnect != nullptr
             ? gLibraryTcpConnect(context, settings, hostname, port, timeout)
             : -1;
}
}  // namespace

void refuseSilentRetry(freerdp* instance) {
  const rdpTransportIo* io = freerdp_get_io_callbacks(instance->context);
  if (io == nullptr || io->TCPConnect == tcpConnectOnce) return;
  rdpTransportIo ours = *io;
  gLibraryTcpConnect = io->TCPConnect;
  ours.TCPConnect = tcpConnectOnce;
  (void)freerdp_set_io_callbacks(instance->context, &ours);
}

bool reconnect(freerdp* instance) {
  gDials = 0;  // our own reconnection after a drop dials once more
  return freerdp_reconnect(instance) == TRUE;
}

bool connectMaySendCredentialsTwice() { return false; }
#else
void refuseSilentRetry(freerdp* /*instance*/) {}  // 2.11 does not retry inside freerdp_connect

bool reconnect(freerdp* instance) { return freerdp_reconnect(instance) == TRUE; }

// a full 2.11 connect authenticated twice with one wrong password (the doctor's NLA tests): the
// credentials are checked alone first there
bool connectMaySendCredentialsTwice() { return true; }

namespace {
std::atomic<bool> gStoppedAfterNla{false};  // this authentication-only connect ended after NLA

/// 2.11's authentication-only connect runs the whole connection sequence after NLA (MCS,
/// channels, licensing, capabilities) at one 100 ms turn of its connect loop per server answer:
/// ~0.7 s more against the lab's shadow server; 3.x stops after NLA. 2.11 tells no callback that
/// CredSSP is done (the server accepted the password), but logs the step after it, NLA -> MCS
/// connect; that is where it stops here too. Its connect loop reads its bound (TcpAckTimeout)
/// on every turn: a bound of 0 ends it after this turn (the socket's own timeout was taken from
/// it at the dial).
void stopAfterNla(void* settings) noexcept {
  gStoppedAfterNla = true;
  (void)freerdp_settings_set_uint32(static_cast<rdpSettings*>(settings), FreeRDP_TcpAckTimeout, 0);
}
}  // namespace
#endif

bool setTlsSecretsFile(rdpSettings* settings, const std::string& path) {
#if FREERDP_VERSION_MAJOR >= 3
  return freerdp_settings_set_string(settings, FreeRDP_TlsSecretsFile, path.c_str()) == TRUE;
#else
  (void)settings;
  (void)path;
  return true;  // 2.11: no TLS secrets setting; the connection simply has no keys
#endif
}

bool preferPemCertificates(rdpSettings* settings) {
#if FREERDP_VERSION_MAJOR >= 3
  return freerdp_settings_set_bool(settings, FreeRDP_CertificateCallbackPreferPEM, TRUE) == TRUE;
#else
  (void)settings;
  return false;  // 2.11's callback gets the fingerprint only
#endif
}

std::uint32_t certificateIsPemFlag() {
#if FREERDP_VERSION_MAJOR >= 3
  return VERIFY_CERT_FLAG_FP_IS_PEM;
#else
  return 0;
#endif
}

bool certificateIsPem(std::uint32_t flags) {
  return certificateIsPemFlag() != 0 && (flags & certificateIsPemFlag()) != 0;
}

bool setClientDecoding(rdpSettings* settings, bool decode) {
#if FREERDP_VERSION_MAJOR >= 3
  return freerdp_settings_set_bool(settings, FreeRDP_DeactivateClientDecoding,
                                   decode ? FALSE : TRUE) == TRUE;
#else
  (void)settings;
  (void)decode;
  return true;  // 2.11 prepares its codecs in every connect
#endif
}

bool connect(freerdp* instance, bool authOnly) {
#if FREERDP_VERSION_MAJOR >= 3
  gDials = 0;
  gRefusedRetry = false;
  gCredentialsMissing = false;
#endif
#if FREERDP_VERSION_MAJOR < 3
  gStoppedAfterNla = false;
  if (authOnly)
    watchLogLine("com.freerdp.core.connection",
                 "CONNECTION_STATE_NLA --> CONNECTION_STATE_MCS_CONNECT", stopAfterNla,
                 instance->context->settings);
#endif
  const bool ok = freerdp_connect(instance) == TRUE;
#if FREERDP_VERSION_MAJOR < 3
  if (authOnly) {
    clearLogWatch();
    // CredSSP succeeded; the loop's "timeout waiting for activation" after it was ours
    if (!ok && gStoppedAfterNla) {
      freerdp_set_last_error(instance->context, FREERDP_ERROR_SUCCESS);
      return true;
    }
  }
#endif
#if FREERDP_VERSION_MAJOR >= 3
  // the refused retry replaced the failure it followed (always a failed transport) with its own
  if (!ok && gRefusedRetry)
    freerdp_set_last_error(instance->context, FREERDP_ERROR_CONNECT_TRANSPORT_FAILED);
  // NLA asked for credentials none were given for: the error 2.11 reports (3.x: "cancelled")
  if (!ok && gCredentialsMissing &&
      freerdp_get_last_error(instance->context) == FREERDP_ERROR_CONNECT_CANCELLED)
    freerdp_set_last_error(instance->context, FREERDP_ERROR_CONNECT_NO_OR_MISSING_CREDENTIALS);
  // 3.x ends an authentication-only connect with FALSE whatever happened ("Authentication only,
  // exit status N" is logged): it succeeded when nothing recorded an error
  if (authOnly && !ok) return freerdp_get_last_error(instance->context) == FREERDP_ERROR_SUCCESS;
#endif
  return ok;
}

void lockUpdate(rdpContext* context) {
#if FREERDP_VERSION_MAJOR >= 3
  rdp_update_lock(context->update);
#else
  EnterCriticalSection(&context->update->mux);
#endif
}

void unlockUpdate(rdpContext* context) {
#if FREERDP_VERSION_MAJOR >= 3
  rdp_update_unlock(context->update);
#else
  LeaveCriticalSection(&context->update->mux);
#endif
}

BOOL sendKey(rdpInput* input, bool down, std::uint32_t rdpScancode) {
#if FREERDP_VERSION_MAJOR >= 3
  return freerdp_input_send_keyboard_event_ex(input, down ? TRUE : FALSE, FALSE, rdpScancode);
#else
  return freerdp_input_send_keyboard_event_ex(input, down ? TRUE : FALSE, rdpScancode);
#endif
}

}  // namespace compat
}  // namespace rdpdoctor
