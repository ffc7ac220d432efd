#include "verb_diagnose.hpp"

#include <unistd.h>

#include <iostream>

#include "doctor.hpp"
#include "rdpdoctor/report/diagnosis.hpp"
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
  runDoctor(d, password, run);
  // an NLA host and no credentials: ask on a terminal (as mstsc does) and diagnose with them
  if (d.ladder.stoppedBy == "credentials-missing" &&
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
  if (o.common.json != "-") std::cout << "\n" << renderText(d, colourWanted(STDOUT_FILENO));
  return exitCodeFor(d);
}

}  // namespace rdpdoctor::app
