#pragma once
// Oracles shared by the text-safety fuzz targets, written apart from the code they check.
#include <cstddef>
#include <string_view>

#include "fuzz_check.hpp"

namespace rdpdoctor::fuzz {

/// No byte a terminal would obey: no C0 control (not even '\n'), no DEL, no C1 control as UTF-8,
/// no U+2028/U+2029 or bidi override, and nothing that is not well-formed UTF-8.
inline void requireTerminalSafe(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    require(c >= 0x20 && c != 0x7F);
    if (c < 0x80) {
      ++i;
      continue;
    }
    const std::size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
    require(n != 0 && c <= 0xF4 && i + n <= s.size());
    for (std::size_t k = 1; k < n; ++k)
      require((static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80);
    const auto c1 = static_cast<unsigned char>(s[i + 1]);
    if (c == 0xE0) require(c1 >= 0xA0);
    if (c == 0xED) require(c1 <= 0x9F);
    if (c == 0xF0) require(c1 >= 0x90);
    if (c == 0xF4) require(c1 <= 0x8F);
    if (c == 0xC2) require(c1 > 0x9F);  // U+0080..U+009F
    if (c == 0xE2 && c1 == 0x80) {
      const auto c2 = static_cast<unsigned char>(s[i + 2]);
      require(c2 != 0xA8 && c2 != 0xA9 && !(c2 >= 0xAA && c2 <= 0xAE));  // U+2028/9, U+202A..E
    }
    i += n;
  }
}

}  // namespace rdpdoctor::fuzz
