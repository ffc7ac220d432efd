#include "verb_connect.hpp"

#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "doctor.hpp"
#include "outcome_text.hpp"
#include "rdpdoctor/probe/prober.hpp"
#include "rdpdoctor/report/probe_report.hpp"
#include "rdpdoctor/sdl/viewer.hpp"

#include <sstream>
#include "rdpdoctor/core/isolated_session.hpp"

namespace rdpdoctor::app {

void addConnectVerb(CLI::App& app, ConnectOptions& o) {
  auto* v = app.add_subcommand("connect", "open HOST's desktop in a window (or --headless); the doctor steps in on failure");
  addCommonOptions(*v, o.common, true);
  v->add_flag("--headless", o.headless, "no window: connect up to the goal, report, disconnect");
  v->add_option("--goal", o.goal, "headless goal: authenticated|connected|logged-on|first-frame")
      ->check(CLI::IsMember({"authenticated", "connected", "logged-on", "first-frame"}))
      ->capture_default_str();
  v->add_option("--hold", o.holdSeconds, "headless: keep the session this many seconds after the goal")
      ->check(CLI::NonNegativeNumber);
  v->add_flag("--no-doctor", o.noDoctor, "on failure, report only: do not look for a working combination");
  v->add_option("--save-rdp", o.saveRdp, "when the doctor finds a working combination, save it as an .rdp file");
  v->add_option("--size", o.size, "desktop size WxH (default 1024x768 or the .rdp file's)");
  v->add_option("--reconnect", o.reconnect, "window: reconnection attempts after a network drop (0: none)")
      ->check(CLI::Range(0u, 100u))
      ->capture_default_str();
  v->add_flag("--fullscreen", o.fullscreen, "start full screen (toggle with Ctrl+Alt+Enter)");
  v->add_option("--bpp", o.bpp, "colour depth asked of the server: 15, 16, 24 or 32")
      ->check(CLI::IsMember({15u, 16u, 24u, 32u}));
}

namespace {

/// The first attempt failed in a way another combination may fix: run the doctor (same floor
/// and consent rules as diagnose). Prints the diagnosis; returns it.
Diagnosis runConnectDoctor(const ConnectOptions& o, const SessionRequest& req, const Outcome& first) {
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
  saveWinnerRdp(d, o.saveRdp);
  return d;
}

void applySize(const std::string& size, Profile& p) {
  if (size.empty()) return;
  unsigned w = 0, h = 0;
  char x = 0;
  std::istringstream in(size);
  if (!(in >> w >> x >> h) || x != 'x' || w < 200 || h < 200 || w > 8192 || h > 8192)
    throw UsageError("invalid --size '" + size + "' (WxH, 200..8192)");
  p.width = w;
  p.height = h;
}

std::string titleFor(const Profile& p, const std::string& note) {
  std::string t = (p.user.empty() ? std::string() : p.user + "@") + p.target.display() + " — rdpdoctor (" +
                  p.summary() + ")";
  return note.empty() ? t : t + " — " + note;
}

/// One connection: the window (live session) or a headless attempt in a child process.
/// Whether the server would pick NLA for a negotiate profile: one X.224 exchange (milliseconds).
HostFacts negotiationFacts(const SessionRequest& req) {
  HostFacts f;
  if (req.password.empty() || req.profile.security != Security::Negotiate) return f;
  probe::ProbeOptions po;
  po.requestSets = {0x1 | 0x2};  // SSL | HYBRID, what FreeRDP's negotiate asks for
  po.tls = false;
  po.rdpSecurity = false;
  po.totalTimeout = std::min(std::chrono::milliseconds(3000), req.deadline);
  return hostFactsFrom(probe::probeHost(req.profile.target, po));
}

Outcome attempt(const ConnectOptions& o, const SessionRequest& req, const std::string& note) {
  IsolationOptions iso;
  iso.logLevel = o.common.logLevel;
  SessionRequest r = req;
  if (auto failed = checkCredentialsFirst(req, negotiationFacts(req), iso, r.deadline)) return *failed;
  if (o.headless) return runIsolated(r, iso);
  return sdl::runViewer(r, sdl::ViewerOptions{titleFor(r.profile, note), o.fullscreen});
}

void printConnectJson(const ConnectOptions& o, const SessionRequest& req, const Outcome& out, const Signature& sig,
                      int code) {
  if (o.common.json.empty()) return;
  nlohmann::json j{{"schema", "rdpdoctor/connect@1"}, {"host", req.profile.target.host},
                   {"port", req.profile.target.port}, {"profile", req.profile},
                   {"outcome", out},                  {"signature", sig.id},
                   {"layer", toString(sig.layer)},    {"exit_code", code}};
  writeOutput(o.common.json, j.dump(2));
}

}  // namespace

int runConnect(const ConnectOptions& o) {
  auto logger = makeLogger(o.common.logLevel);
  SessionRequest req;
  req.profile = startingProfile(o.common);
  applySize(o.size, req.profile);
  if (o.bpp != 0) req.profile.colorDepth = o.bpp;
  if (!o.headless) {
    std::string why;
    if (!sdl::displayAvailable(why)) throw UsageError("cannot open a window (" + why + "): use --headless");
    // someone sees the window: an unverifiable certificate is asked about, never silently denied
    if (o.common.cert.empty()) req.profile.cert = CertPolicy::Ask;
  }
  req.password = passwordFrom(o.common, req.profile);
  (void)parseGoal(o.goal, req.goal);
  if (!o.headless) req.goal = Goal::FirstFrame;
  req.deadline = std::chrono::milliseconds(static_cast<std::int64_t>(o.common.timeoutSeconds * 1000));
  req.holdAfterGoal = std::chrono::milliseconds(static_cast<std::int64_t>(o.holdSeconds * 1000));
  req.reconnectAttempts = o.reconnect;
  logger->info("connecting host={} security={} goal={}", req.profile.target.display(),
               toString(req.profile.security), toString(req.goal));
  Outcome out = attempt(o, req, "");
  if (!out.success && out.certificate && needsConsent(out.certificate->decision)) {
    const auto& seen = *out.certificate;
    const std::string validity = certificateValidity(req.profile.target, seen.fingerprint);
    logger->info("the certificate of {}:{} needs consent: {}, valid {}, fingerprint {}", seen.host, seen.port,
                 seen.subject, validity, seen.fingerprint);
    // a terminal first (as before); a window run without one (started from a desktop) asks in a box
    const auto choice = !o.headless && !terminalAvailable() ? sdl::askCertificate(seen, validity)
                                                            : askCertificateConsent(seen, validity);
    if (choice) {
      req.profile.cert = *choice;
      out = attempt(o, req, "");
    }
  }
  Signature sig = classify(out, req.profile, HostFacts{});
  if (!out.success && sig.retryable && !sig.stopsLadder && !o.noDoctor) {
    const auto line = describeOutcome(req.profile, out, sig);
    std::cerr << line.substr(0, line.find('\n')) << std::endl;  // remedies come with the diagnosis
    const Diagnosis d = runConnectDoctor(o, req, out);
    if (!d.ladder.winner) return exitCodeFor(d);
    std::cout << "connecting with a changed combination: " << d.ladder.winner->profile.summary() << " ("
              << d.ladder.winner->why << ")" << std::endl;
    if (o.headless) return exitCodeFor(d);  // the winner's confirmation was that connection
    req.profile = d.ladder.winner->profile;
    out = attempt(o, req, "changed by rdpdoctor: " + d.ladder.winner->why);
    sig = classify(out, req.profile, HostFacts{});
  }
  const int code = exitCodeFor(out, sig);
  printConnectJson(o, req, out, sig, code);
  if (o.common.json != "-") std::cout << describeOutcome(req.profile, out, sig) << std::endl;
  if (!o.headless && out.success && out.errinfo != 0)
    std::cout << "the server ended the session: " << out.errinfoName << std::endl;
  if (!o.headless && out.success && out.connectionLost) {
    std::cout << "the connection was lost: " << out.detail << std::endl;
    return 1;
  }
  return code;
}

}  // namespace rdpdoctor::app
