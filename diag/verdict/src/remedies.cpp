// The host-side remedies administrators are given for 0x904/0x7 (shared REMEDIES.md), one table.
#include <algorithm>

#include "rdpdoctor/verdict/verdict.hpp"

namespace rdpdoctor {

const std::vector<Remedy>& allRemedies() {
  static const std::vector<Remedy> kTable = {
      {"renew-certificate",
       "on the host, delete the certificate from the 'Remote Desktop' certificate store and "
       "restart the "
       "Remote Desktop Services (TermService); Windows generates a fresh self-signed one"},
      {"machinekeys-permissions",
       "give NETWORK SERVICE (Remote Desktop Services) read access to the certificate's private "
       "key in "
       "C:\\ProgramData\\Microsoft\\Crypto\\RSA\\MachineKeys (on a cloud VM via the provider's "
       "run-command), "
       "then restart TermService"},
      {"allow-nla",
       "the host requires Network Level Authentication: connect with NLA (--security nla) and "
       "valid "
       "credentials, or on the host clear 'Require user authentication ... Network Level "
       "Authentication' "
       "(System Properties > Remote, or Group Policy)"},
      {"security-layer-policy",
       "on the host, set Group Policy 'Require use of specific security layer for remote (RDP) "
       "connections' "
       "to Negotiate (or the layer this client can use), then restart TermService"},
      {"openssl-legacy-provider",
       "make this machine's OpenSSL legacy provider loadable (Debian ships it in libssl3 as "
       "ossl-modules/legacy.so; check that OPENSSL_MODULES, if set, points at that directory and "
       "that OpenSSL is not in FIPS mode), then run rdpdoctor again",
       true},
      {"enable-tls12",
       "the host speaks only TLS 1.0/1.1: install the updates that enable TLS 1.2 for RDP and "
       "enable it in "
       "the SChannel registry keys; until then accept a lower OpenSSL security level for this host "
       "only "
       "(--min-security tls allows TLS at security level 0, marked in every report)"},
      {"firewall-av",
       "something in the path closes the socket: allow the client and the 'Remote Desktop' and "
       "'Remote Desktop (WebSocket)' rules through the host firewall, inbound and outbound; check "
       "antivirus "
       "suites that treat the fast RDP handshake as a threat; try from another network to rule out "
       "the ISP"},
      {"dns-fix",
       "the name resolves to an address that does not answer: connect by the working IP (the "
       "certificate "
       "name is kept) and fix the DNS record"},
      {"check-name",
       "the name does not resolve from this machine: check its spelling and the DNS suffix, the "
       "DNS server or VPN this machine uses, and that the host's record exists; until then "
       "connect by its IP address",
       true},
      {"start-service",
       "nothing listens on that port: check the address and the port (RDP's default is 3389), "
       "that Remote Desktop is enabled on the host (System Properties > Remote) and that the "
       "Remote Desktop Services (TermService) service is running, on the port it is configured "
       "for (PortNumber under HKLM\\SYSTEM\\CurrentControlSet\\Control\\Terminal "
       "Server\\WinStations\\RDP-Tcp)"},
      {"wrong-service",
       "something other than a Remote Desktop server answers on that port: check the port (RDP's "
       "default is 3389) and any port forwarding, proxy or load balancer in front of the host"},
      {"check-credentials",
       "check the user name (DOMAIN\\user or user@domain), the password and the keyboard layout "
       "(Caps Lock); the account may be locked out, disabled or its password expired or due to "
       "change: ask the administrator to check it. rdpdoctor does not try again with the same "
       "credentials, so that it cannot lock the account out"},
      {"trust-store",
       "rdpdoctor's own trust store on this machine cannot be used safely (the reason is in the "
       "cause): make known_hosts in the state directory (RDPDOCTOR_STATE_DIR, else "
       "$XDG_STATE_HOME/rdpdoctor or ~/.local/state/rdpdoctor) a regular file of yours that "
       "others cannot write, in a directory of yours, or move it away and accept the host "
       "again; nothing on the host is at fault",
       true},
      {"check-certificate-change",
       "ask the host's administrator whether the host's certificate was replaced (a renewal, a "
       "reinstall) and compare the new fingerprint with the one on the host before trusting it"},
      {"client-certificate",
       "the host demands a client certificate on the TLS layer (this is not Network Level "
       "Authentication): rdpdoctor and xfreerdp cannot present one; on the host, drop the "
       "client certificate requirement, or connect with a client configured with one"},
      {"rd-gateway",
       "connect from a network that reaches the host directly (a VPN), or use a client with RD "
       "Gateway support (mstsc, or xfreerdp /g:GATEWAY)"},
      {"legacy-rdp-security",
       "this is a pre-Vista host (Windows XP/2003) or one limited to standard RDP security: use "
       "standard "
       "RDP security for this host only (--min-security rdp) and update or isolate the legacy "
       "guest"},
      {"server-denied-check",
       "the server denied the connection: check the user's membership in 'Remote Desktop Users', "
       "the "
       "connection limits, and Event Viewer (Windows Logs > Security; Applications and Services "
       "Logs > "
       "Microsoft > Windows > TerminalServices-*)"},
      {"rdp-encryption",
       "the host's standard RDP security rejects this client's MAC (xrdp at crypt_level "
       "low/medium/high): "
       "enable TLS on the host (security_layer=tls or negotiate) or set its encryption level to "
       "FIPS; until then "
       "this client uses the classic MAC for this host (marked as a downgrade)"},
      {"network-retry",
       "the host does not answer in time: check it is up and the path (VPN, filtering), retry with "
       "back-off, "
       "lower the connection type and graphics"},
      {"licensing",
       "the host's Remote Desktop licensing failed: check the RD Licensing server and the "
       "licensing mode; "
       "Event Viewer > TerminalServices-Licensing"},
      {"server-graphics",
       "the host's graphics failed: update (or roll back) its display and GPU drivers; in Group "
       "Policy (Computer Configuration > Administrative Templates > Windows Components > Remote "
       "Desktop Services > Remote Desktop Session Host > Remote Session Environment) turn off 'Use "
       "hardware graphics adapters for all Remote Desktop Services sessions' and 'Prioritize "
       "H.264/AVC 444 graphics mode'; check Event Viewer > System for display driver and Dwm "
       "errors. A smaller desktop may still be drawn: try connect --size 800x600. "
       "rdpdoctor diagnose also tries connections without the graphics pipeline (RemoteFX/GFX)"},
      {"below-floor",
       "the host offers only a layer below your floor: enable TLS on the host (Group Policy "
       "'Require use of "
       "specific security layer for remote (RDP) connections': Negotiate or SSL), or, for a legacy "
       "host you "
       "trust on this network, allow standard RDP security for it only (--min-security rdp, marked "
       "in every report)"},
      {"tls-stripped",
       "this host was reached over TLS before and now answers without it: a changed host "
       "configuration, or a "
       "man in the middle stripping TLS. Check the host's security layer from a trusted network "
       "before sending "
       "any credential; do not lower the floor for it"},
      {"give-credentials",
       "the host checks credentials before it starts a session (Network Level Authentication): "
       "give them with "
       "--user (DOMAIN\\user or user@domain) and RDPDOCTOR_PASSWORD or --password-file, or run on "
       "a terminal to be "
       "asked; nothing on the host needs to change"},
      {"event-viewer",
       "confirm on the host in Event Viewer: Windows Logs > Security, and Applications and "
       "Services Logs > "
       "Microsoft > Windows > TerminalServices-* (RemoteConnectionManager, LocalSessionManager)"},
  };
  return kTable;
}

std::optional<Remedy> remedyById(std::string_view id) {
  const auto& t = allRemedies();
  auto it = std::find_if(t.begin(), t.end(), [&](const Remedy& r) { return r.id == id; });
  if (it == t.end()) return std::nullopt;
  return *it;
}

}  // namespace rdpdoctor
