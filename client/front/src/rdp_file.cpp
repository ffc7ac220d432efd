#include "rdpdoctor/front/rdp_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>

#include "rdpdoctor/front/text_codec.hpp"

namespace rdpdoctor {
namespace {

std::string lower(std::string_view s) {
  std::string o(s);
  std::transform(o.begin(), o.end(), o.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return o;
}

std::optional<std::uint32_t> toUint(const std::string& s) {
  std::uint32_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || p != s.data() + s.size()) return std::nullopt;
  return v;
}

constexpr std::size_t kMaxRdpFileBytes = 1024 * 1024;

struct TextLine {
  std::string_view text;
  std::string_view eol;
};

/// The file's lines: a line ends at "\r\n", "\n" or a lone "\r" (old Mac files); each keeps its
/// ending so that it is written back as it was.
std::vector<TextLine> splitLines(std::string_view text) {
  std::vector<TextLine> out;
  std::size_t begin = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\r' && text[i] != '\n') continue;
    const std::size_t end = i;
    if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
    out.push_back({text.substr(begin, end - begin), text.substr(end, i + 1 - end)});
    begin = i + 1;
  }
  if (begin < text.size()) out.push_back({text.substr(begin), {}});
  return out;
}

/// Splits off what follows the text: trailing NULs (some tools end a file with one) and, in
/// UTF-16, a lone odd byte. They are kept as bytes and written back.
std::string_view splitTrailer(std::string_view body, bool utf16, std::string& trailer) {
  std::size_t n = body.size();
  if (utf16) {
    if (n % 2 != 0) --n;
    while (n >= 2 && body[n - 2] == '\0' && body[n - 1] == '\0') n -= 2;
  } else {
    while (n > 0 && body[n - 1] == '\0') --n;
  }
  trailer = std::string(body.substr(n));
  return body.substr(0, n);
}

/// "line 3: ..." for a line that is not text; nullopt when it is.
std::optional<std::string> notText(std::string_view line, int n, bool utf16) {
  const auto bad = firstInvalidUtf8(line);
  if (!bad) return std::nullopt;
  const std::string where = "line " + std::to_string(n) + ", column " + std::to_string(*bad + 1);
  if (utf16) return where + ": not UTF-16 text (a lone surrogate)";
  char hex[8];
  std::snprintf(hex, sizeof hex, "0x%02X", static_cast<unsigned char>(line[*bad]));
  return where + ": not UTF-8 text (byte " + std::string(hex) + ")";
}

/// Refuses what is not a regular file before reading a byte (a FIFO would block, a device never
/// ends), then reads at most kMaxRdpFileBytes. A symbolic link to a regular file is fine.
Result<std::string> readRegularFile(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) return makeError("usage", "cannot read " + path + " (" + std::strerror(errno) + ")");
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return makeError(
        "usage",
        path + " is not a regular file (a FIFO, a device or a directory): not an .rdp file");
  }
  if (st.st_size > static_cast<off_t>(kMaxRdpFileBytes)) {
    ::close(fd);
    return makeError("malformed", path + " is larger than 1 MiB: not an .rdp file");
  }
  std::string bytes;
  char chunk[16384];
  for (;;) {
    const ssize_t n = ::read(fd, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int e = errno;
      ::close(fd);
      return makeError("usage", "cannot read " + path + " (" + std::strerror(e) + ")");
    }
    if (n == 0) break;
    bytes.append(chunk, static_cast<std::size_t>(n));
    if (bytes.size() > kMaxRdpFileBytes) {  // it grew while we read it
      ::close(fd);
      return makeError("malformed", path + " is larger than 1 MiB: not an .rdp file");
    }
  }
  ::close(fd);
  return bytes;
}

}  // namespace

const RdpLine* RdpFile::find(std::string_view key) const {
  const std::string k = lower(key);
  for (auto l = lines.rbegin(); l != lines.rend(); ++l)
    if (l->key == k) return &*l;
  return nullptr;
}

std::string RdpFile::lineEnding() const {
  for (const auto& l : lines)
    if (!l.eol.empty()) return l.eol;
  return "\r\n";
}

void RdpFile::set(std::string_view key, char type, std::string value) {
  const std::string k = lower(key);
  for (auto l = lines.rbegin(); l != lines.rend(); ++l)
    if (l->key == k) {
      l->type = type;
      l->value = std::move(value);
      if (l->asRead && l->spelled.empty()) l->spelled = l->asRead->substr(0, l->asRead->find(':'));
      l->raw.clear();
      l->asRead.reset();
      return;
    }
  lines.push_back({k, type, std::move(value), "", lineEnding(), std::nullopt, ""});
}

std::string RdpFile::serialize() const {
  std::string text;
  const std::string newEol = lineEnding();
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const auto& l = lines[i];
    if (l.asRead) {
      text += *l.asRead;
    } else if (!l.raw.empty()) {
      text += l.raw;
    } else {
      text += (l.spelled.empty() ? l.key : l.spelled) + ":" + l.type + ":" + l.value;
    }
    // a last line without an ending gets one when a line is appended after it
    text += l.eol.empty() && i + 1 < lines.size() ? newEol : l.eol;
  }
  if (utf16) return (bom.empty() ? std::string("\xFF\xFE") : bom) + utf8ToUtf16le(text) + trailer;
  if (!bom.empty()) return bom + text + trailer;
  // a UTF-8 file whose first bytes look like a UTF-16 BOM, or a first line that starts with a
  // U+FEFF of its own, would be misread: mark it as UTF-8
  if (text.size() >= 2 && text[0] == '\xFF' && text[1] == '\xFE')
    return "\xEF\xBB\xBF" + text + trailer;
  if (text.rfind("\xEF\xBB\xBF", 0) == 0) return "\xEF\xBB\xBF" + text + trailer;
  return text + trailer;
}

Result<RdpFile> parseRdpFile(std::string_view bytes) {
  RdpFile f;
  std::string text;
  if (bytes.size() >= 2 && static_cast<unsigned char>(bytes[0]) == 0xFF &&
      static_cast<unsigned char>(bytes[1]) == 0xFE) {
    f.utf16 = true;
    f.bom = std::string(bytes.substr(0, 2));
    text = utf16leToUtf8(splitTrailer(bytes.substr(2), true, f.trailer));
  } else {
    if (bytes.size() >= 3 && bytes.substr(0, 3) == "\xEF\xBB\xBF") f.bom = "\xEF\xBB\xBF";
    text = std::string(splitTrailer(bytes.substr(f.bom.size()), false, f.trailer));
  }
  if (text.find('\0') != std::string::npos)
    return makeError("malformed", "the file holds NUL bytes: not an .rdp file");
  std::map<std::string, int> seen;  // key -> the line number that counts so far
  const auto lines = splitLines(text);
  for (int n = 1; n <= static_cast<int>(lines.size()); ++n) {
    const std::string line(lines[static_cast<std::size_t>(n - 1)].text);
    const std::string eol(lines[static_cast<std::size_t>(n - 1)].eol);
    if (auto why = notText(line, n, f.utf16)) return makeError("malformed", *why);
    if (line.empty()) {
      f.lines.push_back({"", 's', "", "", eol, line, ""});
      continue;
    }
    const auto c1 = line.find(':');
    const auto c2 = c1 == std::string::npos ? std::string::npos : line.find(':', c1 + 1);
    if (c2 == std::string::npos || c2 != c1 + 2) {
      f.warnings.push_back("line " + std::to_string(n) + ": not 'key:type:value', kept as is");
      f.lines.push_back({"", 's', "", line, eol, line, ""});
      continue;
    }
    const char type = static_cast<char>(std::tolower(static_cast<unsigned char>(line[c1 + 1])));
    if (type != 's' && type != 'i' && type != 'b') {
      f.warnings.push_back("line " + std::to_string(n) + ": unknown type '" +
                           std::string(1, line[c1 + 1]) + "', kept as is");
      f.lines.push_back({"", 's', "", line, eol, line, ""});
      continue;
    }
    RdpLine l{lower(line.substr(0, c1)), type, line.substr(c2 + 1), "", eol, line, ""};
    if (type == 'i' && !toUint(l.value) && !(l.value.size() > 1 && l.value[0] == '-')) {
      f.warnings.push_back("line " + std::to_string(n) + ": '" + l.key +
                           "' is not a number, kept as is");
      l.raw = line;
    }
    if (auto earlier = seen.find(l.key); !l.key.empty() && earlier != seen.end()) {
      // mstsc: the last one wins (find() returns it, set() changes it); both stay in the file
      f.warnings.push_back("line " + std::to_string(n) + ": '" + l.key + "' repeats line " +
                           std::to_string(earlier->second) + "; line " + std::to_string(n) +
                           " is used");
      earlier->second = n;
    } else {
      seen.emplace(l.key, n);
    }
    f.lines.push_back(std::move(l));
  }
  return f;
}

Result<RdpFile> readRdpFile(const std::string& path) {
  auto bytes = readRegularFile(path);
  if (!bytes) return bytes.error();
  auto f = parseRdpFile(*bytes);
  if (!f) return makeError(f.error().code, path + ": " + f.error().message());
  return f;
}

Status writeRdpFile(const std::string& path, const RdpFile& file) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out || !(out << file.serialize()) || !out.flush())
    return makeError("io", "cannot write " + path);
  return okStatus();
}

}  // namespace rdpdoctor
