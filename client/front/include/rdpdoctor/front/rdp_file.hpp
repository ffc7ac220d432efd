#pragma once
// mstsc .rdp files: read (UTF-8, or UTF-16LE with BOM), write, and map to/from a Profile.
// Unknown keys are kept and written back unchanged; malformed lines are reported with their
// line number and kept too. Only a missing address is fatal.
#include <string>
#include <string_view>
#include <vector>

#include "rdpdoctor/profile.hpp"

namespace rdpdoctor {

struct RdpLine {
  std::string key;  // lower-cased mstsc key, e.g. "full address"; empty for a raw (malformed) line
  char type = 's';  // 's' string, 'i' integer, 'b' binary
  std::string value;
  std::string raw;  // the line as read (for unknown and malformed lines)
};

struct RdpFile {
  std::vector<RdpLine> lines;
  std::vector<std::string> warnings;  // "line 7: no ':' separator"
  bool utf16 = false;

  [[nodiscard]] const RdpLine* find(std::string_view key) const;
  void set(std::string_view key, char type, std::string value);
  [[nodiscard]] std::string serialize() const;  // UTF-8 (UTF-16LE with BOM when read so)
};

[[nodiscard]] Result<RdpFile> parseRdpFile(std::string_view bytes);
[[nodiscard]] Result<RdpFile> readRdpFile(const std::string& path);
[[nodiscard]] Status writeRdpFile(const std::string& path, const RdpFile& file);

/// The Profile an .rdp file describes (address, port, user, domain, security, size, bpp, ...).
/// Unsupported settings (a gateway) are reported in `warnings`.
[[nodiscard]] Result<Profile> profileFromRdp(const RdpFile& file,
                                             std::vector<std::string>& warnings);
/// Writes `p` into `file` (keeps every other line), mstsc-compatible.
void applyProfileToRdp(const Profile& p, RdpFile& file);

/// A security-relevant key that a save leaves weaker than the file it came from, because the
/// working combination needs it so (e.g. NLA off for a host that offers only TLS).
struct SecurityWeakening {
  std::string key;
  std::string before;  // the value read ("" when the key was absent: mstsc's default applied)
  std::string after;   // the value written
};
/// After applyProfileToRdp(p, saved) on a copy of `read`: every security key of `saved` that is
/// weaker than in `read` is set back to the value read unless `p` needs the weaker one; those it
/// needs are returned (the caller says so). Keys: authentication level, enablecredsspsupport,
/// negotiate security layer, prompt for credentials, rdpdoctor tls seclevel, rdpdoctor salted mac.
[[nodiscard]] std::vector<SecurityWeakening> keepSecurityOf(const RdpFile& read, const Profile& p,
                                                            RdpFile& saved);

}  // namespace rdpdoctor
