#pragma once
// The TLS protocol versions a client may offer (Profile's min/max, the probe's facts).
#include <cstdint>
#include <string_view>

#include "rdpdoctor/result.hpp"

namespace rdpdoctor {

/// A TLS protocol version (the min/max a client offers in its ClientHello).
enum class TlsVersion { V1_0, V1_1, V1_2, V1_3 };
/// The version's wire value (RFC 8446 4.2.1 ProtocolVersion: 0x0301 .. 0x0304), as OpenSSL's
/// TLS1_VERSION .. TLS1_3_VERSION and FreeRDP's TLSMinVersion/TLSMaxVersion spell it.
[[nodiscard]] std::uint16_t wireValue(TlsVersion v);

[[nodiscard]] std::string_view toString(TlsVersion v);  // "1.0" .. "1.3"
[[nodiscard]] Result<TlsVersion> parseTlsVersion(std::string_view s);

}  // namespace rdpdoctor
