#include "verb_scan.hpp"

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <set>

#include "rdpdoctor/front/credentials.hpp"
#include "rdpdoctor/front/rdp_file.hpp"
#include "rdpdoctor/probe/inventory.hpp"
#include "rdpdoctor/probe/probe_verdict.hpp"
#include "rdpdoctor/probe/scan_engine.hpp"
#include "rdpdoctor/report/probe_report.hpp"
#include "rdpdoctor/report/scan_compare.hpp"
#include "rdpdoctor/report/scan_report.hpp"
#include "scan_diagnose.hpp"
#include "scan_progress.hpp"

namespace rdpdoctor::app {
namespace {

std::atomic<bool> gStop{false};

extern "C" void onStopSignal(int) { gStop.store(true); }

void installStopHandlers() {
  struct sigaction sa {};
  sa.sa_handler = onStopSignal;
  sigemptyset(&sa.sa_mask);
  ::sigaction(SIGINT, &sa, nullptr);
  ::sigaction(SIGTERM, &sa, nullptr);
}

std::chrono::milliseconds ms(double seconds) {
  return std::chrono::milliseconds(static_cast<std::int64_t>(seconds * 1000));
}

double parseRate(const std::string& text) {
  if (text.empty()) return 0;
  std::string number = text;
  if (number.size() > 2 && number.substr(number.size() - 2) == "/s")
    number.resize(number.size() - 2);
  std::size_t used = 0;
  double v = 0;
  try {
    v = std::stod(number, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != number.size() || v <= 0)
    throw UsageError("--rate: '" + text + "' is not a number of hosts per second (e.g. 50/s)");
  return v;
}

probe::Inventory readInventory(const std::vector<std::string>& arguments) {
  probe::Inventory inv;
  const probe::RdpHostReader readRdp = [](const std::string& path) -> Result<HostSpec> {
    auto file = readRdpFile(path);
    if (!file) return file.error();
    std::vector<std::string> warnings;
    auto profile = profileFromRdp(*file, warnings);
    if (!profile) return profile.error();
    return profile->target;
  };
  for (const auto& a : arguments) probe::addInventoryArgument(a, inv, readRdp);
  return inv;
}

/// A file to write or stdout ("-"); nothing when `target` is empty.
class Sink {
 public:
  explicit Sink(const std::string& target) {
    if (target.empty()) return;
    if (target == "-") {
      out_ = &std::cout;
      return;
    }
    file_ = std::make_unique<std::ofstream>(target, std::ios::binary | std::ios::trunc);
    if (!*file_) throw UsageError("cannot write '" + target + "'");
    out_ = file_.get();
  }
  [[nodiscard]] bool active() const { return out_ != nullptr; }
  void line(const std::string& text) {
    if (out_ == nullptr) return;
    *out_ << text;
    out_->flush();
  }

 private:
  std::unique_ptr<std::ofstream> file_;
  std::ostream* out_ = nullptr;
};

/// The probe@1 documents of a JSON Lines file; a line that is not JSON is a problem, not fatal.
std::vector<nlohmann::json> readScanLines(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw UsageError("cannot read '" + path + "'");
  std::vector<nlohmann::json> docs;
  std::size_t n = 0;
  for (std::string line; std::getline(in, line);) {
    ++n;
    if (line.empty()) continue;
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
      std::cerr << "rdpdoctor: scan: " << terminalText(path) << ":" << n << ": not a JSON document"
                << std::endl;
      continue;
    }
    const auto schema = j.value("schema", "");
    if (schema == kProbeSchema || schema == "rdpdoctor/diagnose@1") docs.push_back(std::move(j));
  }
  return docs;
}

std::string hostKey(const ScanRow& r) { return r.host + ":" + std::to_string(r.port); }

std::string textLine(const ScanRow& r) {
  const auto* top = r.top();
  return terminalText(r.host + ":" + std::to_string(r.port)) +
         (r.name.empty() ? "" : " (" + terminalText(r.name) + ")") + "  " + r.answer + "  " +
         (top ? std::string(toString(top->severity)) + " " + std::string(top->id) : "no findings") +
         (r.diagnosed ? "  winner: " + terminalText(r.winnerText()) : "") + "\n";
}

}  // namespace

void addScanVerb(CLI::App& app, ScanVerbOptions& o) {
  auto* v = app.add_subcommand(
      "scan",
      "probe many hosts at once, never asking anything: JSON Lines, CSV, an HTML matrix (exit 0 "
      "done, 2 usage, 5 the scan's --timeout cut it, 8 a finding at or above --fail-on, 130 "
      "interrupted)");
  o.common.timeoutSeconds = 3600;
  addCommonOptions(*v, o.common, false, Credentials::Used);
  v->remove_option(v->get_option("host"));
  v->add_option("inventory", o.inventory,
                "HOST[:PORT], CIDR, or a file (lines, CSV with a host column, nmap -oX XML), or a "
                "folder of .rdp files")
      ->required();
  v->add_option("--csv", o.csv, "one row per host to FILE (or - for stdout)");
  v->add_option("--html", o.html, "the self-contained matrix to FILE");
  v->add_option("--concurrency", o.concurrency, "hosts in flight at once")
      ->check(CLI::Range(1U, 4096U))
      ->capture_default_str();
  v->add_option("--rate", o.rate, "host starts per second, e.g. 50/s (default: no limit)");
  v->add_option("--host-timeout", o.hostTimeout, "deadline of one host in seconds")
      ->check(secondsValidator())
      ->capture_default_str();
  v->add_option("--step-timeout", o.stepTimeout, "deadline of one step of a host in seconds")
      ->check(secondsValidator())
      ->capture_default_str();
  v->add_option("--parallel", o.parallel, "connections in flight to one address")
      ->check(CLI::Range(1U, 16U))
      ->capture_default_str();
  v->add_option("--fail-on", o.failOn,
                "exit 8 when a host has a finding at or above: info|low|medium|high")
      ->check(CLI::IsMember({"info", "low", "medium", "high"}));
  v->add_flag("--no-tls", o.noTls, "skip the TLS version and certificate checks");
  v->add_flag("--no-rdp-security", o.noRdpSecurity, "skip the standard RDP security methods");
  v->add_option("--compare", o.compare,
                "an earlier scan's JSON Lines: say what changed (new and lost hosts, findings that "
                "appeared or went away, renewed certificates, changed answers)");
  v->add_flag("--diagnose", o.diagnose,
              "run the doctor (as diagnose does) on every host whose probe shows a problem: its "
              "line becomes a rdpdoctor/diagnose@1 document. Never asks: the password comes from "
              "RDPDOCTOR_PASSWORD or --password-file, an unknown certificate is refused unless "
              "--cert says otherwise, and a password one host rejects is sent to no other host");
  v->add_option("--diagnose-concurrency", o.diagnoseConcurrency,
                "hosts diagnosed at once (each one attempt at a time)")
      ->check(CLI::Range(1U, 4U))
      ->capture_default_str();
  v->add_option("--attempt-timeout", o.attemptTimeout, "deadline of one attempt in seconds")
      ->check(secondsValidator())
      ->capture_default_str();
  v->add_option("--diagnose-timeout", o.diagnoseTimeout,
                "the doctor's budget for one host in seconds")
      ->check(secondsValidator())
      ->capture_default_str();
  v->add_flag("--merge", o.merge,
              "the arguments are earlier scans' JSON Lines (one per vantage point): one matrix "
              "with a 'seen from' column, nothing is probed");
}

namespace {

/// Where every finished host goes: the JSON line, the CSV row, the text line, the tallies, the
/// changes since an earlier scan, the matrix's rows.
class ScanOutput {
 public:
  ScanOutput(const ScanVerbOptions& o, std::size_t total)
      : o_(o),
        json_(o.common.json),
        csv_(o.csv),
        textOut_(o.common.json != "-" && o.csv != "-"),
        progress_(total, isatty(STDERR_FILENO) != 0) {
    csv_.line(scanCsvHeader());
    if (o.compare.empty()) return;
    for (const auto& d : readScanLines(o.compare)) {
      auto row = scanRowFrom(d);
      earlier_[hostKey(row)] = row;
    }
  }

  /// From the scan's workers and the doctor's, one at a time.
  void host(nlohmann::json doc) {
    std::lock_guard lock(mutex_);
    if (closed_) return;  // a doctor finishing after an interruption: the summary is the last line
    auto row = scanRowFrom(doc);
    if (!o_.compare.empty()) {
      std::vector<ScanRow> before;
      if (auto it = earlier_.find(hostKey(row)); it != earlier_.end()) before.push_back(it->second);
      seen_.insert(hostKey(row));
      for (auto& c : compareScans(before, {row})) {
        row.changes += (row.changes.empty() ? "" : "; ") + std::string(toString(c.kind)) +
                       (c.kind == ScanChangeKind::NewHost ? "" : " " + c.detail);
        changes_.push_back(std::move(c));
      }
      doc["scan"]["changes"] = row.changes;
    }
    json_.line(jsonText(doc) + "\n");
    csv_.line(scanCsvLine(row));
    tally_.add(row);
    if (textOut_) {
      progress_.clear();
      std::cout << textLine(row) << std::flush;
    }
    progress_.update(tally_.hosts(), tally_.failing());
    if (!o_.html.empty()) rows_.push_back(std::move(row));
  }

  /// The compare line (with --compare) and the summary line; then the matrix.
  nlohmann::json finish(std::int64_t elapsedMs, nlohmann::json extra, bool interrupted) {
    std::lock_guard lock(mutex_);
    closed_ = true;
    progress_.clear();
    auto summary = tally_.summary(elapsedMs);
    for (const auto& [k, v] : extra.items()) summary[k] = v;
    if (!o_.compare.empty() && !interrupted) {
      for (const auto& [key, row] : earlier_) {
        if (seen_.count(key) != 0) continue;
        changes_.push_back({key, ScanChangeKind::LostHost, row.answer});
        auto lost = row;
        lost.changes = "lost-host";
        if (!o_.html.empty()) rows_.push_back(std::move(lost));
      }
      const auto compare = changesToJson(changes_);
      json_.line(jsonText(compare) + "\n");
      summary["changes"] = compare["counts"];
    }
    json_.line(jsonText(summary) + "\n");
    if (interrupted) return summary;
    if (!o_.html.empty()) writeOutput(o_.html, renderScanHtml(rows_, summary));
    if (textOut_) {
      std::cout << summary["hosts"] << " hosts, " << summary["reachable"] << " reachable";
      if (const auto silent = summary["reach"].value("silent", 0U); silent != 0)
        std::cout << ", " << silent << " silent";
      if (summary.contains("not_probed"))
        std::cout << ", " << summary["not_probed"] << " not probed";
      if (summary.contains("changes")) std::cout << ", " << changes_.size() << " changes";
      std::cout << ", " << elapsedMs << " ms" << std::endl;
    }
    return summary;
  }

  [[nodiscard]] const ScanTally& tally() const { return tally_; }

 private:
  const ScanVerbOptions& o_;
  std::mutex mutex_;
  bool closed_ = false;  // the summary is written
  Sink json_;
  Sink csv_;
  bool textOut_;
  ScanProgress progress_;
  ScanTally tally_;
  std::vector<ScanRow> rows_;  // only for the matrix: a few hundred bytes a host
  std::map<std::string, ScanRow> earlier_;
  std::set<std::string> seen_;
  std::vector<ScanChange> changes_;
};

std::int64_t msSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                               start)
      .count();
}

int exitFor(const ScanVerbOptions& o, const ScanTally& tally, bool deadlineReached) {
  if (!o.failOn.empty() && tally.reached(*severityFrom(o.failOn))) return kExitFailOn;
  if (deadlineReached) return kExitTimeout;
  return kExitOk;
}

/// --merge: earlier scans' lines, each marked with the scan it came from (its file name).
int runMerge(const ScanVerbOptions& o) {
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::pair<std::string, std::vector<nlohmann::json>>> scans;
  std::size_t total = 0;
  for (const auto& path : o.inventory) {
    scans.emplace_back(std::filesystem::path(path).stem().string(), readScanLines(path));
    total += scans.back().second.size();
  }
  ScanOutput out(o, total);
  for (auto& [from, docs] : scans) {
    for (auto& d : docs) {
      d["scan"]["seen_from"] = from;
      out.host(std::move(d));
    }
  }
  out.finish(msSince(start), {{"merged", o.inventory.size()}}, false);
  return exitFor(o, out.tally(), false);
}

}  // namespace

int runScan(const ScanVerbOptions& o) {
  if (o.merge) return runMerge(o);
  const auto start = std::chrono::steady_clock::now();
  const unsigned files = probe::raiseFileLimit();
  const double rate = parseRate(o.rate);
  auto inv = readInventory(o.inventory);
  for (const auto& p : inv.problems) std::cerr << "rdpdoctor: scan: " << terminalText(p) << "\n";
  if (inv.entries.empty()) throw UsageError("scan: no host to probe in the inventory");
  auto logger = makeLogger(o.common.logLevel);
  ScanOutput out(o, inv.entries.size());

  probe::ScanOptions so;
  so.probe.totalTimeout = ms(o.hostTimeout);
  so.probe.stepTimeout = std::min(ms(o.stepTimeout), so.probe.totalTimeout);
  so.probe.connectionsPerAddress = o.parallel;
  so.probe.tls = !o.noTls;
  so.probe.rdpSecurity = !o.noRdpSecurity;
  so.concurrency = o.concurrency;
  so.ratePerSecond = rate;
  so.overall = ms(o.common.timeoutSeconds);
  so.fdBudget = files / 2;
  std::vector<HostSpec> targets;
  targets.reserve(inv.entries.size());
  for (const auto& e : inv.entries) targets.push_back(e.target);
  logger->info("scan hosts={} concurrency={} files={} problems={} duplicates={}", targets.size(),
               o.concurrency, files, inv.problems.size(), inv.duplicates);

  std::unique_ptr<ScanDiagnoser> doctor;
  if (o.diagnose) {
    if (auto store = CertStore::defaultPath(); !store)  // every attempt consults the trust store
      throw UsageError(store.error().message() + " (set XDG_STATE_HOME or RDPDOCTOR_STATE_DIR)");
    PasswordSources src;  // scan never asks: the environment or --password-file only
    src.passwordFile = o.common.passwordFile;
    src.allowPrompt = false;
    auto password = readPassword(src);
    if (!password) throw UsageError(password.error().message());
    doctor = std::make_unique<ScanDiagnoser>(o, std::move(password).value(),
                                             [&out](nlohmann::json d) { out.host(std::move(d)); });
    std::cerr << "rdpdoctor: scan: the doctor runs on the hosts whose probe shows a problem ("
              << o.diagnoseConcurrency << " at once, "
              << (doctor->haveCredentials()
                      ? "with the credentials of " + terminalText(o.common.user)
                      : std::string("no credentials: logons are not tried"))
              << ")" << std::endl;
  }

  installStopHandlers();
  const auto stats =
      probe::scanHosts(targets, so, gStop, [&](std::size_t i, const probe::ProbeResult& r) {
        auto doc = probeToJson(r);
        const auto& e = inv.entries[i];
        if (!e.name.empty() || !e.tags.empty()) doc["scan"] = {{"name", e.name}, {"tags", e.tags}};
        if (doctor && probeShowsProblem(scanRowFrom(doc))) {
          doctor->add(r, doc.contains("scan") ? doc["scan"] : nlohmann::json());
          return;
        }
        out.host(std::move(doc));
      });
  const bool interrupted =
      stats.interrupted || (doctor && !stats.interrupted && !doctor->finish(gStop));
  nlohmann::json extra = {{"inventory",
                           {{"entries", inv.entries.size()},
                            {"problems", inv.problems.size()},
                            {"duplicates", inv.duplicates}}},
                          {"not_probed", stats.hosts - stats.done},
                          {"interrupted", interrupted},
                          {"deadline_reached", stats.deadlineReached},
                          {"concurrency", stats.workers}};
  if (doctor) extra["credentials"] = doctor->credentialsSummary();
  out.finish(msSince(start), extra, interrupted);
  if (interrupted) {
    std::cerr << "rdpdoctor: scan interrupted after " << stats.done << " of " << stats.hosts
              << " hosts" << std::endl;
    std::cout.flush();
    std::_Exit(kExitInterrupted);  // workers still in flight are abandoned, not joined
  }
  return exitFor(o, out.tally(), stats.deadlineReached);
}

}  // namespace rdpdoctor::app
