#pragma once
// `rdpdoctor explain CODE [--extended CODE] [--json FILE|-]`: what a pasted code means.
#include <optional>
#include <string>

#include "cli_common.hpp"

namespace rdpdoctor::app {

struct ExplainOptions {
  std::string code;
  std::string extended;  // empty: not given
  std::string json;
};

void addExplainVerb(CLI::App& app, ExplainOptions& o);
/// Exit codes: 0 the code is known, 1 it is in no table (what its structure tells is printed),
/// 2 usage.
[[nodiscard]] int runExplain(const ExplainOptions& o);

}  // namespace rdpdoctor::app
