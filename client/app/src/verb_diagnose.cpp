#include "verb_diagnose.hpp"

#include <unistd.h>

#include <iostream>

#include "diagnose_facts.hpp"
#include "rdpdoctor/core/isolated_session.hpp"
#include "rdpdoctor/core/rdp_file.hpp"
#include "rdpdoctor/report/diagnosis.hpp"

namespace rdpdoctor::app {

void addDiagnoseVerb(CLI::App& app, DiagnoseOptions& o) {
  auto* v = app.add_subcommand("diagnose", "probe HOST, try the combinations, report what works and why the others fail");
  addCommonOptions(*v, o.common, true);
  o.common.timeoutSeconds = 120;
  v->add_flag("--exhaustive", o.exhaustive, "try every rung, even after a confirmed winner");
  v->add_option("--markdown", o.markdown, "write the report as Markdown to FILE");
  v->add_option("--html", o.html, "write the report as a self-contained HTML page to FILE");
  v->add_option("--save-rdp", o.saveRdp, "write the working combination as an mstsc .rdp file");
  v->add_option("--attempt-timeout", o.attemptTimeout, "deadline of one attempt in seconds")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  v->add_flag("--no-probe", o.noProbe, "skip the pre-flight probe (try every rung blindly)");
}

namespace {

using std::chrono::milliseconds;

milliseconds ms(double seconds) { return milliseconds(static_cast<std::int64_t>(seconds * 1000)); }

LadderResult climb(const std::vector<Rung>& rungs, const HostFacts& facts, const DiagnoseOptions& o,
                   const Secret& password, Goal goal) {
  IsolationOptions iso;
  iso.logLevel = o.common.logLevel;
  LadderOptions lo;
  lo.goal = goal;
  lo.attemptDeadline = ms(o.attemptTimeout);
  lo.budget = ms(o.common.timeoutSeconds);
  lo.exhaustive = o.exhaustive;
  const bool tty = ::isatty(STDERR_FILENO) != 0;
  LadderObserver obs;
  obs.onStart = [tty](const Rung& r, std::size_t i) {
    if (tty) std::cerr << "  [" << i + 1 << "] trying " << r.profile.summary() << " ...\r" << std::flush;
  };
  obs.onDone = [tty](const Attempt& a, std::size_t i) { std::cerr << progressLine(a, i, tty) << "\033[K\n"; };
  if (!tty) obs.onDone = [](const Attempt& a, std::size_t i) { std::cerr << progressLine(a, i, false) << "\n"; };
  AttemptFn fn = [&](const Profile& p, Goal g, milliseconds deadline) {
    SessionRequest r;
    r.profile = p;
    r.password = password;
    r.goal = g;
    r.deadline = deadline;
    return runIsolated(r, iso);
  };
  return runLadder(rungs, facts, lo, fn, obs);
}

int exitCode(const Diagnosis& d) {
  if (d.ladder.winner) return kExitOk;
  const auto& s = d.ladder.stoppedBy;
  if (s.rfind("credentials-", 0) == 0) return kExitCredentials;
  if (s.rfind("certificate-", 0) == 0) return kExitCertificate;
  const Attempt* orig = d.ladder.original();
  if (orig != nullptr && orig->outcome.timedOut) return kExitTimeout;
  return kExitNoConnection;
}

void writeReports(const Diagnosis& d, const DiagnoseOptions& o) {
  if (!o.common.json.empty()) writeOutput(o.common.json, toJson(d).dump(2));
  if (!o.markdown.empty()) writeOutput(o.markdown, renderMarkdown(d));
  if (!o.html.empty()) writeOutput(o.html, renderHtml(d));
  if (!o.saveRdp.empty() && d.ladder.winner) {
    RdpFile f;
    applyProfileToRdp(d.ladder.winner->profile, f);
    if (auto st = writeRdpFile(o.saveRdp, f); !st.ok()) throw UsageError(st.error().message());
    std::cerr << "rdpdoctor: wrote the working combination to " << o.saveRdp << std::endl;
  }
}

}  // namespace

int runDiagnose(const DiagnoseOptions& o) {
  auto logger = makeLogger(o.common.logLevel);
  Diagnosis d;
  d.original = startingProfile(o.common);
  const Secret password = passwordFrom(o.common, d.original);
  auto floor = parseFloor(o.common.minSecurity);
  if (!floor) throw UsageError(floor.error().message());
  d.floor = *floor;
  d.haveCredentials = !password.empty() && !d.original.user.empty();
  if (!o.noProbe) gatherFacts(d, milliseconds(std::min<std::int64_t>(10000, ms(o.common.timeoutSeconds).count())));
  const Policy policy{d.floor, d.haveCredentials, 12};
  const Goal goal = d.haveCredentials ? Goal::LoggedOn : Goal::FirstFrame;
  std::cerr << "diagnosing " << d.original.target.display() << " (floor " << toString(d.floor)
            << (d.haveCredentials ? ", with credentials" : ", no credentials: logons are not tried") << ")\n";
  auto rungs = planLadder(d.original, d.facts, policy);
  d.ladder = climb(rungs, d.facts, o, password, goal);
  // a certificate the user may accept: ask once on a TTY, then climb again with that consent
  const Attempt* first = d.ladder.original();
  if (d.original.cert == CertPolicy::Ask && first && first->outcome.certificate &&
      first->outcome.certificate->decision == "needs-consent") {
    if (auto choice = askCertificateConsent(*first->outcome.certificate)) {
      for (auto& r : rungs) r.profile.cert = *choice;
      d.original.cert = *choice;
      d.ladder = climb(rungs, d.facts, o, password, goal);
    }
  }
  summarize(d);
  writeReports(d, o);
  if (o.common.json != "-") std::cout << "\n" << renderText(d, ::isatty(STDOUT_FILENO) != 0);
  return exitCode(d);
}

}  // namespace rdpdoctor::app
