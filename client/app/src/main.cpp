// rdpdoctor: an RDP client that diagnoses error 0x904/0x7. CLI, verbs and exit codes.
#include <cstring>
#include <iostream>

#include "cli_common.hpp"
#include "rdpdoctor/core/isolated_session.hpp"
#include "rdpdoctor/core/wlog_bridge.hpp"
#include "verb_connect.hpp"
#include "verb_diagnose.hpp"
#include "verb_probe.hpp"

#ifndef RDPDOCTOR_VERSION
#define RDPDOCTOR_VERSION "0.0.0"
#endif

int main(int argc, char** argv) {
  using namespace rdpdoctor;
  using namespace rdpdoctor::app;
  if (argc >= 2 && std::strcmp(argv[1], kAttemptVerb) == 0) return attemptChildMain();

  CLI::App cli{"rdpdoctor: connects where others fail, and says why"};
  cli.set_version_flag("--version", std::string("rdpdoctor ") + RDPDOCTOR_VERSION + " (FreeRDP 2.11)");
  cli.require_subcommand(1);
  app::ConnectOptions connect;
  addConnectVerb(cli, connect);
  app::DiagnoseOptions diagnose;
  addDiagnoseVerb(cli, diagnose);
  app::ProbeOptions probe;
  addProbeVerb(cli, probe);
  try {
    cli.parse(argc, argv);
    const auto& level = cli.got_subcommand("diagnose") ? diagnose.common.logLevel : connect.common.logLevel;
    routeWlogTo(makeLogger(level));
    if (cli.got_subcommand("connect")) return runConnect(connect);
    if (cli.got_subcommand("diagnose")) return runDiagnose(diagnose);
    if (cli.got_subcommand("probe")) return runProbe(probe);
  } catch (const CLI::ParseError& e) {
    const int rc = cli.exit(e);
    return rc == 0 ? kExitOk : kExitUsage;
  } catch (const UsageError& e) {
    std::cerr << "rdpdoctor: " << terminalText(e.what()) << std::endl;
    return kExitUsage;
  } catch (const std::exception& e) {
    std::cerr << "rdpdoctor: internal error: " << terminalText(e.what()) << std::endl;
    return kExitInternal;
  }
  return kExitUsage;
}
