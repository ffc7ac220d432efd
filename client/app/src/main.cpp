// rdpdoctor: an RDP client that diagnoses error 0x904/0x7. CLI, verbs and exit codes.
#include <iostream>

#include "bundle.hpp"
#include "cli_common.hpp"
#include "cli_habits.hpp"
#include "man_page.hpp"
#include "rdpdoctor/front/session_process.hpp"
#include "verb_connect.hpp"
#include "verb_diagnose.hpp"
#include "verb_explain.hpp"
#include "verb_hosts.hpp"
#include "verb_probe.hpp"
#include "verb_scan.hpp"

#ifndef RDPDOCTOR_VERSION
#define RDPDOCTOR_VERSION "0.0.0"
#endif

int main(int argc, char** argv) {
  using namespace rdpdoctor;
  using namespace rdpdoctor::app;
  rememberCommandLine(argc, argv);

  CLI::App cli{"rdpdoctor: connects where others fail, and says why", "rdpdoctor"};
  // the FreeRDP the session process links (asked only when --version is given)
  cli.set_version_flag(
      "--version",
      [] {
        return std::string("rdpdoctor ") + RDPDOCTOR_VERSION + " (FreeRDP " +
               sessionFreerdpVersion() + ")";
      },
      "Display program version information and exit");
  cli.require_subcommand(1);
  cli.footer(exitCodesHelp());
  app::ConnectOptions connect;
  addConnectVerb(cli, connect);
  app::DiagnoseOptions diagnose;
  addDiagnoseVerb(cli, diagnose);
  app::ProbeOptions probe;
  addProbeVerb(cli, probe);
  app::ExplainOptions explain;
  addExplainVerb(cli, explain);
  app::ScanVerbOptions scan;
  addScanVerb(cli, scan);
  app::HostsOptions hosts;
  addHostsVerb(cli, hosts);
  for (auto* verb : cli.get_subcommands([](const CLI::App*) { return true; }))
    verb->footer(exitCodesHelp());
  // hidden: the package build writes rdpdoctor(1) and the bash completion from these definitions
  if (argc == 2 && std::strcmp(argv[1], "--man") == 0) {
    std::cout << manPage(cli, RDPDOCTOR_VERSION);
    return kExitOk;
  }
  if (argc == 2 && std::strcmp(argv[1], "--bash-completion") == 0) {
    std::cout << bashCompletion(cli);
    return kExitOk;
  }
  if (argc == 2 && std::strcmp(argv[1], "--zsh-completion") == 0) {
    std::cout << zshCompletion(cli);
    return kExitOk;
  }
  try {
    if (auto ended = screenArguments(std::vector<std::string>(argv + 1, argv + argc), cli))
      return *ended;
    cli.parse(argc, argv);
    const auto& level =
        cli.got_subcommand("diagnose") ? diagnose.common.logLevel : connect.common.logLevel;
    (void)makeLogger(level);
    if (cli.got_subcommand("connect")) return runConnect(connect);
    if (cli.got_subcommand("diagnose")) return runDiagnose(diagnose);
    if (cli.got_subcommand("probe")) return runProbe(probe);
    if (cli.got_subcommand("explain")) return runExplain(explain);
    if (cli.got_subcommand("scan")) return runScan(scan);
    if (cli.got_subcommand("hosts")) return runHosts(hosts);
  } catch (const CLI::CallForHelp& e) {
    return cli.exit(e) == 0 ? kExitOk : kExitUsage;
  } catch (const CLI::CallForAllHelp& e) {
    return cli.exit(e) == 0 ? kExitOk : kExitUsage;
  } catch (const CLI::CallForVersion& e) {
    return cli.exit(e) == 0 ? kExitOk : kExitUsage;
  } catch (const CLI::ParseError& e) {
    // one line: what was wrong, and where the help is
    std::cerr << "rdpdoctor: " << e.what() << " (rdpdoctor " << (argc > 1 ? argv[1] : "")
              << " --help)" << std::endl;
    return kExitUsage;
  } catch (const UsageError& e) {
    std::cerr << "rdpdoctor: " << terminalText(e.what()) << std::endl;
    // started from a desktop (an .rdp file opened): nobody reads stderr, the box says it
    if (cli.got_subcommand("connect") && !connect.headless && !terminalAvailable())
      showMessageInWindow("rdpdoctor - cannot connect", "rdpdoctor: " + terminalText(e.what()));
    return kExitUsage;
  } catch (const std::exception& e) {
    std::cerr << "rdpdoctor: internal error: " << terminalText(e.what()) << std::endl;
    return kExitInternal;
  }
  return kExitUsage;
}
