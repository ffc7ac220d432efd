#pragma once
#include "cli_common.hpp"

namespace rdpdoctor::app {

struct DiagnoseOptions {
  CommonOptions common;
  bool exhaustive = false;
  std::string markdown;
  std::string html;
  std::string saveRdp;
  double attemptTimeout = 15;
  bool noProbe = false;
  std::string bundle;  // FILE.tar.gz: everything for escalation (bundle.hpp)
  bool keepUserNames = false;
};

void addDiagnoseVerb(CLI::App& app, DiagnoseOptions& o);
[[nodiscard]] int runDiagnose(const DiagnoseOptions& o);

}  // namespace rdpdoctor::app
