#pragma once
// What people type before CLI11 sees it: a password on the command line (refused, never echoed),
// mstsc/xfreerdp habits (/v:host), `rdpdoctor help [verb]`, a mistyped verb.
#include <CLI/CLI.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rdpdoctor::app {

/// The exit codes, for --help (one line each).
[[nodiscard]] std::string exitCodesHelp();
/// The verb closest to `typed` within two edits ("diagnos" -> "diagnose"), or nullopt.
[[nodiscard]] std::optional<std::string> closestVerb(std::string_view typed,
                                                     const std::vector<std::string>& verbs);
/// Looks at the arguments before parsing. Returns an exit code when the run ends here (having
/// printed why), nullopt to go on parsing.
[[nodiscard]] std::optional<int> screenArguments(const std::vector<std::string>& args,
                                                 CLI::App& cli);

}  // namespace rdpdoctor::app
