#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace rdpdoctor {

/// UTF-16LE bytes (no BOM) -> UTF-8; surrogate pairs joined, a lone trailing byte dropped.
[[nodiscard]] std::string utf16leToUtf8(std::string_view in);
/// UTF-8 -> UTF-16LE bytes (no BOM).
[[nodiscard]] std::string utf8ToUtf16le(std::string_view in);
/// The offset of the first byte that is not well-formed UTF-8 (RFC 3629: no overlong forms, no
/// surrogates, nothing above U+10FFFF), or nullopt when all of `in` is. A lone UTF-16 surrogate
/// that utf16leToUtf8 passed through is caught here.
[[nodiscard]] std::optional<std::size_t> firstInvalidUtf8(std::string_view in);

}  // namespace rdpdoctor
