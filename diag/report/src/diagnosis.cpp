#include "rdpdoctor/report/diagnosis.hpp"

#include <algorithm>
#include <cstdio>

#include "rdpdoctor/report/probe_report.hpp"

namespace rdpdoctor {
namespace {

std::string codes(const MstscCodes& c) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "0x%x / extended 0x%x", c.disconnectReason, c.extendedReason);
  return buf;
}

}  // namespace

void summarize(Diagnosis& d) {
  if (!d.ladder.attempts.empty() && d.ladder.winner) {
    auto& first = d.ladder.attempts.front();
    first.signature =
        explainByWinner(first.signature, first.rung.profile, d.ladder.winner->profile);
  }
  const Attempt* orig = d.ladder.original();
  std::vector<Signature> failed;
  for (const auto& a : d.ladder.attempts)
    if (!a.skipped && !a.outcome.success) failed.push_back(a.signature);
  d.remedies = orig != nullptr && !orig->skipped
                   ? diagnosisRemedies(orig->signature, failed, d.ladder.winner.has_value())
                   : diagnosisRemedies(signatureOf(SignatureId::Ok), failed, false);

  std::string v;
  if (orig != nullptr && orig->outcome.success) {
    v = "the original settings work";
  } else if (orig != nullptr) {
    v = "the original settings fail at the " + std::string(toString(orig->signature.layer)) +
        " layer: " + orig->signature.cause;
    if (orig->signature.mstsc.disconnectReason != 0)
      v += " (mstsc would show " + codes(orig->signature.mstsc) + ")";
  }
  if (d.ladder.winner) {
    const auto& w = *d.ladder.winner;
    v += ". working combination: " + w.profile.summary() + " (" + w.why + ")";
    v += d.ladder.confirmed ? ", confirmed by a second connection" : ", not confirmed";
    for (const auto& a : d.ladder.attempts)
      if (a.outcome.success && a.rung.profile == w.profile && !a.outcome.logonProof.empty())
        d.logonProven = true;
    if (!d.logonProven)
      v += d.haveCredentials
               ? "; logon not proven"
               : "; no credentials given: the login screen was reached, a logon was not tried";
    // the downgrades are stated once, with the working combination (winner.downgrades in JSON)
  } else {
    // the floor is named only when it kept out a combination that might have worked
    v += !d.ladder.floorKeptOutACandidate()
             ? std::string(". no combination works")
             : ". no combination at or above your floor (--min-security " +
                   std::string(toString(d.floor)) + ") works";
    if (d.ladder.stoppedBy.reason != StopReason::None)
      v += "; the ladder stopped: " + std::string(toString(d.ladder.stoppedBy));
    // a certificate nobody could be asked about blocked the way: name it, and how to accept it
    for (const auto& a : d.ladder.attempts) {
      const auto& c = a.outcome.certificate;
      if (a.skipped || a.signature.kind != SignatureId::CertificateUntrusted || !c) continue;
      const std::string cmd = d.command.empty() ? std::string("run it again") : d.command;
      v += "; the certificate " + c->subject + " (SHA-256 " + c->fingerprint +
           ") was not accepted: check that fingerprint with the host's administrator, then accept "
           "it with " +
           cmd + " --cert accept-once (this run only) or " + cmd + " --cert tofu (remember it)";
      break;
    }
    const bool stripped =
        orig != nullptr && orig->outcome.belowFloor && orig->outcome.pinnedOverTls;
    if (d.ladder.floorKeptOutACandidate() && !stripped)
      v += "; untried below your floor: " + d.ladder.belowFloor.front().profile.summary() +
           " (rerun with --min-security " +
           std::string(toString(d.ladder.belowFloor.front().profile.weakestLayer())) + ")";
  }
  d.verdict = v;
  d.summary = summaryOf(d);
}

nlohmann::json toJson(const Diagnosis& d) {
  using nlohmann::json;
  json j{{"schema", "rdpdoctor/diagnose@1"},
         {"host", d.original.target.host},
         {"port", d.original.target.port},
         {"floor", toString(d.floor)},
         {"probe", d.probe},
         {"summary",
          {{"problem", d.summary.problem},
           {"fix", d.summary.fix},
           {"fix_on", d.summary.fixOnThisMachine ? "this-machine" : "host"},
           {"connect", d.summary.connect},  // a command, or what is missing for one
           {"connect_is_command", d.summary.haveCommand},
           {"xfreerdp", d.summary.xfreerdp.empty() ? json(nullptr) : json(d.summary.xfreerdp)},
           {"xfreerdp3", d.summary.xfreerdp3.empty() ? json(nullptr) : json(d.summary.xfreerdp3)}}},
         {"verdict", d.verdict},
         {"confirmed", d.ladder.confirmed},
         {"logon_proven", d.logonProven},
         {"elapsed_ms", d.ladder.elapsedMs},
         {"answer_wait_ms", d.ladder.answerWaitMs},
         {"stopped_by", d.ladder.stoppedBy.reason == StopReason::None
                            ? json(nullptr)
                            : json(std::string(toString(d.ladder.stoppedBy)))}};
  if (const Attempt* o = d.ladder.original(); o != nullptr) {
    j["original"] = {{"profile", o->rung.profile},
                     {"signature", o->signature.id},
                     {"layer", toString(o->signature.layer)},
                     {"cause", o->signature.cause},
                     {"mstsc",
                      {{"disconnect_reason", o->signature.mstsc.disconnectReason},
                       {"extended_reason", o->signature.mstsc.extendedReason}}}};
  } else {
    j["original"] = nullptr;
  }
  json attempts = json::array();
  for (const auto& a : d.ladder.attempts) {
    attempts.push_back(
        {{"profile", a.rung.profile},
         {"why", a.rung.why},
         {"result",
          a.skipped || a.notAttempted ? "skipped" : (a.outcome.success ? "ok" : "failed")},
         {"attempted", !a.skipped && !a.notAttempted},
         {"skip_reason", a.skipReason},
         {"confirmation", a.confirmation},
         {"signature", a.skipped ? json(nullptr) : json(a.signature.id)},
         {"layer", a.skipped ? json(nullptr) : json(toString(a.signature.layer))},
         {"stage", toString(a.outcome.reached)},
         // nothing was dialled: no time (a skipped rung keeps its 0, as before)
         {"elapsed_ms", a.notAttempted ? json(nullptr) : json(a.outcome.elapsedMs)},
         {"outcome", a.skipped || a.notAttempted ? json(nullptr) : json(a.outcome)}});
  }
  j["attempts"] = attempts;
  j["winner"] = d.ladder.winner ? json(d.ladder.winner->profile) : json(nullptr);
  if (d.ladder.winner) j["winner"]["why"] = d.ladder.winner->why;
  json below = json::array();
  for (const auto& r : d.ladder.belowFloor)
    below.push_back({{"profile", r.profile}, {"why", r.why}});
  j["below_floor"] = below;
  json rem = json::array();
  for (const auto& r : d.remedies) rem.push_back({{"id", r.id}, {"text", r.text}});
  j["remedies"] = rem;
  j["host_findings"] = hostFindingsJson(d.facts);
  j["made"] = {{"at", d.context.generatedAt},
               {"client_host", d.context.clientHost},
               {"rdpdoctor", d.context.rdpdoctorVersion},
               {"freerdp", d.context.freerdpVersion},
               {"openssl", d.context.opensslVersion}};
  return j;
}

}  // namespace rdpdoctor
