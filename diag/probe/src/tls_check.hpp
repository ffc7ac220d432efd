#pragma once
// MS-RDPBCGR 5.4.5.1: the TLS handshake that follows a Connection Confirm selecting SSL/HYBRID,
// tried one version at a time (min = max) with OpenSSL, at security level 1 and then 0.
#include <cstdint>
#include <string>

#include "rdpdoctor/probe_result.hpp"
#include "socket.hpp"

namespace rdpdoctor::probe {

/// The certificate DER of a completed handshake (empty when none completed).
struct TlsVersionOutcome {
  TlsVersionCheck check;
  wire::Bytes certificateDer;
};

/// Tries TLS `version` ("1.0".."1.3") on fresh connections to `to`, each opened with an X.224
/// request for `requested`: first at OpenSSL security level 1 (FreeRDP 2.11's default), then at
/// level 0 with "DEFAULT:@SECLEVEL=0" unless the server already said it does not speak the
/// version (alert protocol_version) or a deadline passed. `sni` is sent when not empty.
/// `carried`: a connection whose Connection Confirm (to `requested`) already selected SSL or
/// HYBRID, used for the first handshake instead of a fresh connection.
/// The handshake is OpenSSL's SSL_connect on the non-blocking socket, resumed when the event loop
/// says the socket is readable or writable (so the capture's BIO callback, the alerts and the
/// error queue read exactly as with a blocking socket).
[[nodiscard]] Task<TlsVersionOutcome> checkTlsVersion(const Endpoint& to, std::uint32_t requested,
                                                      std::string version, std::string sni,
                                                      Deadline deadline, Socket carried = Socket());

}  // namespace rdpdoctor::probe
