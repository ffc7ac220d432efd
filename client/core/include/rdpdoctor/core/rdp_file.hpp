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
  std::string key;   // lower-cased mstsc key, e.g. "full address"; empty for a raw (malformed) line
  char type = 's';   // 's' string, 'i' integer, 'b' binary
  std::string value;
  std::string raw;   // the line as read (for unknown and malformed lines)
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
[[nodiscard]] Result<Profile> profileFromRdp(const RdpFile& file, std::vector<std::string>& warnings);
/// Writes `p` into `file` (keeps every other line), mstsc-compatible.
void applyProfileToRdp(const Profile& p, RdpFile& file);

}  // namespace rdpdoctor
