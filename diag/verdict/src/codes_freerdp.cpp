// FreeRDP's codes: freerdp_get_last_error() values and the exit codes of its clients.
#include "codes_tables.hpp"

namespace rdpdoctor::codes {
namespace {

using enum Layer;
constexpr CodeTable F = CodeTable::FreeRdpError;
constexpr CodeTable C = CodeTable::ClientExit;
constexpr auto k3 = FreeRdpMajors::Only3;
constexpr auto k2 = FreeRdpMajors::Only2;
constexpr std::uint32_t connect(std::uint32_t type) { return kFreeRdpConnectClass << 16 | type; }

/// Source: FreeRDP include/freerdp/error.h, "Connection Error Codes" (ERRCONNECT_*, class
/// FREERDP_ERROR_CONNECT_CLASS = 2: the value is 0x0002xxxx), tags 2.11.7 and 3.10.3
/// https://github.com/FreeRDP/FreeRDP/blob/3.10.3/include/freerdp/error.h
/// (ERRINFO-class values, 0x0001xxxx, are the server's ERRINFO codes: see that table.)
constexpr CodeEntry kFreeRdp[] = {
    {F, connect(0x01), "ERRCONNECT_PRE_CONNECT_FAILED",
     "the client failed to set itself up before connecting (channels, settings)", None},
    {F, connect(0x02), "ERRCONNECT_CONNECT_UNDEFINED",
     "the connection failed without a more precise reason", Negotiation},
    {F, connect(0x03), "ERRCONNECT_POST_CONNECT_FAILED",
     "the client failed to set up the session after connecting (graphics, channels)", None},
    {F, connect(0x04), "ERRCONNECT_DNS_ERROR", "the name lookup failed", Name},
    {F, connect(0x05), "ERRCONNECT_DNS_NAME_NOT_FOUND", "the host name does not resolve", Name},
    {F, connect(0x06), "ERRCONNECT_CONNECT_FAILED",
     "the TCP connection failed (refused, filtered or reset)", Tcp},
    {F, connect(0x07), "ERRCONNECT_MCS_CONNECT_INITIAL_ERROR",
     "the server rejected or dropped the MCS Connect Initial (the basic settings exchange)",
     RdpSecurity},
    {F, connect(0x08), "ERRCONNECT_TLS_CONNECT_FAILED",
     "the TLS handshake failed (closed by the server, or refused by this machine's OpenSSL)", Tls},
    {F, connect(0x09), "ERRCONNECT_AUTHENTICATION_FAILED",
     "authentication failed (NLA/CredSSP rejected the credentials)", Nla},
    {F, connect(0x0A), "ERRCONNECT_INSUFFICIENT_PRIVILEGES",
     "the user lacks the privileges to log on remotely", Nla},
    {F, connect(0x0B), "ERRCONNECT_CONNECT_CANCELLED", "the connection was cancelled", None},
    {F, connect(0x0C), "ERRCONNECT_SECURITY_NEGO_CONNECT_FAILED",
     "the security negotiation failed (the X.224 exchange: RDP_NEG_FAILURE or no common layer)",
     Negotiation},
    {F, connect(0x0D), "ERRCONNECT_CONNECT_TRANSPORT_FAILED",
     "the transport failed: the connection was closed or reset", Tcp},
    {F, connect(0x0E), "ERRCONNECT_PASSWORD_EXPIRED", "the password has expired", Nla},
    {F, connect(0x0F), "ERRCONNECT_PASSWORD_CERTAINLY_EXPIRED",
     "the password has certainly expired (no Kerberos server could be asked)", Nla},
    {F, connect(0x10), "ERRCONNECT_CLIENT_REVOKED", "the account's credentials were revoked", Nla},
    {F, connect(0x11), "ERRCONNECT_KDC_UNREACHABLE", "no Kerberos KDC could be reached", Nla},
    {F, connect(0x12), "ERRCONNECT_ACCOUNT_DISABLED", "the account is disabled", Nla},
    {F, connect(0x13), "ERRCONNECT_PASSWORD_MUST_CHANGE",
     "the password must be changed before logging on", Nla},
    {F, connect(0x14), "ERRCONNECT_LOGON_FAILURE",
     "the logon failed (unknown user name or bad password)", Nla},
    {F, connect(0x15), "ERRCONNECT_WRONG_PASSWORD", "the password is wrong", Nla},
    {F, connect(0x16), "ERRCONNECT_ACCESS_DENIED", "access was denied", Nla},
    {F, connect(0x17), "ERRCONNECT_ACCOUNT_RESTRICTION",
     "an account restriction prevents this logon (hours, workstations, blank password)", Nla},
    {F, connect(0x18), "ERRCONNECT_ACCOUNT_LOCKED_OUT", "the account is locked out", Nla},
    {F, connect(0x19), "ERRCONNECT_ACCOUNT_EXPIRED", "the account has expired", Nla},
    {F, connect(0x1A), "ERRCONNECT_LOGON_TYPE_NOT_GRANTED",
     "the user is not granted remote logon on this host", Nla},
    {F, connect(0x1B), "ERRCONNECT_NO_OR_MISSING_CREDENTIALS",
     "the host needs credentials and none were given", Nla},
    {F, connect(0x1C), "ERRCONNECT_ACTIVATION_TIMEOUT",
     "the session's activation (capability exchange) timed out", Session, k3},
};

/// Source: FreeRDP client/X11/xfreerdp.h enum XF_EXIT_CODE (2.11.7 and 3.10.3) and
/// client/SDL/SDL2/sdl_freerdp.cpp enum SDL_EXIT_CODE (3.10.3): the same values; 146 exists in
/// xfreerdp 2.11 only. 0-26 mirror the server's ERRINFO codes, 128-159 the client's own errors.
/// https://github.com/FreeRDP/FreeRDP/blob/2.11.7/client/X11/xfreerdp.h
constexpr CodeEntry kExit[] = {
    {C, 0, "XF_EXIT_SUCCESS", "success", None},
    {C, 1, "XF_EXIT_DISCONNECT", "disconnected (an administrator tool on the server)", Session},
    {C, 2, "XF_EXIT_LOGOFF", "logged off (an administrator tool on the server)", Session},
    {C, 3, "XF_EXIT_IDLE_TIMEOUT", "the server disconnected an idle session", Session},
    {C, 4, "XF_EXIT_LOGON_TIMEOUT", "the logon took longer than the server allows", Session},
    {C, 5, "XF_EXIT_CONN_REPLACED", "another connection took over the session", Session},
    {C, 6, "XF_EXIT_OUT_OF_MEMORY", "the server ran out of memory", Session},
    {C, 7, "XF_EXIT_CONN_DENIED", "the server denied the connection (ERRINFO 7)", Session},
    {C, 8, "XF_EXIT_CONN_DENIED_FIPS", "the server denied the connection (FIPS policy)",
     RdpSecurity},
    {C, 9, "XF_EXIT_USER_PRIVILEGES", "the user lacks the privileges to log on remotely", Session},
    {C, 10, "XF_EXIT_FRESH_CREDENTIALS_REQUIRED", "the server wants fresh credentials", Nla},
    {C, 11, "XF_EXIT_DISCONNECT_BY_USER", "the user disconnected", Session},
    {C, 16, "XF_EXIT_LICENSE_INTERNAL", "an internal licensing error", Session},
    {C, 17, "XF_EXIT_LICENSE_NO_LICENSE_SERVER", "no license server was available", Session},
    {C, 18, "XF_EXIT_LICENSE_NO_LICENSE", "no license was available", Session},
    {C, 19, "XF_EXIT_LICENSE_BAD_CLIENT_MSG", "a bad licensing message", Session},
    {C, 20, "XF_EXIT_LICENSE_HWID_DOESNT_MATCH", "the license does not match the hardware id",
     Session},
    {C, 21, "XF_EXIT_LICENSE_BAD_CLIENT", "the client's license is not valid", Session},
    {C, 22, "XF_EXIT_LICENSE_CANT_FINISH_PROTOCOL", "the licensing protocol could not finish",
     Session},
    {C, 23, "XF_EXIT_LICENSE_CLIENT_ENDED_PROTOCOL", "the client ended the licensing protocol",
     Session},
    {C, 24, "XF_EXIT_LICENSE_BAD_CLIENT_ENCRYPTION", "a badly encrypted licensing message",
     Session},
    {C, 25, "XF_EXIT_LICENSE_CANT_UPGRADE", "the license could not be upgraded", Session},
    {C, 26, "XF_EXIT_LICENSE_NO_REMOTE_CONNECTIONS",
     "the server is not licensed for remote connections", Session},
    {C, 32, "XF_EXIT_RDP", "an RDP protocol error", Session},
    {C, 128, "XF_EXIT_PARSE_ARGUMENTS", "the command line could not be parsed", None},
    {C, 129, "XF_EXIT_MEMORY", "the client ran out of memory", None},
    {C, 130, "XF_EXIT_PROTOCOL", "a protocol error", Session},
    {C, 131, "XF_EXIT_CONN_FAILED", "the connection failed (no more precise FreeRDP error)",
     Negotiation},
    {C, 132, "XF_EXIT_AUTH_FAILURE", "authentication failed", Nla},
    {C, 133, "XF_EXIT_NEGO_FAILURE", "the security negotiation failed", Negotiation},
    {C, 134, "XF_EXIT_LOGON_FAILURE", "the logon failed", Nla},
    {C, 135, "XF_EXIT_ACCOUNT_LOCKED_OUT", "the account is locked out", Nla},
    {C, 136, "XF_EXIT_PRE_CONNECT_FAILED", "the client's pre-connect setup failed", None},
    {C, 137, "XF_EXIT_CONNECT_UNDEFINED", "the connection failed without a precise reason",
     Negotiation},
    {C, 138, "XF_EXIT_POST_CONNECT_FAILED", "the client's post-connect setup failed", None},
    {C, 139, "XF_EXIT_DNS_ERROR", "the name lookup failed", Name},
    {C, 140, "XF_EXIT_DNS_NAME_NOT_FOUND", "the host name does not resolve", Name},
    {C, 141, "XF_EXIT_CONNECT_FAILED", "the TCP connection failed", Tcp},
    {C, 142, "XF_EXIT_MCS_CONNECT_INITIAL_ERROR", "the MCS Connect Initial failed", RdpSecurity},
    {C, 143, "XF_EXIT_TLS_CONNECT_FAILED", "the TLS handshake failed", Tls},
    {C, 144, "XF_EXIT_INSUFFICIENT_PRIVILEGES", "the user lacks the privileges", Nla},
    {C, 145, "XF_EXIT_CONNECT_CANCELLED", "the connection was cancelled", None},
    {C, 146, "XF_EXIT_SECURITY_NEGO_CONNECT_FAILED", "the security negotiation failed", Negotiation,
     k2},
    {C, 147, "XF_EXIT_CONNECT_TRANSPORT_FAILED", "the transport failed (closed or reset)", Tcp},
    {C, 148, "XF_EXIT_CONNECT_PASSWORD_EXPIRED", "the password has expired", Nla},
    {C, 149, "XF_EXIT_CONNECT_PASSWORD_MUST_CHANGE", "the password must be changed", Nla},
    {C, 150, "XF_EXIT_CONNECT_KDC_UNREACHABLE", "no Kerberos KDC could be reached", Nla},
    {C, 151, "XF_EXIT_CONNECT_ACCOUNT_DISABLED", "the account is disabled", Nla},
    {C, 152, "XF_EXIT_CONNECT_PASSWORD_CERTAINLY_EXPIRED", "the password has certainly expired",
     Nla},
    {C, 153, "XF_EXIT_CONNECT_CLIENT_REVOKED", "the credentials were revoked", Nla},
    {C, 154, "XF_EXIT_CONNECT_WRONG_PASSWORD", "the password is wrong", Nla},
    {C, 155, "XF_EXIT_CONNECT_ACCESS_DENIED", "access was denied", Nla},
    {C, 156, "XF_EXIT_CONNECT_ACCOUNT_RESTRICTION", "an account restriction prevents this logon",
     Nla},
    {C, 157, "XF_EXIT_CONNECT_ACCOUNT_EXPIRED", "the account has expired", Nla},
    {C, 158, "XF_EXIT_CONNECT_LOGON_TYPE_NOT_GRANTED", "remote logon is not granted to the user",
     Nla},
    {C, 159, "XF_EXIT_CONNECT_NO_OR_MISSING_CREDENTIALS", "no credentials were given", Nla},
    {C, 255, "XF_EXIT_UNKNOWN", "an unknown error", None},
};

}  // namespace

std::span<const CodeEntry> freerdpError() { return kFreeRdp; }
std::span<const CodeEntry> clientExit() { return kExit; }

}  // namespace rdpdoctor::codes
