#include "verb_connect.hpp"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cstdio>
#include <functional>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "bundle.hpp"
#include "doctor.hpp"
#include "outcome_text.hpp"
#include "rdpdoctor/probe/capture.hpp"
#include "rdpdoctor/probe/prober.hpp"
#include "rdpdoctor/report/probe_report.hpp"
#include "rdpdoctor/verdict/host_facts_from.hpp"
#include "verb_hosts.hpp"

namespace rdpdoctor::app {

void addConnectVerb(CLI::App& app, ConnectOptions& o) {
  auto* v = app.add_subcommand(
      "connect", "open HOST's desktop in a window (or --headless); the doctor steps in on failure");
  addCommonOptions(*v, o.common, true);
  v->add_flag("--headless", o.headless, "no window: connect up to the goal, report, disconnect");
  v->add_option("--goal", o.goal, "headless goal: authenticated|connected|logged-on|first-frame")
      ->check(CLI::IsMember({"authenticated", "connected", "logged-on", "first-frame"}))
      ->capture_default_str();
  v->add_option("--hold", o.holdSeconds,
                "headless: keep the session this many seconds after the goal")
      ->check(secondsValidator(true));
  v->add_flag("--no-doctor", o.noDoctor,
              "on failure, report only: do not look for a working combination");
  v->add_option("--save-rdp", o.saveRdp,
                "when the doctor finds a working combination, save it as an .rdp file");
  v->add_option("--bundle", o.bundle,
                "on failure, write the doctor's findings as FILE.tar.gz for a ticket (as "
                "diagnose --bundle)");
  v->add_flag("--keep-user-names", o.keepUserNames, "do not redact user names in the --bundle");
  v->add_option("--size", o.size, "desktop size WxH (default 1024x768 or the .rdp file's)");
  v->add_option("--reconnect", o.reconnect,
                "window: reconnection attempts after a network drop (0: none)")
      ->check(CLI::Range(0u, 100u))
      ->capture_default_str();
  v->add_flag("--fullscreen", o.fullscreen, "start full screen (toggle with Ctrl+Alt+Enter)");
  v->add_option("--bpp", o.bpp, "colour depth asked of the server: 15, 16, 24 or 32")
      ->check(CLI::IsMember({15u, 16u, 24u, 32u}));
}

namespace {

/// Who answers the certificate question: the terminal; a window run without one (started from
/// a desktop) asks in the window's box.
std::optional<CertPolicy> askAboutCertificate(const ConnectOptions& o, const CertificateSeen& seen,
                                              const std::string& validity) {
  return !o.headless && !terminalAvailable() ? askCertificateInWindow(seen, validity)
                                             : askCertificateConsent(seen, validity);
}

/// The certificate question of one connect run: asked once, on whichever connection meets the
/// certificate first (in-band: that connection goes on with the answer); the answer holds for
/// every later connection of the run.
struct CertificateConsent {
  bool asked = false;
  std::optional<CertPolicy> choice;  // nullopt: "no"
};

/// Asks (once per run) as the terminal or the window asks, logging what is asked about.
std::optional<CertPolicy> askOnce(const ConnectOptions& o, CertificateConsent& consent,
                                  const CertificateSeen& seen, const std::string& validity) {
  if (consent.asked) return consent.choice;
  consent.asked = true;
  if (auto logger = spdlog::get("rdpdoctor"))
    logger->info("the certificate of {}:{} needs consent: {}, valid {}, fingerprint {}", seen.host,
                 seen.port, seen.subject, validity, seen.fingerprint);
  consent.choice = askAboutCertificate(o, seen, validity);
  return consent.choice;
}

/// No terminal and a window wanted: the run was started from a desktop (an .rdp file opened).
bool fromDesktop(const ConnectOptions& o) { return !o.headless && !terminalAvailable(); }

IsolationOptions isolationFor(const ConnectOptions& o) {
  IsolationOptions iso;
  iso.logLevel = o.common.logLevel;
  return iso;
}

/// What the credentials question gave.
struct Asked {
  bool given = false;
  bool shown = false;     // a window asked (nothing given: the person cancelled)
  bool remember = false;  // keep the password in the keyring once it worked
  bool fromKeyring = false;
};

/// Credentials for a host that needs them: the terminal asks, as mstsc does; without one, the
/// keyring (when `keyring`), else the session process's window.
Asked askForCredentials(const ConnectOptions& o, SessionRequest& req, bool keyring,
                        const std::string& note) {
  if (!fromDesktop(o))
    return Asked{askCredentials(req.profile.target, req.profile.user, req.password)};
  auto g = askCredentialsInWindow(req.profile.target, req.profile.user, req.profile.domain, keyring,
                                  note, isolationFor(o));
  if (!g) return Asked{false, true};
  req.profile.user = g->user;
  req.profile.domain = g->domain;
  req.password = std::move(g->password);
  return Asked{true, !g->fromKeyring, g->remember, g->fromKeyring};
}

/// `lines` lines of `text` from line `from` (0-based), empty lines skipped.
std::string linesOf(const std::string& text, std::size_t from, std::size_t lines) {
  std::istringstream in(text);
  std::string out;
  std::size_t n = 0, taken = 0;
  for (std::string line; taken < lines && std::getline(in, line); ++n) {
    if (n < from || line.empty()) continue;
    out += (out.empty() ? "" : "\n") + line;
    ++taken;
  }
  return out;
}

/// Without a terminal the verdict goes to a message box too: the short verdict the terminal
/// shows first (already escaped), never the whole report.
void verdictBox(const ConnectOptions& o, const HostSpec& target, const std::string& text) {
  if (!fromDesktop(o)) return;
  showMessageInWindow("rdpdoctor - cannot connect to " + terminalText(target.display()), text,
                      isolationFor(o));
}

/// The first attempt failed in a way another combination may fix: run the doctor (same floor
/// and consent rules as diagnose). Prints the diagnosis; returns it.
Diagnosis runConnectDoctor(const ConnectOptions& o, const SessionRequest& req, const Outcome& first,
                           std::chrono::milliseconds budget) {
  Diagnosis d;
  d.original = req.profile;
  d.floor = req.floor;
  d.command = std::string("rdpdoctor connect ") + (o.headless ? "--headless " : "") + o.common.host;
  d.haveCredentials = !req.password.empty() && !req.profile.user.empty();
  DoctorRun run;
  run.attemptDeadline = req.deadline;
  run.budget = budget;  // what is left of --timeout, the budget of the whole command
  run.logLevel = o.common.logLevel;
  run.knownOriginal = first;
  run.askConsent = [&o](const CertificateSeen& seen, const std::string& validity) {
    return askAboutCertificate(o, seen, validity);
  };
  std::cerr << "rdpdoctor: looking for a combination that works (floor " << toString(d.floor) << ")"
            << std::endl;
  if (!o.bundle.empty()) probe::startCapture();
  runDoctor(d, req.password, run);
  if (!o.bundle.empty()) {
    const auto session = recordWinnerSession(d, run.logLevel, run.attemptDeadline);
    writeBundle({o.bundle, o.keepUserNames, req.profile.user, req.profile.domain}, d,
                probe::stopCapture(), session, req.password);
    std::cerr << "rdpdoctor: bundle written to " << terminalText(o.bundle) << std::endl;
  }
  if (!o.common.json.empty()) writeOutput(o.common.json, jsonText(toJson(d), 2));
  if (o.common.json != "-") std::cout << renderText(d, colourWanted(STDOUT_FILENO));
  saveWinnerRdp(d, o.saveRdp, o.common.host);
  rememberWinner(d);
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

/// "alice@host — rdpdoctor": the window adds the layer the server chose and the short note.
std::string titleFor(const Profile& p) {
  return (p.user.empty() ? std::string() : p.user + "@") + p.target.display() + " — rdpdoctor";
}

/// One connection: the window (live session) or a headless attempt in a child process.
/// Whether the server would pick NLA for a negotiate profile: one X.224 exchange (milliseconds).
HostFacts negotiationFacts(const SessionRequest& req) {
  probe::ProbeOptions po;
  po.requestSets = {0x1 | 0x2};  // SSL | HYBRID, what FreeRDP's negotiate asks for
  po.tls = false;
  po.rdpSecurity = false;
  po.totalTimeout = std::min(std::chrono::milliseconds(3000), req.deadline);
  return hostFactsFrom(probe::probeHost(req.profile.target, po));
}

/// connect's own fact of the name layer (diagnose has the probe's): the address it will dial,
/// resolved with the deadline.
HostFacts nameFactsOf(const Profile& p, std::chrono::milliseconds timeout) {
  HostSpec dial = p.target;
  dial.host = p.dialHost();
  const auto name = probe::resolveName(dial, timeout);
  HostFacts f;
  f.resolveFailed = !name.resolveError.empty();
  f.resolveTimedOut = f.resolveFailed && name.resolveTimedOut;
  return f;
}

/// One connection of the run. With policy Ask, a certificate needing consent is asked about on
/// that connection (once per run); the answer becomes the policy of `req`.
Outcome attempt(const ConnectOptions& o, SessionRequest& req, const std::string& note,
                CertificateConsent& consent) {
  IsolationOptions iso;
  iso.logLevel = o.common.logLevel;
  if (req.profile.cert == CertPolicy::Ask)
    iso.askCertificate = [&](const CertificateQuestion& q) {
      return askOnce(o, consent, q.seen,
                     q.validity.empty() ? std::string("(not known)") : terminalText(q.validity));
    };
  const auto answered = [&](Outcome out) {
    if (consent.choice && req.profile.cert == CertPolicy::Ask) req.profile.cert = *consent.choice;
    return out;
  };
  SessionRequest r = req;
  if (consent.choice && r.profile.cert == CertPolicy::Ask) r.profile.cert = *consent.choice;
  // while the session process starts: the X.224 exchange that says whether to check the
  // credentials first; its time counts against the attempt's deadline
  const auto start = std::chrono::steady_clock::now();
  iso.prepare = [start](SessionRequest& order) {
    markCredentialsFirst(order, HostFacts{});  // unprobed: as if the server might pick NLA
    // only a negotiate profile's answer depends on the server's choice
    if (!order.credentialsFirst || order.profile.security != Security::Negotiate) return;
    const HostFacts facts = negotiationFacts(order);
    const auto probing = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - start);
    order.deadline = std::max(std::chrono::milliseconds(0), order.deadline - probing);
    markCredentialsFirst(order, facts);
  };
  if (o.headless) return answered(runIsolated(r, iso));
  return answered(runWindow(r, WindowOptions{titleFor(r.profile), note, o.fullscreen}, iso));
}

/// The host needs credentials the run has not got: ask (terminal, keyring, window) and connect
/// again; when the keyring's password is refused, the window asks (the keyring is not read again).
Asked connectWithCredentials(const ConnectOptions& o, SessionRequest& req, Outcome& out,
                             Signature& sig, const HostFacts& nameFacts,
                             const std::function<std::chrono::milliseconds()>& remaining,
                             CertificateConsent& consent) {
  Asked asked = askForCredentials(o, req, true, "");
  for (int round = 0; asked.given && round < 2; ++round) {
    req.deadline = remaining();
    out = attempt(o, req, "", consent);
    sig = classify(out, req.profile, nameFacts);
    if (!asked.fromKeyring || out.success || sig.kind != SignatureId::CredentialsRejected) break;
    asked = askForCredentials(o, req, false, "The password in the keyring was refused.");
  }
  return asked;
}

/// What was not used because of the floor: from the doctor's ladder, or the one attempt itself.
std::vector<Rung> belowFloorOf(const SessionRequest& req, const Outcome& out, const Diagnosis* d) {
  if (d != nullptr && !d->ladder.belowFloor.empty()) return d->ladder.belowFloor;
  if (!out.belowFloor) return {};
  return {serverSelectedRdpSecurity(Rung{req.profile, "your settings", false}, true)};
}

void printConnectJson(const ConnectOptions& o, const SessionRequest& req, const Outcome& out,
                      const Signature& sig, int code, const Diagnosis* d) {
  if (o.common.json.empty()) return;
  nlohmann::json below = nlohmann::json::array();
  for (const auto& r : belowFloorOf(req, out, d))
    below.push_back({{"profile", r.profile}, {"why", r.why}});
  nlohmann::json j{{"schema", "rdpdoctor/connect@1"},
                   {"host", req.profile.target.host},
                   {"port", req.profile.target.port},
                   {"profile", req.profile},
                   {"floor", toString(req.floor)},
                   {"outcome", out},
                   {"signature", std::string(sig.id)},
                   {"layer", toString(sig.layer)},
                   {"below_floor", below},
                   {"downgrades", req.profile.downgrades(out.selectedProtocol)},
                   {"exit_code", code}};
  writeOutput(o.common.json, jsonText(j, 2));
}

}  // namespace

int runConnect(const ConnectOptions& o) {
  auto logger = makeLogger(o.common.logLevel);
  SessionRequest req;
  req.profile = startingProfile(o.common);
  if (const auto gw = rdGatewayOf(o.common); !gw.empty())
    return reportNotTried(o.common.host, signatureOf(SignatureId::RdGateway, {gw}), std::cerr);
  req.floor = floorFor(o.common, req.profile);
  applySize(o.size, req.profile);
  if (o.bpp != 0) req.profile.colorDepth = o.bpp;
  if (!o.headless) {
    std::string why;
    if (!windowAvailable(why))
      throw UsageError("cannot open a window (" + why + "): use --headless");
    // someone sees the window: an unverifiable certificate is asked about, never silently denied
    if (o.common.cert.empty()) req.profile.cert = CertPolicy::Ask;
  }
  req.password = passwordFrom(o.common, req.profile);
  (void)parseGoal(o.goal, req.goal);
  if (!o.headless) req.goal = Goal::FirstFrame;
  // --timeout: the wall-clock budget from here until the goal or the verdict, whatever runs in it
  const auto started = std::chrono::steady_clock::now();
  const auto budget =
      std::chrono::milliseconds(static_cast<std::int64_t>(o.common.timeoutSeconds * 1000));
  const auto remaining = [&] {
    const auto spent = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - started);
    return std::max(std::chrono::milliseconds(0), budget - spent);
  };
  req.deadline = remaining();
  req.holdAfterGoal = std::chrono::milliseconds(static_cast<std::int64_t>(o.holdSeconds * 1000));
  req.reconnectAttempts = o.reconnect;
  // a remembered winner: straight to it (one connection); the profile as typed when it fails
  const Profile asTyped = req.profile;
  const auto remembered = rememberedFor(req.profile, req.floor);
  if (remembered) applyCombination(remembered->profile, req.profile);
  const bool fromMemory = remembered && !(req.profile == asTyped);
  logger->info("connecting host={} security={} goal={}", req.profile.target.display(),
               toString(req.profile.security), toString(req.goal));
  // the name layer first, within the deadline: a name that does not resolve, or whose resolver
  // does not answer in time, is that (nothing is dialled), never a server that stopped answering
  const HostFacts nameFacts = nameFactsOf(req.profile, remaining());
  Outcome out;
  CertificateConsent consent;
  if (nameFacts.resolveFailed) {
    out.detail = nameFacts.resolveTimedOut ? "not dialled: the name did not resolve in time"
                                           : "not dialled: the name does not resolve";
    out.timedOut = nameFacts.resolveTimedOut;
    out.elapsedMs = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::steady_clock::now() - started)
                        .count();
  } else {
    out = attempt(o, req, fromMemory ? "remembered by rdpdoctor" : "", consent);
  }
  // a session process that could not ask in-band (FreeRDP 2.11: its callback has no dates, and
  // a second connection of ours to read them may not be served while the first one waits):
  // the connection failed with the certificate; ask now and connect again with the answer
  if (!out.success && out.certificate && needsConsent(out.certificate->decision) &&
      !consent.asked) {
    const auto& seen = *out.certificate;
    const auto choice =
        askOnce(o, consent, seen, certificateValidity(req.profile.target, seen.fingerprint));
    if (choice) {
      req.profile.cert = *choice;
      req.deadline = remaining();
      out = attempt(o, req, "", consent);
    }
  }
  Signature sig = classify(out, req.profile, nameFacts);
  // an NLA host and no credentials: ask for them on a terminal, as mstsc does, or in a window
  // (never a reason to turn NLA off)
  Asked asked;
  if (!out.success && sig.kind == SignatureId::CredentialsMissing)
    asked = connectWithCredentials(o, req, out, sig, nameFacts, remaining, consent);
  if (asked.shown && !asked.given) {  // the person cancelled: no connection, no error box
    printConnectJson(o, req, out, sig, exitCodeFor(out, sig), nullptr);
    std::cerr << "rdpdoctor: " << terminalText(req.profile.target.display())
              << ": no credentials given" << std::endl;
    return exitCodeFor(out, sig);
  }
  if (fromMemory && !out.success && sig.retryable && !sig.stopsLadder) {
    std::cerr << "rdpdoctor: " << terminalText(req.profile.target.display())
              << ": the remembered combination failed at the " << toString(sig.layer)
              << " layer; trying your settings" << std::endl;
    const CertPolicy answered = req.profile.cert;
    req.profile = asTyped;
    req.profile.cert = answered;
    req.deadline = remaining();
    out = attempt(o, req, "", consent);
    sig = classify(out, req.profile, nameFacts);
  }
  std::optional<Diagnosis> doctor;
  if (!out.success && sig.retryable && !sig.stopsLadder && !o.noDoctor) {
    // no cause before the diagnosis knows it: only the layer it failed at
    std::cerr << "rdpdoctor: " << terminalText(req.profile.target.display())
              << ": the connection failed at the " << toString(sig.layer) << " layer after "
              << out.elapsedMs << " ms; diagnosing..." << std::endl;
    doctor = runConnectDoctor(o, req, out, remaining());
    const Diagnosis& d = *doctor;
    if (!d.ladder.winner) {  // the three summary lines after the report's title
      verdictBox(o, req.profile.target, linesOf(renderText(d, false), 1, 3));
      return exitCodeFor(d);
    }
    std::cout << "connecting with a changed combination: "
              << terminalText(d.ladder.winner->profile.summary()) << " ("
              << terminalText(d.ladder.winner->why) << ")" << std::endl;
    if (o.headless) return exitCodeFor(d);  // the winner's confirmation was that connection
    req.profile = d.ladder.winner->profile;
    req.deadline = remaining();
    out = attempt(o, req, "changed by rdpdoctor", consent);
    sig = classify(out, req.profile, nameFacts);
  }
  const int code = exitCodeFor(out, sig);
  printConnectJson(o, req, out, sig, code, doctor ? &*doctor : nullptr);
  // stdout carries the JSON document with --json -: the sentence goes to stderr then
  const std::string described = describeOutcome(req.profile, out, sig);
  (o.common.json != "-" ? std::cout : std::cerr) << described << std::endl;
  if (!out.success) verdictBox(o, req.profile.target, linesOf(described, 0, 3));
  if (out.success && asked.remember) {  // asked for, and the password worked
    std::string why;
    if (!rememberPasswordInKeyring(req.profile.target, req.profile.user, req.profile.domain,
                                   req.password, why, isolationFor(o)))
      std::cerr << "rdpdoctor: the password was not kept in the keyring: " << terminalText(why)
                << std::endl;
  }
  if (!o.headless && out.success) {  // the window closed: how fast it came up, how long it lasted
    const auto first = out.msAt(Stage::Frame);
    if (first >= 0) {
      const auto lasted = (out.elapsedMs - first) / 1000;
      std::cout << "first frame after " << first << " ms; the session lasted " << lasted / 60
                << " min " << lasted % 60 << " s" << std::endl;
    }
  }
  if (!o.headless && out.success && out.errinfo != 0)
    std::cout << "the server ended the session: " << terminalText(out.errinfoName) << std::endl;
  if (!o.headless && out.success && out.connectionLost) {
    std::cout << "the connection was lost: " << terminalText(out.detail) << std::endl;
    return 1;
  }
  return code;
}

}  // namespace rdpdoctor::app
