#include "rdpdoctor/core/rdp_file.hpp"

#include "text_codec.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <fstream>
#include <sstream>

namespace rdpdoctor {
namespace {

std::string lower(std::string_view s) {
  std::string o(s);
  std::transform(o.begin(), o.end(), o.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return o;
}

std::optional<std::uint32_t> toUint(const std::string& s) {
  std::uint32_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || p != s.data() + s.size()) return std::nullopt;
  return v;
}

}  // namespace

const RdpLine* RdpFile::find(std::string_view key) const {
  const std::string k = lower(key);
  for (const auto& l : lines)
    if (l.key == k) return &l;
  return nullptr;
}

void RdpFile::set(std::string_view key, char type, std::string value) {
  const std::string k = lower(key);
  for (auto& l : lines)
    if (l.key == k) {
      l.type = type;
      l.value = std::move(value);
      l.raw.clear();
      return;
    }
  lines.push_back({k, type, std::move(value), ""});
}

std::string RdpFile::serialize() const {
  std::string text;
  for (const auto& l : lines) {
    if (!l.raw.empty()) {
      text += l.raw;
    } else {
      text += l.key + ":" + l.type + ":" + l.value;
    }
    text += "\r\n";
  }
  if (utf16) return "\xFF\xFE" + utf8ToUtf16le(text);
  // a UTF-8 file whose first bytes look like a UTF-16 BOM would be misread: mark it as UTF-8
  if (text.size() >= 2 && text[0] == '\xFF' && text[1] == '\xFE') return "\xEF\xBB\xBF" + text;
  return text;
}

Result<RdpFile> parseRdpFile(std::string_view bytes) {
  RdpFile f;
  std::string text;
  if (bytes.size() >= 2 && static_cast<unsigned char>(bytes[0]) == 0xFF && static_cast<unsigned char>(bytes[1]) == 0xFE) {
    f.utf16 = true;
    text = utf16leToUtf8(bytes.substr(2));
  } else {
    text = std::string(bytes.size() >= 3 && bytes.substr(0, 3) == "\xEF\xBB\xBF" ? bytes.substr(3) : bytes);
  }
  if (text.find('\0') != std::string::npos) return makeError("malformed", "the file holds NUL bytes: not an .rdp file");
  std::istringstream in(text);
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    const auto c1 = line.find(':');
    const auto c2 = c1 == std::string::npos ? std::string::npos : line.find(':', c1 + 1);
    if (c2 == std::string::npos || c2 != c1 + 2) {
      f.warnings.push_back("line " + std::to_string(n) + ": not 'key:type:value', kept as is");
      f.lines.push_back({"", 's', "", line});
      continue;
    }
    const char type = static_cast<char>(std::tolower(static_cast<unsigned char>(line[c1 + 1])));
    if (type != 's' && type != 'i' && type != 'b') {
      f.warnings.push_back("line " + std::to_string(n) + ": unknown type '" + std::string(1, line[c1 + 1]) + "', kept as is");
      f.lines.push_back({"", 's', "", line});
      continue;
    }
    RdpLine l{lower(line.substr(0, c1)), type, line.substr(c2 + 1), ""};
    if (type == 'i' && !toUint(l.value) && !(l.value.size() > 1 && l.value[0] == '-')) {
      f.warnings.push_back("line " + std::to_string(n) + ": '" + l.key + "' is not a number, kept as is");
      l.raw = line;
    }
    f.lines.push_back(std::move(l));
  }
  return f;
}

Result<RdpFile> readRdpFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return makeError("usage", "cannot read " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  const std::string bytes = ss.str();
  if (bytes.size() > 1024 * 1024) return makeError("malformed", path + " is larger than 1 MiB: not an .rdp file");
  auto f = parseRdpFile(bytes);
  if (!f) return Error(f.error()).because(path);
  return f;
}

Status writeRdpFile(const std::string& path, const RdpFile& file) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out || !(out << file.serialize()) || !out.flush()) return makeError("io", "cannot write " + path);
  return okStatus();
}

}  // namespace rdpdoctor
