#include "scan_diagnose.hpp"

#include <iostream>

#include "rdpdoctor/report/diagnosis.hpp"
#include "rdpdoctor/report/probe_report.hpp"
#include "rdpdoctor/verdict/host_facts_from.hpp"
#include "report_context.hpp"
#include "verb_hosts.hpp"

namespace rdpdoctor::app {
namespace {

std::chrono::milliseconds ms(double seconds) {
  return std::chrono::milliseconds(static_cast<std::int64_t>(seconds * 1000));
}

}  // namespace

bool probeShowsProblem(const ScanRow& row) {
  if (!row.reachable) return false;  // no RDP answer: the doctor's attempts would meet the same
  if (row.answer != "works") return true;
  const auto* top = row.top();
  return top != nullptr && top->severity >= Severity::Low;
}

ScanDiagnoser::ScanDiagnoser(const ScanVerbOptions& o, Secret password,
                             std::function<void(nlohmann::json)> done)
    : o_(o), password_(std::move(password)), done_(std::move(done)) {
  for (unsigned i = 0; i < std::max(1U, o.diagnoseConcurrency); ++i)
    workers_.emplace_back([this] { work(); });
}

ScanDiagnoser::~ScanDiagnoser() {
  bool idle = false;
  {
    std::lock_guard lock(mutex_);
    closing_ = true;
    queue_.clear();
    idle = busy_ == 0;
  }
  changed_.notify_all();
  for (auto& t : workers_) {
    if (idle)
      t.join();
    else
      t.detach();  // after a stop: the process exits, children end at their own deadlines
  }
}

void ScanDiagnoser::add(const probe::ProbeResult& result, nlohmann::json scan) {
  {
    std::lock_guard lock(mutex_);
    queue_.push_back({result, std::move(scan)});
  }
  changed_.notify_one();
}

bool ScanDiagnoser::finish(const std::atomic<bool>& stop) {
  std::unique_lock lock(mutex_);
  while (!queue_.empty() || busy_ > 0) {
    if (stop.load()) return false;
    changed_.wait_for(lock, std::chrono::milliseconds(50));
  }
  return true;
}

void ScanDiagnoser::work() {
  for (;;) {
    Job job;
    {
      std::unique_lock lock(mutex_);
      changed_.wait(lock, [this] { return closing_ || !queue_.empty(); });
      if (closing_) return;
      job = std::move(queue_.front());
      queue_.pop_front();
      ++busy_;
    }
    nlohmann::json doc;
    try {
      doc = diagnose(job);
    } catch (const std::exception& e) {  // e.g. a host spec the profile refuses: its probe stays
      doc = probeToJson(job.result);
      if (!job.scan.is_null()) doc["scan"] = job.scan;
      doc["scan"]["diagnose_error"] = e.what();
    }
    done_(std::move(doc));
    {
      std::lock_guard lock(mutex_);
      --busy_;
    }
    changed_.notify_all();
  }
}

nlohmann::json ScanDiagnoser::diagnose(const Job& job) {
  const std::string host = job.result.target.display();
  CommonOptions c = o_.common;
  c.host = host;
  if (c.cert.empty()) c.cert = "deny";  // scan never asks: an unknown certificate is reported
  Diagnosis d;
  d.original = profileFrom(c);
  d.floor = floorFor(c, d.original);
  d.command = "rdpdoctor diagnose " + host;
  d.probe = probeToJson(job.result);
  d.facts = hostFactsFrom(job.result);
  const std::string rejectedBefore = gate_.rejectedBy();
  Secret password = rejectedBefore.empty() ? password_ : Secret();
  d.haveCredentials = !password.empty() && !d.original.user.empty();
  if (!d.haveCredentials) password = Secret();
  DoctorRun run;
  run.probe = false;  // the scan's probe of this host gave the facts
  run.progress = false;
  run.askConsent = [](const CertificateSeen&, const std::string&) {
    return std::optional<CertPolicy>();
  };
  run.credentials = &gate_;
  run.attemptDeadline = ms(o_.attemptTimeout);
  const auto spent = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - start_);
  run.budget = std::max(std::chrono::milliseconds(0),
                        std::min(ms(o_.diagnoseTimeout), ms(o_.common.timeoutSeconds) - spent));
  run.logLevel = o_.common.logLevel;
  runDoctor(d, password, run);
  // a confirmed winner is remembered as diagnose remembers it: `connect HOST` goes straight to it
  rememberWinner(d);
  auto doc = toJson(d);
  if (!job.scan.is_null()) doc["scan"] = job.scan;
  const std::string rejectedBy = gate_.rejectedBy();
  const bool hadPassword = !password_.empty() && !o_.common.user.empty();
  std::lock_guard lock(mutex_);
  if (hadPassword && (!rejectedBefore.empty() || gate_.withheldFrom(host))) {
    doc["scan"]["credentials"] =
        "withheld: the password was rejected by " + rejectedBy + " (no lockout across hosts)";
    withheldFrom_.push_back(host);
  }
  if (!rejectedBy.empty() && !announced_) {
    announced_ = true;
    std::cerr << "rdpdoctor: scan: " << terminalText(rejectedBy) << " rejected the password of "
              << terminalText(o_.common.user)
              << ": no other host is sent it from now on (no lockout across the fleet)"
              << std::endl;
  }
  return doc;
}

nlohmann::json ScanDiagnoser::credentialsSummary() const {
  if (!haveCredentials()) return nullptr;
  std::lock_guard lock(mutex_);
  const auto by = gate_.rejectedBy();
  return {{"user", o_.common.user},
          {"rejected_by", by.empty() ? nlohmann::json(nullptr) : nlohmann::json(by)},
          {"withheld_from", withheldFrom_}};
}

}  // namespace rdpdoctor::app
