#pragma once
// mstsc .rdp files: read (UTF-8, or UTF-16LE with BOM), write, and map to/from a Profile.
// A file read and written back is the same bytes: every line the caller did not set() is
// written as it was read (order, unknown keys, empty and malformed lines, repeated keys, each
// line's own ending, the BOM, the encoding, trailing NULs). Malformed lines are reported with
// their line number. Only a missing address is fatal.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rdpdoctor/profile.hpp"

namespace rdpdoctor {

struct RdpLine {
  std::string key;  // lower-cased mstsc key, e.g. "full address"; empty for a raw (malformed) line
  char type = 's';  // 's' string, 'i' integer, 'b' binary
  std::string value;
  std::string raw;                    // the line as read (for unknown and malformed lines)
  std::string eol = "\r\n";           // how the line ended in the file ("" for a last line without)
  std::optional<std::string> asRead;  // the line's text as read (UTF-8), until set() changes it
  std::string spelled;                // the key as the file spells it ("Full Address"), if read
};

struct RdpFile {
  std::vector<RdpLine> lines;
  std::vector<std::string> warnings;  // "line 7: no ':' separator"
  bool utf16 = false;
  std::string bom;      // the byte order mark as read ("" when there was none)
  std::string trailer;  // trailing NUL bytes (and a lone odd UTF-16 byte) as read, written back

  /// The line that counts: the last one with this key (mstsc and FreeRDP: the last one wins).
  [[nodiscard]] const RdpLine* find(std::string_view key) const;
  /// Changes the line that counts (keeps its place and its line ending), or appends one.
  void set(std::string_view key, char type, std::string value);
  [[nodiscard]] std::string serialize() const;  // UTF-8 (UTF-16LE with BOM when read so)
  /// The line ending new lines get: the one the file's first line uses ("\r\n" for a new file).
  [[nodiscard]] std::string lineEnding() const;
};

[[nodiscard]] Result<RdpFile> parseRdpFile(std::string_view bytes);
[[nodiscard]] Result<RdpFile> readRdpFile(const std::string& path);
[[nodiscard]] Status writeRdpFile(const std::string& path, const RdpFile& file);

/// The Profile an .rdp file describes (address, port, user, domain, security, size, bpp, ...).
/// Unsupported settings (a gateway) are reported in `warnings`.
[[nodiscard]] Result<Profile> profileFromRdp(const RdpFile& file,
                                             std::vector<std::string>& warnings);
/// Writes `p` into `file`, mstsc-compatible. A file that already names a host (one read) changes
/// only the keys whose value `p` changes (compared with profileFromRdp(file)); every other line
/// stays as read. An empty file gets every key.
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
