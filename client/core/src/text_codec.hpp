#pragma once
#include <string>
#include <string_view>

namespace rdpdoctor {

/// UTF-16LE bytes (no BOM) -> UTF-8; surrogate pairs joined, a lone trailing byte dropped.
[[nodiscard]] std::string utf16leToUtf8(std::string_view in);
/// UTF-8 -> UTF-16LE bytes (no BOM).
[[nodiscard]] std::string utf8ToUtf16le(std::string_view in);

}  // namespace rdpdoctor
