#include "rdpdoctor/core/rdp_file.hpp"

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

/// UTF-16LE -> UTF-8 (BMP and surrogate pairs).
std::string utf16leToUtf8(std::string_view in) {
  std::string out;
  for (std::size_t i = 0; i + 1 < in.size(); i += 2) {
    std::uint32_t cp = static_cast<unsigned char>(in[i]) | (static_cast<unsigned char>(in[i + 1]) << 8);
    if (cp >= 0xD800 && cp <= 0xDBFF && i + 3 < in.size()) {
      const std::uint32_t lo = static_cast<unsigned char>(in[i + 2]) | (static_cast<unsigned char>(in[i + 3]) << 8);
      if (lo >= 0xDC00 && lo <= 0xDFFF) {
        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        i += 2;
      }
    }
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }
  return out;
}

std::string utf8ToUtf16le(std::string_view in) {
  std::string out = "\xFF\xFE";
  auto put = [&](std::uint32_t u) {
    out += static_cast<char>(u & 0xFF);
    out += static_cast<char>((u >> 8) & 0xFF);
  };
  for (std::size_t i = 0; i < in.size();) {
    const unsigned char c = static_cast<unsigned char>(in[i]);
    std::uint32_t cp = c;
    std::size_t n = 1;
    if (c >= 0xF0 && i + 3 < in.size()) {
      cp = ((c & 0x07u) << 18) | ((in[i + 1] & 0x3Fu) << 12) | ((in[i + 2] & 0x3Fu) << 6) | (in[i + 3] & 0x3Fu);
      n = 4;
    } else if (c >= 0xE0 && i + 2 < in.size()) {
      cp = ((c & 0x0Fu) << 12) | ((in[i + 1] & 0x3Fu) << 6) | (in[i + 2] & 0x3Fu);
      n = 3;
    } else if (c >= 0xC0 && i + 1 < in.size()) {
      cp = ((c & 0x1Fu) << 6) | (in[i + 1] & 0x3Fu);
      n = 2;
    }
    if (cp >= 0x10000) {
      cp -= 0x10000;
      put(0xD800 + (cp >> 10));
      put(0xDC00 + (cp & 0x3FF));
    } else {
      put(cp);
    }
    i += n;
  }
  return out;
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
  return utf16 ? utf8ToUtf16le(text) : text;
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
