// mstsc's codes: the disconnect reason (discReason) and the extended disconnect reason.
#include "codes_tables.hpp"

namespace rdpdoctor::codes {
namespace {

using enum Layer;
constexpr CodeTable D = CodeTable::MstscDisconnect;
constexpr CodeTable X = CodeTable::MstscExtended;

/// Source: Microsoft, "IMsTscAxEvents::OnDisconnected method", discReason
/// https://learn.microsoft.com/en-us/windows/win32/termserv/imstscaxevents-ondisconnected
/// (names from that page; the meanings are ours, in plain words). Its English source, with the
/// SSL_ERR_ rows: MicrosoftDocs/win32, desktop-src/TermServ/imstscaxevents-ondisconnected.md.
constexpr CodeEntry kDisconnect[] = {
    {D, 0x0, "disconnectReasonNoInfo", "no information is available", None},
    {D, 0x1, "disconnectReasonLocalNotError", "the client disconnected (not an error)", None},
    {D, 0x2, "disconnectReasonRemoteByUser",
     "the user disconnected on the remote side (not an error)", Session},
    {D, 0x3, "disconnectReasonByServer",
     "the server ended the connection (not an error by itself: the extended reason says why)",
     Session},
    {D, 0x104, "disconnectReasonDNSLookupFailed", "the host name could not be resolved", Name},
    {D, 0x106, "disconnectReasonOutOfMemory", "the client ran out of memory", None},
    {D, 0x108, "disconnectReasonConnectionTimedOut", "the connection timed out", Session},
    {D, 0x204, "disconnectReasonSocketConnectFailed",
     "the TCP connection could not be made (refused, filtered or unreachable)", Tcp},
    {D, 0x206, "disconnectReasonOutOfMemory2", "the client ran out of memory", None},
    {D, 0x208, "disconnectReasonHostNotFound", "the host was not found", Name},
    {D, 0x304, "disconnectReasonWinsockSendFailed", "sending on the socket failed", Tcp},
    {D, 0x306, "disconnectReasonOutOfMemory3", "the client ran out of memory", None},
    {D, 0x308, "disconnectReasonInvalidIPAddr", "the IP address given is not valid", Name},
    {D, 0x404, "disconnectReasonSocketRecvFailed", "receiving on the socket failed", Tcp},
    {D, 0x406, "disconnectReasonInvalidSecurityData", "the security data is not valid",
     RdpSecurity},
    {D, 0x408, "disconnectReasonInternalError", "an internal error of the client", None},
    {D, 0x506, "disconnectReasonInvalidEncryption", "the encryption method is not valid",
     RdpSecurity},
    {D, 0x508, "disconnectReasonDNSLookupFailed2", "the DNS lookup failed", Name},
    {D, 0x604, "disconnectReasonGetHostByNameFailed", "the host name lookup (gethostbyname) failed",
     Name},
    {D, 0x606, "disconnectReasonInvalidServerSecurityInfo",
     "the server's security data is not valid", RdpSecurity},
    {D, 0x608, "disconnectReasonTimerError", "an internal timer error of the client", None},
    {D, 0x704, "disconnectReasonTimeoutOccurred", "a timeout occurred", Tcp},
    {D, 0x706, "disconnectReasonServerCertificateUnpackErr",
     "the server's certificate could not be unpacked", RdpSecurity},
    {D, 0x804, "disconnectReasonInvalidIP", "a bad IP address was given", Name},
    {D, 0x808, "disconnectReasonLicensingFailed", "the licensing negotiation failed", Session},
    {D, 0x904, "disconnectReasonAtClientWinsockFDCLOSE",
     "the socket was closed: the server or something in the path closed the connection", Tcp},
    {D, 0x906, "disconnectReasonInternalSecurityError", "an internal security error", RdpSecurity},
    // Not on the OnDisconnected page: the sentence Microsoft's client returns for 2311 from
    // GetErrorDescription(2311, 0), as Microsoft's TechNet Wiki table of the client's disconnect
    // codes gives it ("an unexpected server authentication certificate was received from the
    // remote computer"); the client publishes no symbol for it.
    {D, 0x907, "(no published symbol; mstsc's text for 2311)",
     "the connection was ended because an unexpected server authentication certificate was "
     "received (not the one expected for that name: changed, replaced or mismatched)",
     Tls, FreeRdpMajors::Both,
     "Microsoft TechNet Wiki 37870, \"Remote Desktop Client Troubleshooting: Disconnect Codes "
     "and Reasons\" "
     "(https://social.technet.microsoft.com/wiki/contents/articles/"
     "37870.remote-desktop-client-troubleshooting-disconnect-codes-and-reasons.aspx): the text "
     "of mstsc's GetErrorDescription(2311, 0)"},
    {D, 0x908, "disconnectReasonLicensingTimeout", "the licensing timed out", Session},
    {D, 0xA06, "disconnectReasonInternalSecurityError2", "an internal security error", RdpSecurity},
    {D, 0xB06, "disconnectReasonEncryptionError", "an encryption error", RdpSecurity},
    {D, 0xC06, "disconnectReasonDecryptionError",
     "a decryption error (standard RDP security: the MAC or the keys do not match)", RdpSecurity},
    {D, 0xC08, "disconnectReasonClientDecompressionError", "the client failed to decompress data",
     Session},
    // The page's SSL_ERR_ rows: the security protocol and logon codes (low byte 0x07). The
    // names and Microsoft's sentences are those of the page (its "Some of these error codes are
    // defined in Wincred.h"); the same values are in MsTscAx.dll's DisconnectReasonCode type
    // library enumeration.
    {D, 0x807, "SSL_ERR_LOGON_FAILURE", "the logon failed: the credentials were rejected", Nla},
    {D, 0xA07, "SSL_ERR_NO_SUCH_USER", "the user name given has no account", Nla},
    {D, 0xB07, "SSL_ERR_ACCOUNT_DISABLED", "the account is disabled", Nla},
    {D, 0xC07, "SSL_ERR_ACCOUNT_RESTRICTION",
     "the account is restricted (logon hours, workstations, or an empty password not allowed)",
     Nla},
    {D, 0xD07, "SSL_ERR_ACCOUNT_LOCKED_OUT", "the account is locked out", Nla},
    {D, 0xE07, "SSL_ERR_ACCOUNT_EXPIRED", "the account has expired", Nla},
    {D, 0xF07, "SSL_ERR_PASSWORD_EXPIRED", "the password has expired", Nla},
    {D, 0x1207, "SSL_ERR_PASSWORD_MUST_CHANGE",
     "the password must be changed before the first logon", Nla},
    {D, 0x1607, "SSL_ERR_DELEGATION_POLICY",
     "the client's policy does not allow its credentials to be delegated to this server", Nla},
    {D, 0x1707, "SSL_ERR_POLICY_NTLM_ONLY",
     "credentials may be delegated to the server only after mutual authentication (Kerberos), "
     "and only NTLM was possible",
     Nla},
    {D, 0x1807, "SSL_ERR_NO_AUTHENTICATING_AUTHORITY",
     "no authority could be contacted for authentication: the domain name may be wrong, the "
     "domain unreachable, or a trust relationship broken",
     Nla},
    {D, 0x1B07, "SSL_ERR_CERT_EXPIRED", "the certificate received has expired", Tls},
    {D, 0x1C07, "SSL_ERR_SMARTCARD_WRONG_PIN", "a wrong PIN was given for the smart card", Nla},
    {D, 0x2107, "SSL_ERR_FRESH_CRED_REQUIRED_BY_SERVER",
     "the server's policy refuses saved credentials: the user must type them again", Nla},
    {D, 0x2207, "SSL_ERR_SMARTCARD_CARD_BLOCKED", "the smart card is blocked", Nla},
};

/// Source: Microsoft, "ExtendedDisconnectReasonCode enumeration"
/// https://learn.microsoft.com/en-us/windows/win32/termserv/extendeddisconnectreasoncode
/// (4096-32767, exDiscReasonProtocolRangeStart..End, are the server's protocol error infos: see
/// the ERRINFO table).
constexpr CodeEntry kExtended[] = {
    {X, 0, "exDiscReasonNoInfo", "no additional information", None},
    {X, 1, "exDiscReasonAPIInitiatedDisconnect", "an application on the server disconnected",
     Session},
    {X, 2, "exDiscReasonAPIInitiatedLogoff", "an application on the server logged the user off",
     Session},
    {X, 3, "exDiscReasonServerIdleTimeout",
     "the server disconnected an idle session (its idle time limit)", Session},
    {X, 4, "exDiscReasonServerLogonTimeout",
     "the server disconnected: the logon took longer than it allows", Session},
    {X, 5, "exDiscReasonReplacedByOtherConnection", "another connection took over this session",
     Session},
    {X, 6, "exDiscReasonOutOfMemory", "the server ran out of memory", Session},
    {X, 7, "exDiscReasonServerDeniedConnection", "the server denied the connection", Session},
    {X, 8, "exDiscReasonServerDeniedConnectionFips",
     "the server denied the connection for FIPS security policy reasons", RdpSecurity},
    {X, 9, "exDiscReasonServerInsufficientPrivileges",
     "the user lacks the privileges to log on remotely", Session},
    {X, 10, "exDiscReasonServerFreshCredsRequired",
     "the server wants the credentials typed again (saved credentials are not accepted)", Nla},
    {X, 11, "exDiscReasonRpcInitiatedDisconnectByUser",
     "an administrator tool on the server disconnected the session", Session},
    {X, 12, "exDiscReasonLogoffByUser", "the user logged off", Session},
    {X, 256, "exDiscReasonLicenseInternal", "an internal error of the licensing", Session},
    {X, 257, "exDiscReasonLicenseNoLicenseServer", "no license server was available", Session},
    {X, 258, "exDiscReasonLicenseNoLicense", "no license was available for the client", Session},
    {X, 259, "exDiscReasonLicenseErrClientMsg",
     "the server received a bad licensing message from the client", Session},
    {X, 260, "exDiscReasonLicenseHwidDoesntMatchLicense",
     "the client's license does not match its hardware id", Session},
    {X, 261, "exDiscReasonLicenseErrClientLicense", "the client's license is not valid", Session},
    {X, 262, "exDiscReasonLicenseCantFinishProtocol", "the licensing protocol could not finish",
     Session},
    {X, 263, "exDiscReasonLicenseClientEndedProtocol", "the client ended the licensing protocol",
     Session},
    {X, 264, "exDiscReasonLicenseErrClientEncryption",
     "a licensing message from the client was not encrypted correctly", Session},
    {X, 265, "exDiscReasonLicenseCantUpgradeLicense", "the client's license could not be upgraded",
     Session},
    {X, 266, "exDiscReasonLicenseNoRemoteConnections",
     "the server is not licensed for remote connections", Session},
    {X, 267, "exDiscReasonLicenseCreatingLicStoreAccDenied",
     "the client could not create its license store (access denied)", Session},
    {X, 768, "exDiscReasonRdpEncInvalidCredentials", "the credentials are not valid", Nla},
};

}  // namespace

std::span<const CodeEntry> mstscDisconnect() { return kDisconnect; }
std::span<const CodeEntry> mstscExtended() { return kExtended; }

}  // namespace rdpdoctor::codes
