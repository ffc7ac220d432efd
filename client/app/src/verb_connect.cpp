#include "verb_connect.hpp"

#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "outcome_text.hpp"
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
}

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
