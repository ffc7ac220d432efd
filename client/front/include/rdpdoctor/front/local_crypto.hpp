#pragma once
// What this machine's OpenSSL cannot give FreeRDP: the legacy algorithms NTLM (MD4) and standard
// RDP security, licensing and NTLM sealing (RC4) need. OpenSSL 3 keeps both in its legacy provider,
// which WinPR loads when a connection starts; where it cannot (no ossl-modules/legacy.so,
// OPENSSL_MODULES pointing elsewhere, FIPS mode), FreeRDP fails on this side and the host only
// sees a closed connection (FreeRDP 2.11 may even crash). Both the attempt process and the front
// (for an attempt that died) ask, with the same environment.
#include <string>
#include <vector>

namespace rdpdoctor {

/// "md4", "rc4" for each algorithm the default library context cannot fetch now.
[[nodiscard]] std::vector<std::string> missingLegacyAlgorithms();

}  // namespace rdpdoctor
