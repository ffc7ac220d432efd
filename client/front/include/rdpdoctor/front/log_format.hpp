#pragma once
// Log lines a person reads: every byte a server or a file sent is made visible, never obeyed.
#include <spdlog/formatter.h>

#include <memory>
#include <string>

namespace rdpdoctor {

/// A pattern formatter whose flag `%*` is the message with terminalText applied (every control
/// byte and escape sequence made visible): use it instead of `%v` for any sink a person reads.
[[nodiscard]] std::unique_ptr<spdlog::formatter> terminalSafeLogFormatter(
    const std::string& pattern);

}  // namespace rdpdoctor
