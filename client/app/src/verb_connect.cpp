#include "verb_connect.hpp"

#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "doctor.hpp"
#include "outcome_text.hpp"
#include "rdpdoctor/core/rdp_file.hpp"
#include "rdpdoctor/core/isolated_session.hpp"

namespace rdpdoctor::app {

void addConnectVerb(CLI::App& app, ConnectOptions& o) {
  auto* v = app.add_subcommand("connect", "connect to HOST (headless for now: --headless)");
  addCommonOptions(*v, o.common, true);
  v->add_flag("--headless", o.headless, "no window: connect up to the goal, report, disconnect");
  v->add_option("--goal", o.goal, "headless goal: authenticated|connected|logged-on|first-frame")
      ->check(CLI::IsMember({"authenticated", "connected", "logged-on", "first-frame"}))
      ->capture_default_str();
  v->add_option("--hold", o.holdSeconds, "headless: keep the session this many seconds after the goal")
      ->check(CLI::NonNegativeNumber);
  v->add_flag("--no-doctor", o.noDoctor, "on failure, report only: do not look for a working combination");
  v->add_option("--save-rdp", o.saveRdp, "when the doctor finds a working combination, save it as an .rdp file");
}

namespace {

/// The first attempt failed in a way another combination may fix: run the doctor (same floor
/// and consent rules as diagnose), and connect with the first proven combination.
int connectWithDoctor(const ConnectOptions& o, SessionRequest& req, const Outcome& first) {
  Diagnosis d;
  d.original = req.profile;
  auto floor = parseFloor(o.common.minSecurity);
  if (!floor) throw UsageError(floor.error().message());
  d.floor = *floor;
  d.haveCredentials = !req.password.empty() && !req.profile.user.empty();
  DoctorRun run;
  run.attemptDeadline = req.deadline;
  run.budget = std::chrono::milliseconds(static_cast<std::int64_t>(o.common.timeoutSeconds * 4000));
  run.logLevel = o.common.logLevel;
  run.knownOriginal = first;
  std::cerr << "rdpdoctor: the connection failed; looking for a combination that works (floor "
            << toString(d.floor) << ")" << std::endl;
  runDoctor(d, req.password, run);
  if (!o.common.json.empty()) writeOutput(o.common.json, toJson(d).dump(2));
  if (o.common.json != "-") std::cout << renderText(d, ::isatty(STDOUT_FILENO) != 0);
  if (d.ladder.winner) {
    std::cout << "connected with a changed combination: " << d.ladder.winner->profile.summary() << " ("
              << d.ladder.winner->why << ")" << std::endl;
    if (!o.saveRdp.empty()) {
      RdpFile f;
      applyProfileToRdp(d.ladder.winner->profile, f);
      if (auto st = writeRdpFile(o.saveRdp, f); !st.ok()) throw UsageError(st.error().message());
    }
  }
  return exitCodeFor(d);
}

}  // namespace

int runConnect(const ConnectOptions& o) {
  if (!o.headless) throw UsageError("the window lands with the SDL2 client; use --headless for now");
  auto logger = makeLogger(o.common.logLevel);
  SessionRequest req;
  req.profile = startingProfile(o.common);
  req.password = passwordFrom(o.common, req.profile);
  (void)parseGoal(o.goal, req.goal);
  req.deadline = std::chrono::milliseconds(static_cast<std::int64_t>(o.common.timeoutSeconds * 1000));
  req.holdAfterGoal = std::chrono::milliseconds(static_cast<std::int64_t>(o.holdSeconds * 1000));
  IsolationOptions iso;
  iso.logLevel = o.common.logLevel;
  logger->info("connecting host={} security={} goal={}", req.profile.target.display(),
               toString(req.profile.security), toString(req.goal));
  Outcome out = runIsolated(req, iso);
  if (!out.success && out.certificate && out.certificate->decision == "needs-consent") {
    if (auto choice = askCertificateConsent(*out.certificate)) {
      req.profile.cert = *choice;
      out = runIsolated(req, iso);
    }
  }
  const Signature sig = classify(out, req.profile, HostFacts{});
  if (!out.success && sig.retryable && !sig.stopsLadder && !o.noDoctor) {
    const auto line = describeOutcome(req.profile, out, sig);
    std::cerr << line.substr(0, line.find('\n')) << std::endl;  // remedies come with the diagnosis
    return connectWithDoctor(o, req, out);
  }
  const int code = exitCodeFor(out, sig);
  if (!o.common.json.empty()) {
    nlohmann::json j{{"schema", "rdpdoctor/connect@1"},
                     {"host", req.profile.target.host},
                     {"port", req.profile.target.port},
                     {"profile", req.profile},
                     {"outcome", out},
                     {"signature", sig.id},
                     {"layer", toString(sig.layer)},
                     {"exit_code", code}};
    writeOutput(o.common.json, j.dump(2));
  }
  if (o.common.json != "-") std::cout << describeOutcome(req.profile, out, sig) << std::endl;
  return code;
}

}  // namespace rdpdoctor::app
