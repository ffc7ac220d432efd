#pragma once
// Generated configuration for lab servers: certificates (openssl CLI) and ini rewrites.
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "rdpdoctor/result.hpp"

namespace rdpdoctor::lab {

struct CertificateFiles {
  std::filesystem::path certificate;  // PEM
  std::filesystem::path key;          // PEM, unencrypted
};

/// RSA 2048, self-signed, CN=rdpdoctor-lab, SAN IP:127.0.0.1, IP:::1, DNS:localhost, written to
/// `dir`. `expired`: valid 2020-01-01..2021-01-01 (openssl ca -selfsign can back-date; req cannot).
[[nodiscard]] Result<CertificateFiles> generateCertificate(const std::filesystem::path& dir,
                                                           bool expired);

/// One key=value to set in an ini section.
struct IniSetting {
  std::string section;  // without brackets
  std::string key;
  std::string value;
};

/// Copies `text` with each setting applied: an uncommented `key=` line in the section is
/// replaced (every occurrence), otherwise the line is appended at the end of the section (or a
/// new section at the end of the file).
[[nodiscard]] std::string rewriteIni(const std::string& text,
                                     const std::vector<IniSetting>& settings);

[[nodiscard]] Result<std::string> readFile(const std::filesystem::path& file);
[[nodiscard]] Status writeFile(const std::filesystem::path& file, const std::string& text);

}  // namespace rdpdoctor::lab
