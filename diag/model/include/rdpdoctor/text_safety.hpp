#pragma once
// Server-controlled text (certificate fields, errinfo, FreeRDP's log lines, .rdp values) is data,
// never markup: the one place that turns any byte string into text that is safe for a terminal, a
// Markdown or HTML page, or a JSON document. Pure functions, no I/O; every renderer uses them.
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace rdpdoctor {

/// One line for a terminal: every byte of `s` is shown, none is obeyed. C0 controls become
/// `\n`, `\r`, `\t` or `\xNN` (ESC is `\x1b`, NUL `\x00`), DEL `\x7f`; C1 controls
/// (U+0080..U+009F), line/paragraph separators and bidirectional overrides become `\uXXXX`; a byte
/// that is not part of valid UTF-8 (also an overlong form or a surrogate) becomes `\xNN`.
/// Everything else is kept byte for byte (backslashes too), so the function is idempotent and a
/// newline in a value can never start a line of its own.
[[nodiscard]] std::string terminalText(std::string_view s);

/// Inline Markdown (a paragraph or a table cell): terminalText, then every inline metacharacter
/// (\ ` * _ [ ] | ~ and, as entities, < > &) escaped, so the value renders as the literal text.
[[nodiscard]] std::string markdownText(std::string_view s);

/// A Markdown code span holding terminalText(s), with a backtick fence longer than any run of
/// backticks inside it.
[[nodiscard]] std::string markdownCode(std::string_view s);

/// HTML text or attribute content: terminalText, then & < > " ' as entities.
[[nodiscard]] std::string htmlText(std::string_view s);

/// True when `s` is well-formed UTF-8 (no overlong forms, no surrogates, nothing above U+10FFFF).
[[nodiscard]] bool isValidUtf8(std::string_view s);

/// `s` with every byte that is not part of valid UTF-8 replaced by U+FFFD.
[[nodiscard]] std::string utf8Repaired(std::string_view s);

/// Lower-case hex of every byte of `s`, no separators ("ff00" for "\xff\0").
[[nodiscard]] std::string hexBytes(std::string_view s);

/// Makes every string of `j` valid UTF-8, so dump() cannot throw: a member value that was not is
/// replaced by utf8Repaired() and gains a sibling `<key>_hex` with the raw bytes in hex; for an
/// array of strings the sibling is an array of the same length (hex, or null for valid entries).
/// Invalid object keys are repaired in place (no sibling).
void makeJsonSafe(nlohmann::json& j);

/// makeJsonSafe on a copy of `j`, then dump(indent), with DEL, C1 controls and the code points
/// terminalText escapes written as \uXXXX: a JSON document whatever bytes a host sent, and one
/// that is safe to print on a terminal (`--json -`). It parses to makeJsonSafe(j).
[[nodiscard]] std::string jsonText(const nlohmann::json& j, int indent = -1);

}  // namespace rdpdoctor
