#include "verb_diagnose.hpp"

#include <unistd.h>

#include <iostream>
#include <optional>

#include "bundle.hpp"
#include "doctor.hpp"
#include "outcome_text.hpp"
#include "rdpdoctor/probe/capture.hpp"
#include "rdpdoctor/report/diagnosis.hpp"
#include "stderr_tee.hpp"
#include "verb_hosts.hpp"

namespace rdpdoctor::app {

void addDiagnoseVerb(CLI::App& app, DiagnoseOptions& o) {
  auto* v = app.add_subcommand(
      "diagnose", "probe HOST, try the combinations, report what works and why the others fail");
  o.common.timeoutSeconds = 120;
  addCommonOptions(*v, o.common, true);
  v->add_flag("--exhaustive", o.exhaustive, "try every rung, even after a confirmed winner");
  v->add_option("--markdown", o.markdown, "write the report as Markdown to FILE");
  v->add_option("--html", o.html, "write the report as a self-contained HTML page to FILE");
  v->add_option("--save-rdp", o.saveRdp, "write the working combination as an mstsc .rdp file");
  v->add_option("--attempt-timeout", o.attemptTimeout, "deadline of one attempt in seconds")
      ->check(secondsValidator())
      ->capture_default_str();
  v->add_flag("--no-probe", o.noProbe, "skip the pre-flight probe (try every rung blindly)");
  v->add_option("--bundle", o.bundle,
                "write FILE.tar.gz for a ticket: the reports, every attempt, the probe, versions, "
                "OpenSSL settings, the probe's handshakes and one credential-free session with the "
                "winner as pcapng with their TLS key log (never the password; user names "
                "redacted)");
  v->add_flag("--keep-user-names", o.keepUserNames, "do not redact user names in the --bundle");
}

namespace {

std::chrono::milliseconds ms(double seconds) {
  return std::chrono::milliseconds(static_cast<std::int64_t>(seconds * 1000));
}

void writeReports(const Diagnosis& d, const DiagnoseOptions& o) {
  if (!o.common.json.empty()) writeOutput(o.common.json, jsonText(toJson(d), 2));
  if (!o.markdown.empty()) writeOutput(o.markdown, renderMarkdown(d));
  if (!o.html.empty()) writeOutput(o.html, renderHtml(d));
  saveWinnerRdp(d, o.saveRdp, o.common.host);
  rememberWinner(d);
}

}  // namespace

int runDiagnose(const DiagnoseOptions& o) {
  auto logger = makeLogger(o.common.logLevel);
  Diagnosis d;
  d.original = startingProfile(o.common);
  d.floor = floorFor(o.common, d.original);
  d.command = "rdpdoctor diagnose " + o.common.host;
  if (const auto gw = rdGatewayOf(o.common); !gw.empty()) {
    // nothing is tried against the host behind the gateway: that is the whole diagnosis
    Attempt notTried{Rung{d.original, "the original settings", false}, {}, {}, false, "", false};
    notTried.outcome.detail = "not tried: the RD Gateway " + gw + " is needed";
    notTried.notAttempted = true;
    notTried.skipReason = "the RD Gateway " + gw + " is needed";
    notTried.signature = signatureOf(SignatureId::RdGateway, {gw});
    d.ladder.attempts.push_back(notTried);
    d.ladder.stoppedBy = {StopReason::Signature, SignatureId::RdGateway};
    summarize(d);
    (void)reportNotTried(o.common.host, notTried.signature, std::cerr);
    writeReports(d, o);
    if (o.common.json != "-") std::cout << "\n" << renderText(d, colourWanted(STDOUT_FILENO));
    return exitCodeFor(d);
  }
  Secret password = passwordFrom(o.common, d.original);
  d.haveCredentials = !password.empty() && !d.original.user.empty();
  std::cerr << "diagnosing " << terminalText(d.original.target.display()) << " (floor "
            << toString(d.floor)
            << (d.haveCredentials ? ", with credentials" : ", no credentials: logons are not tried")
            << ")\n";
  DoctorRun run;
  run.exhaustive = o.exhaustive;
  run.probe = !o.noProbe;
  run.attemptDeadline = ms(o.attemptTimeout);
  run.budget = ms(o.common.timeoutSeconds);
  run.logLevel = o.common.logLevel;
  std::optional<StderrTee> tee;  // --bundle: the attempts at trace level, the terminal unchanged
  if (!o.bundle.empty()) {
    run.logLevel = "trace";
    tee.emplace(o.common.logLevel);
  }
  if (!o.bundle.empty()) probe::startCapture();
  runDoctor(d, password, run);
  // an NLA host and no credentials: ask on a terminal (as mstsc does) and diagnose with them
  if (d.ladder.stoppedBy.by(SignatureId::CredentialsMissing) &&
      askCredentials(d.original.target, d.original.user, password)) {
    Diagnosis again;
    again.original = d.original;
    again.floor = d.floor;
    again.command = d.command;
    again.haveCredentials = true;
    d = std::move(again);
    runDoctor(d, password, run);
  }
  writeReports(d, o);
  if (!o.bundle.empty()) {
    const auto session = recordWinnerSession(d, run.logLevel, run.attemptDeadline);
    const auto capture = probe::stopCapture();
    const std::string trace = tee ? tee->finish() : std::string();
    writeBundle({o.bundle, o.keepUserNames, d.original.user, d.original.domain}, d, capture,
                session, password, trace);
    std::cerr << "bundle written to " << terminalText(o.bundle) << "\n";
  }
  if (o.common.json != "-") std::cout << "\n" << renderText(d, colourWanted(STDOUT_FILENO));
  return exitCodeFor(d);
}

}  // namespace rdpdoctor::app
