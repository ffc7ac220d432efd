#include "verb_scan.hpp"

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>

#include "rdpdoctor/core/rdp_file.hpp"
#include "rdpdoctor/probe/inventory.hpp"
#include "rdpdoctor/probe/probe_verdict.hpp"
#include "rdpdoctor/probe/scan_engine.hpp"
#include "rdpdoctor/report/probe_report.hpp"
#include "rdpdoctor/report/scan_report.hpp"
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

std::string textLine(const ScanRow& r) {
  const auto* top = r.top();
  return terminalText(r.host + ":" + std::to_string(r.port)) + "  " + r.answer + "  " +
         (top ? std::string(toString(top->severity)) + " " + std::string(top->id) : "no findings") +
         "\n";
}

}  // namespace

void addScanVerb(CLI::App& app, ScanVerbOptions& o) {
  auto* v = app.add_subcommand(
      "scan",
      "probe many hosts at once, never asking anything: JSON Lines, CSV, an HTML matrix (exit 0 "
      "done, 2 usage, 5 the scan's --timeout cut it, 8 a finding at or above --fail-on, 130 "
      "interrupted)");
  o.common.timeoutSeconds = 3600;
  addCommonOptions(*v, o.common, false, Credentials::Ignored);
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
}

int runScan(const ScanVerbOptions& o) {
  const auto start = std::chrono::steady_clock::now();
  const unsigned files = probe::raiseFileLimit();
  const double rate = parseRate(o.rate);
  auto inv = readInventory(o.inventory);
  for (const auto& p : inv.problems) std::cerr << "rdpdoctor: scan: " << terminalText(p) << "\n";
  if (inv.entries.empty()) throw UsageError("scan: no host to probe in the inventory");
  auto logger = makeLogger(o.common.logLevel);
  Sink json(o.common.json);
  Sink csv(o.csv);
  const bool textOut = o.common.json != "-" && o.csv != "-";
  csv.line(scanCsvHeader());

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

  ScanTally tally;
  std::vector<ScanRow> rows;  // only for the matrix: a few hundred bytes a host
  ScanProgress progress(targets.size(), isatty(STDERR_FILENO) != 0);
  installStopHandlers();
  const auto stats =
      probe::scanHosts(targets, so, gStop, [&](std::size_t i, const probe::ProbeResult& r) {
        auto doc = probeToJson(r);
        const auto& e = inv.entries[i];
        if (!e.name.empty() || !e.tags.empty()) doc["scan"] = {{"name", e.name}, {"tags", e.tags}};
        json.line(jsonText(doc) + "\n");
        auto row = scanRowFrom(doc);
        csv.line(scanCsvLine(row));
        tally.add(row);
        if (textOut) {
          progress.clear();
          std::cout << textLine(row) << std::flush;
        }
        progress.update(tally.hosts(), tally.unreachable());
        if (!o.html.empty()) rows.push_back(std::move(row));
      });
  progress.clear();
  auto summary = tally.summary(std::chrono::duration_cast<std::chrono::milliseconds>(
                                   std::chrono::steady_clock::now() - start)
                                   .count());
  summary["inventory"] = {{"entries", inv.entries.size()},
                          {"problems", inv.problems.size()},
                          {"duplicates", inv.duplicates}};
  summary["not_probed"] = stats.hosts - stats.done;
  summary["interrupted"] = stats.interrupted;
  summary["deadline_reached"] = stats.deadlineReached;
  summary["concurrency"] = stats.workers;
  json.line(jsonText(summary) + "\n");
  if (stats.interrupted) {
    std::cerr << "rdpdoctor: scan interrupted after " << stats.done << " of " << stats.hosts
              << " hosts" << std::endl;
    std::cout.flush();
    std::_Exit(kExitInterrupted);  // workers still in flight are abandoned, not joined
  }
  if (!o.html.empty()) writeOutput(o.html, renderScanHtml(rows, summary));
  if (textOut)
    std::cout << summary["hosts"] << " hosts, " << summary["reachable"] << " reachable, "
              << stats.hosts - stats.done << " not probed, " << summary["elapsed_ms"] << " ms"
              << std::endl;
  if (!o.failOn.empty() && tally.reached(*severityFrom(o.failOn))) return kExitFailOn;
  if (stats.deadlineReached) return kExitTimeout;
  return kExitOk;
}

}  // namespace rdpdoctor::app
