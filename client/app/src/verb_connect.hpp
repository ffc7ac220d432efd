#pragma once
#include "cli_common.hpp"

namespace rdpdoctor::app {

struct ConnectOptions {
  CommonOptions common;
  bool headless = false;
  std::string goal = "first-frame";
  double holdSeconds = 0;
  unsigned reconnect = 10;  // window: reconnection attempts after a network drop (0: none)
  bool noDoctor = false;
  std::string saveRdp;
  std::string bundle;  // on failure: the doctor's escalation bundle (bundle.hpp)
  bool keepUserNames = false;
  std::string size;  // WxH
  bool fullscreen = false;
  unsigned bpp = 0;  // 0: 32 or the .rdp file's
};

void addConnectVerb(CLI::App& app, ConnectOptions& o);
[[nodiscard]] int runConnect(const ConnectOptions& o);

}  // namespace rdpdoctor::app
