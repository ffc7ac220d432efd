#include "doctor.hpp"

#include <unistd.h>

#include <iostream>

#include "diagnose_facts.hpp"
#include "outcome_text.hpp"
#include "rdpdoctor/front/rdp_file.hpp"
#include "report_context.hpp"

namespace rdpdoctor::app {
namespace {

using std::chrono::milliseconds;

/// May this profile end up on NLA (so a full connect would authenticate, possibly twice)?
bool mayUseNla(const Profile& p, const HostFacts& f) {
  return p.security == Security::Nla || p.security == Security::NlaExt ||
         (p.security == Security::Negotiate && (f.offersNla || !f.probed));
}

/// The certificate question of one run: asked at most once, the answer kept for every attempt.
struct Consent {
  ConsentAsker ask;  // empty: nobody to ask
  bool asked = false;
  std::optional<CertPolicy> choice;
};

LadderResult climb(const std::vector<Rung>& rungs, const HostFacts& facts, const DoctorRun& run,
                   const Secret& password, Goal goal, SecurityFloor floor, Consent& consent) {
  const bool tty = run.progress && ::isatty(STDERR_FILENO) != 0;
  IsolationOptions iso;
  iso.logLevel = run.logLevel;
  // the first attempt of the run that meets a certificate needing consent asks on its own
  // connection, whichever it is, and goes on with the answer; later ones get the same answer
  if (consent.ask)
    iso.askCertificate = [&consent, tty](const CertificateQuestion& q) {
      if (consent.asked) return consent.choice;
      consent.asked = true;
      if (tty) std::cerr << "\n";  // below the live "trying ..." line
      consent.choice = consent.ask(
          q.seen, q.validity.empty() ? std::string("(not known)") : terminalText(q.validity));
      return consent.choice;
    };
  LadderOptions lo;
  lo.goal = goal;
  lo.attemptDeadline = run.attemptDeadline;
  lo.budget = run.budget;
  lo.exhaustive = run.exhaustive;
  lo.floor = floor;
  lo.knownOriginal = run.knownOriginal;
  const bool colour = colourWanted(STDERR_FILENO);
  LadderObserver obs;
  std::size_t done = 0;  // attempts finished so far
  if (tty) {
    obs.onStart = [&done](const Rung& r, std::size_t) {
      std::cerr << "  [" << done + 1 << "] trying " << terminalText(r.profile.summary()) << " ...\r"
                << std::flush;
    };
  }
  // numbered as the summary numbers them: every attempt, the confirmation too, has its own number
  if (run.progress) {
    obs.onDone = [tty, colour, &done](const Attempt& a, std::size_t) {
      std::cerr << progressLine(a, done++, colour) << (tty ? "\033[K\n" : "\n");
    };
  }
  AttemptFn fn = [&](const Profile& p, Goal g, milliseconds deadline) {
    SessionRequest r;
    r.profile = p;
    r.password = password;
    r.goal = g;
    r.deadline = deadline;
    r.floor = floor;
    if (p.cert == CertPolicy::Ask && consent.choice) r.profile.cert = *consent.choice;
    const auto once = [&] {
      SessionRequest req = r;
      std::optional<CredentialGate::Turn> turn;
      if (run.credentials != nullptr && !req.password.empty()) {
        turn.emplace(*run.credentials, req.profile.target.display());
        if (!turn->send()) req.password = Secret();  // rejected by another host: none sent
      }
      markCredentialsFirst(req, facts);
      Outcome out = runIsolated(req, iso);
      if (turn && turn->send()) {
        const bool rejected =
            classify(out, req.profile, facts).kind == SignatureId::CredentialsRejected;
        turn->settle(out.success && g != Goal::FirstFrame, rejected, req.profile.target.display());
      }
      return out;
    };
    Outcome o = once();
    if (r.profile.cert == CertPolicy::Ask && consent.choice) r.profile.cert = *consent.choice;
    // a session process that could not ask in-band (FreeRDP 2.11): the attempt failed with the
    // certificate; the first such attempt of the run asks now and runs again with the answer
    if (r.profile.cert == CertPolicy::Ask && o.certificate &&
        needsConsent(o.certificate->decision) && !consent.asked && consent.ask) {
      consent.asked = true;
      if (tty) std::cerr << "\n";  // below the live "trying ..." line
      const auto asked = std::chrono::steady_clock::now();
      consent.choice =
          consent.ask(*o.certificate, certificateValidity(p.target, o.certificate->fingerprint));
      // the person's time, as the in-band question reports it: not the budget's
      const auto waited =
          std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - asked)
              .count();
      if (consent.choice) {
        r.profile.cert = *consent.choice;
        o = once();
      }
      o.answerWaitMs += waited;
    }
    return o;
  };
  return runLadder(rungs, facts, lo, fn, obs);
}

}  // namespace

void runDoctor(Diagnosis& d, const Secret& password, const DoctorRun& run) {
  // --timeout is the whole budget: the probe takes at most a third of it, the ladder the rest
  const auto start = std::chrono::steady_clock::now();
  // what is left of the budget, never more (no floor: the ladder stops when too little is left)
  const auto rest = [&] {
    DoctorRun r = run;
    r.budget =
        std::max(milliseconds(0), run.budget - std::chrono::duration_cast<milliseconds>(
                                                   std::chrono::steady_clock::now() - start));
    return r;
  };
  if (run.probe) gatherFacts(d, std::min(milliseconds(10000), run.budget / 3));
  if (d.facts.resolveFailed) {
    // the name layer is the diagnosis: nothing to dial (FreeRDP would meet the same resolver)
    Attempt a{Rung{d.original, "the original settings", false}, {}, {}, false, "", false};
    a.notAttempted = true;
    a.outcome.timedOut = d.facts.resolveTimedOut;
    a.outcome.detail = d.facts.resolveTimedOut ? "the resolver did not answer in time"
                                               : "the name does not resolve";
    a.skipReason = "nothing dialled: " + a.outcome.detail;
    a.signature = classify(a.outcome, d.original, d.facts);
    d.ladder.attempts.push_back(a);
    d.ladder.stoppedBy = {StopReason::Signature, a.signature.kind};
    d.context = reportContext();
    summarize(d);
    return;
  }
  const Policy policy{d.floor, d.haveCredentials, 12};
  const Goal goal = d.haveCredentials ? Goal::LoggedOn : Goal::FirstFrame;
  auto rungs = planLadder(d.original, d.facts, policy);
  Consent consent;
  if (d.original.cert == CertPolicy::Ask) {
    consent.ask = run.askConsent;
    if (!consent.ask && terminalAvailable()) consent.ask = askCertificateConsent;
  }
  d.ladder = climb(rungs, d.facts, rest(), password, goal, d.floor, consent);
  if (consent.choice) {  // what the person answered is the policy of this run (and of the winner)
    d.original.cert = *consent.choice;
    for (auto& a : d.ladder.attempts)
      if (a.rung.profile.cert == CertPolicy::Ask) a.rung.profile.cert = *consent.choice;
    if (d.ladder.winner && d.ladder.winner->profile.cert == CertPolicy::Ask)
      d.ladder.winner->profile.cert = *consent.choice;
  }
  d.context = reportContext();
  summarize(d);
}

void markCredentialsFirst(SessionRequest& req, const HostFacts& facts) {
  req.credentialsFirst =
      !req.password.empty() && req.goal != Goal::Authenticated && mayUseNla(req.profile, facts);
}

CredentialGate::Turn::Turn(CredentialGate& gate, const std::string& host)
    : gate_(gate), serial_(gate.serial_, std::defer_lock) {
  {
    std::lock_guard<std::mutex> lock(gate_.state_);
    send_ = gate_.rejectedBy_.empty();  // a rejection anywhere withholds it everywhere
    if (!send_) gate_.withheld_.insert(host);
    if (!send_ || gate_.proven_) return;
  }
  serial_.lock();  // the password is unproven: one attempt sends it at a time
  std::lock_guard<std::mutex> lock(gate_.state_);
  send_ = gate_.rejectedBy_.empty();
  if (!send_) gate_.withheld_.insert(host);
}

bool CredentialGate::withheldFrom(const std::string& host) const {
  std::lock_guard<std::mutex> lock(state_);
  return withheld_.count(host) != 0;
}

void CredentialGate::Turn::settle(bool accepted, bool rejected, const std::string& host) {
  std::lock_guard<std::mutex> lock(gate_.state_);
  if (accepted) gate_.proven_ = true;
  if (rejected && gate_.rejectedBy_.empty()) gate_.rejectedBy_ = host;
}

std::string CredentialGate::rejectedBy() const {
  std::lock_guard<std::mutex> lock(state_);
  return rejectedBy_;
}

int exitCodeFor(const Diagnosis& d) {
  if (d.ladder.winner) return kExitOk;
  if (d.ladder.stoppedBy.reason == StopReason::Signature) {
    const int bySignature = exitCodeOf(signatureRow(d.ladder.stoppedBy.signature).exit);
    if (bySignature != kExitNoConnection) return bySignature;
  }
  const Attempt* orig = d.ladder.original();
  if (orig != nullptr && !orig->skipped) return exitCodeOf(orig->signature.exit);
  return kExitNoConnection;
}

void saveWinnerRdp(const Diagnosis& d, const std::string& path, const std::string& host) {
  if (path.empty() || !d.ladder.winner) return;
  RdpFile read;  // the file the host came from: its lines are kept, its security never weakened
                 // silently
  if (namesRdpFile(host)) {
    auto f = readRdpFile(host);
    if (!f) throw UsageError(f.error().message());
    read = std::move(f).value();
    read.warnings.clear();
  }
  RdpFile saved = read;
  const Profile& winner = d.ladder.winner->profile;
  applyProfileToRdp(winner, saved);
  const auto weakened = keepSecurityOf(read, winner, saved);
  if (auto st = writeRdpFile(path, saved); !st.ok()) throw UsageError(st.error().message());
  std::cerr << "rdpdoctor: wrote the working combination to " << terminalText(path) << std::endl;
  for (const auto& w : weakened)
    std::cerr << "rdpdoctor: warning: " << terminalText(path) << ": '" << terminalText(w.key)
              << "' is weaker than in " << terminalText(host) << ": "
              << (w.before.empty() ? "not set" : terminalText(w.before)) << " -> "
              << terminalText(w.after)
              << " (the working combination needs it: " << terminalText(d.ladder.winner->why) << ")"
              << std::endl;
}

}  // namespace rdpdoctor::app
