#include "rdpdoctor/text_safety.hpp"

#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

namespace rdpdoctor {
namespace {

constexpr char kHex[] = "0123456789abcdef";

struct CodePoint {
  std::uint32_t value = 0;
  std::size_t length = 0;  // 0: s[at] does not start valid UTF-8
};

bool continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

/// RFC 3629 / Unicode table 3-7: the well-formed UTF-8 byte sequences.
CodePoint decodeAt(std::string_view s, std::size_t at) {
  const auto b = [&](std::size_t i) { return static_cast<unsigned char>(s[at + i]); };
  const std::size_t left = s.size() - at;
  const unsigned char c = b(0);
  if (c < 0x80) return {c, 1};
  if (c >= 0xC2 && c <= 0xDF) {
    if (left < 2 || !continuation(b(1))) return {};
    return {(c & 0x1Fu) << 6 | (b(1) & 0x3Fu), 2};
  }
  if (c >= 0xE0 && c <= 0xEF) {
    if (left < 3 || !continuation(b(1)) || !continuation(b(2))) return {};
    if (c == 0xE0 && b(1) < 0xA0) return {};  // overlong
    if (c == 0xED && b(1) > 0x9F) return {};  // UTF-16 surrogate
    return {(c & 0x0Fu) << 12 | (b(1) & 0x3Fu) << 6 | (b(2) & 0x3Fu), 3};
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (left < 4 || !continuation(b(1)) || !continuation(b(2)) || !continuation(b(3))) return {};
    if (c == 0xF0 && b(1) < 0x90) return {};  // overlong
    if (c == 0xF4 && b(1) > 0x8F) return {};  // above U+10FFFF
    return {(c & 0x07u) << 18 | (b(1) & 0x3Fu) << 12 | (b(2) & 0x3Fu) << 6 | (b(3) & 0x3Fu), 4};
  }
  return {};
}

void appendByteEscape(std::string& out, unsigned char c) {
  out += "\\x";
  out += kHex[c >> 4];
  out += kHex[c & 0x0F];
}

void appendCodePointEscape(std::string& out, std::uint32_t cp) {
  out += "\\u";
  for (int shift = 12; shift >= 0; shift -= 4) out += kHex[(cp >> shift) & 0x0F];
}

/// Code points a terminal or a text viewer obeys instead of showing: C1 controls, the line and
/// paragraph separators, bidirectional embeddings, overrides and isolates.
bool invisibleControl(std::uint32_t cp) {
  return (cp >= 0x80 && cp <= 0x9F) || cp == 0x061C || cp == 0x200E || cp == 0x200F ||
         cp == 0x2028 || cp == 0x2029 || (cp >= 0x202A && cp <= 0x202E) ||
         (cp >= 0x2066 && cp <= 0x2069);
}

bool repairInPlace(std::string& s) {
  if (isValidUtf8(s)) return false;
  s = utf8Repaired(s);
  return true;
}

void makeSafe(nlohmann::json& j);

void makeObjectSafe(nlohmann::json& obj) {
  std::vector<std::pair<std::string, nlohmann::json>> hexSiblings;
  std::vector<std::string> badKeys;
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    if (!isValidUtf8(it.key())) badKeys.push_back(it.key());
    auto& v = it.value();
    if (v.is_string()) {
      const std::string raw = v.get<std::string>();
      if (!isValidUtf8(raw)) {
        hexSiblings.emplace_back(it.key() + "_hex", hexBytes(raw));
        v = utf8Repaired(raw);
      }
    } else if (v.is_array()) {
      nlohmann::json hex = nlohmann::json::array();
      bool any = false;
      for (auto& e : v) {
        if (e.is_string() && !isValidUtf8(e.get_ref<const std::string&>())) {
          const std::string raw = e.get<std::string>();
          hex.push_back(hexBytes(raw));
          e = utf8Repaired(raw);
          any = true;
        } else {
          hex.push_back(nullptr);
          makeSafe(e);
        }
      }
      if (any) hexSiblings.emplace_back(it.key() + "_hex", std::move(hex));
    } else {
      makeSafe(v);
    }
  }
  for (auto& [key, hex] : hexSiblings) obj[utf8Repaired(key)] = std::move(hex);
  for (const auto& key : badKeys) {
    nlohmann::json v = std::move(obj[key]);
    obj.erase(key);
    obj[utf8Repaired(key)] = std::move(v);
  }
}

void makeSafe(nlohmann::json& j) {
  if (j.is_object()) {
    makeObjectSafe(j);
  } else if (j.is_array()) {
    for (auto& e : j) makeSafe(e);
  } else if (j.is_string()) {
    repairInPlace(j.get_ref<std::string&>());
  }
}

}  // namespace

std::string terminalText(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    const CodePoint cp = decodeAt(s, i);
    if (cp.length == 0) {
      appendByteEscape(out, c);
      ++i;
      continue;
    }
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c < 0x20 || c == 0x7F) {
      appendByteEscape(out, c);
    } else if (invisibleControl(cp.value)) {
      appendCodePointEscape(out, cp.value);
    } else {
      out.append(s.substr(i, cp.length));
    }
    i += cp.length;
  }
  return out;
}

std::string markdownText(std::string_view s) {
  const std::string visible = terminalText(s);
  std::string out;
  out.reserve(visible.size());
  for (const char c : visible) {
    switch (c) {
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '\\':
      case '`':
      case '*':
      case '_':
      case '[':
      case ']':
      case '|':
      case '~':
        out += '\\';
        out += c;
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string markdownCode(std::string_view s) {
  const std::string visible = terminalText(s);
  if (visible.empty()) return "` `";  // "``" would open a fence, not close a span
  std::size_t longest = 0;
  std::size_t run = 0;
  for (const char c : visible) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  const std::string fence(longest + 1, '`');
  // CommonMark strips one space on each side when both are there: pad when the text starts or
  // ends with a backtick (or a space, which would otherwise be eaten)
  const bool pad = !visible.empty() && (visible.front() == '`' || visible.back() == '`' ||
                                        visible.front() == ' ' || visible.back() == ' ');
  const std::string space = pad ? " " : "";
  return fence + space + visible + space + fence;
}

std::string htmlText(std::string_view s) {
  const std::string visible = terminalText(s);
  std::string out;
  out.reserve(visible.size());
  for (const char c : visible) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

bool isValidUtf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const CodePoint cp = decodeAt(s, i);
    if (cp.length == 0) return false;
    i += cp.length;
  }
  return true;
}

std::string utf8Repaired(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    const CodePoint cp = decodeAt(s, i);
    if (cp.length == 0) {
      out += "\xEF\xBF\xBD";  // U+FFFD REPLACEMENT CHARACTER
      ++i;
      continue;
    }
    out.append(s.substr(i, cp.length));
    i += cp.length;
  }
  return out;
}

std::string hexBytes(std::string_view s) {
  std::string out;
  out.reserve(s.size() * 2);
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    out += kHex[c >> 4];
    out += kHex[c & 0x0F];
  }
  return out;
}

void makeJsonSafe(nlohmann::json& j) { makeSafe(j); }

std::string jsonText(const nlohmann::json& j, int indent) {
  nlohmann::json copy = j;
  makeJsonSafe(copy);
  // makeJsonSafe leaves nothing to replace; the handler is a second line of defence only
  const std::string dumped =
      copy.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
  // dump() escapes C0 controls but leaves DEL, C1 controls and bidi overrides raw; they can only
  // stand inside string literals, where \uXXXX means the same: a terminal showing the document
  // obeys none of them
  std::string out;
  out.reserve(dumped.size());
  for (std::size_t i = 0; i < dumped.size();) {
    const CodePoint cp = decodeAt(dumped, i);
    const std::size_t len = cp.length == 0 ? 1 : cp.length;
    if (cp.length != 0 && (cp.value == 0x7F || invisibleControl(cp.value)))
      appendCodePointEscape(out, cp.value);
    else
      out.append(dumped, i, len);
    i += len;
  }
  return out;
}

}  // namespace rdpdoctor
