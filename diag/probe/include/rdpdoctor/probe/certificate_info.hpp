#pragma once
// The facts of a server certificate (CertificateInfo, diag/model's probe_result.hpp) from DER
// bytes.
#include <chrono>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "rdpdoctor/probe_result.hpp"
#include "rdpdoctor/result.hpp"

namespace rdpdoctor::probe {

/// Describes a DER X.509 certificate as of `now`, matching it against `typedName` (a host name or
/// an IP literal, without brackets). Error "malformed" when the DER does not parse.
[[nodiscard]] Result<CertificateInfo> describeCertificate(
    std::span<const std::uint8_t> der, std::string_view typedName,
    std::chrono::system_clock::time_point now);

}  // namespace rdpdoctor::probe
