#include "verb_probe.hpp"

#include <unistd.h>

#include <atomic>
#include <iostream>

#include "outcome_text.hpp"
#include "rdpdoctor/probe/probe_verdict.hpp"
#include "rdpdoctor/probe/prober.hpp"
#include "rdpdoctor/probe/scan_engine.hpp"
#include "rdpdoctor/report/probe_report.hpp"

namespace rdpdoctor::app {

void addProbeVerb(CLI::App& app, ProbeOptions& o) {
  auto* v = app.add_subcommand(
      "probe",
      "pre-flight without credentials: name, TCP, X.224, TLS and certificate, "
      "standard RDP security (exit 0 works, 1 no RDP, 2 usage, 5 timeout, 6 unreachable)");
  o.common.timeoutSeconds = 10;
  addCommonOptions(*v, o.common, true, Credentials::Ignored);
  v->add_option("--step-timeout", o.stepTimeout,
                "deadline of one step (resolve, TCP, negotiation, TLS/RDP checks) in seconds")
      ->check(secondsValidator())
      ->capture_default_str();
  v->add_option("--parallel", o.parallel,
                "connections in flight to one address (xrdp's backlog of 2 copes with 3)")
      ->check(CLI::Range(1U, 16U))
      ->capture_default_str();
  v->add_flag("--no-tls", o.noTls, "skip the TLS version and certificate checks");
  v->add_flag("--no-rdp-security", o.noRdpSecurity,
              "skip the standard RDP security encryption methods");
}

namespace {

std::chrono::milliseconds ms(double seconds) {
  return std::chrono::milliseconds(static_cast<std::int64_t>(seconds * 1000));
}

int exitCode(probe::ProbeAnswer a) {
  switch (a) {
    case probe::ProbeAnswer::Works:
      return kExitOk;
    case probe::ProbeAnswer::NoRdp:
      return kExitNoConnection;
    case probe::ProbeAnswer::Timeout:
      return kExitTimeout;
    case probe::ProbeAnswer::Unreachable:
      return kExitUnreachable;
  }
  return kExitNoConnection;
}

}  // namespace

int runProbe(const ProbeOptions& o) {
  auto logger = makeLogger(o.common.logLevel);
  const Profile start = startingProfile(o.common);
  if (const auto gw = rdGatewayOf(o.common); !gw.empty())
    return reportNotTried(o.common.host, signatureOf(SignatureId::RdGateway, {gw}), std::cerr);
  if (!o.common.user.empty() || !o.common.domain.empty() || !o.common.passwordFile.empty())
    std::cerr
        << "rdpdoctor: probe sends no credentials: --user, --domain and --password-file are ignored"
        << std::endl;
  probe::ProbeOptions po;
  po.totalTimeout = ms(o.common.timeoutSeconds);
  po.stepTimeout = std::min(ms(o.stepTimeout), po.totalTimeout);
  po.connectionsPerAddress = o.parallel;
  po.tls = !o.noTls;
  po.rdpSecurity = !o.noRdpSecurity;
  logger->info("probe host={} port={} timeout_ms={} step_ms={}", start.target.host,
               start.target.port, po.totalTimeout.count(), po.stepTimeout.count());
  // the one engine of probe and scan: a single host is a scan of one
  probe::ScanOptions so;
  so.probe = po;
  so.concurrency = 1;
  const std::atomic<bool> never{false};
  probe::ProbeResult result;
  (void)probe::scanHosts({start.target}, so, never,
                         [&](std::size_t, const probe::ProbeResult& r) { result = r; });
  const auto answer = probe::answerOf(result);
  logger->info("probe done answer={} elapsed_ms={}", probe::toString(answer), result.elapsedMs);
  if (!o.common.json.empty()) writeOutput(o.common.json, jsonText(probeToJson(result), 2));
  if (o.common.json != "-")
    std::cout << renderProbeText(result, colourWanted(STDOUT_FILENO)) << std::flush;
  return exitCode(answer);
}

}  // namespace rdpdoctor::app
