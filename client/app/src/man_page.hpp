#pragma once
// rdpdoctor(1) and the bash completion, generated from the CLI11 definitions the CLI parses with
// (hidden `rdpdoctor --man`, `--bash-completion` and `--zsh-completion`; the package build runs
// them).
#include <CLI/CLI.hpp>
#include <string>

namespace rdpdoctor::app {

/// The man page in roff (man(7)): every verb, its options with their defaults and allowed values,
/// the exit codes, the environment variables and the files.
[[nodiscard]] std::string manPage(const CLI::App& app, const std::string& version);
/// A bash completion script: verbs, each verb's options, the values of the options that take a
/// fixed set, .rdp files for HOST, and the remembered hosts (`rdpdoctor hosts --names`).
[[nodiscard]] std::string bashCompletion(const CLI::App& app);
/// The same for zsh (`rdpdoctor --zsh-completion`, installed as vendor-completions/_rdpdoctor).
[[nodiscard]] std::string zshCompletion(const CLI::App& app);

}  // namespace rdpdoctor::app
