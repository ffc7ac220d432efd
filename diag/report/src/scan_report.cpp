#include "rdpdoctor/report/scan_report.hpp"

#include <algorithm>

namespace rdpdoctor {
namespace {

using nlohmann::json;

std::string str(const json& j, const char* key) {
  if (!j.is_object() || !j.contains(key) || !j[key].is_string()) return {};
  return j[key].get<std::string>();
}

std::string joined(const json& list, const char* sep) {
  std::string out;
  if (!list.is_array()) return out;
  for (const auto& v : list) {
    if (!v.is_string()) continue;
    if (!out.empty()) out += sep;
    out += v.get<std::string>();
  }
  return out;
}

std::string csvCell(std::string s) {
  if (!s.empty() && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@')) s = "'" + s;
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace

std::optional<Severity> severityFrom(std::string_view text) {
  for (auto s : {Severity::Info, Severity::Low, Severity::Medium, Severity::High})
    if (toString(s) == text) return s;
  return std::nullopt;
}

std::string ScanRow::winnerText() const {
  if (!winner.empty()) return winner;
  return originalSignature.empty() ? "none" : "none: " + originalSignature;
}

ScanRow scanRowFrom(const json& doc) {
  if (str(doc, "schema") == "rdpdoctor/diagnose@1") {
    json probe = doc.contains("probe") && doc["probe"].is_object() ? doc["probe"] : json::object();
    if (doc.contains("scan")) probe["scan"] = doc["scan"];
    if (!probe.contains("host")) probe["host"] = doc.value("host", "");
    if (!probe.contains("port")) probe["port"] = doc.value("port", 0);
    ScanRow r = scanRowFrom(probe);
    r.diagnosed = true;
    if (doc.contains("winner") && doc["winner"].is_object())
      r.winner = str(doc["winner"], "summary");
    r.diagnosis = doc.contains("summary") ? str(doc["summary"], "problem") : std::string();
    if (doc.contains("original") && doc["original"].is_object())
      r.originalSignature = str(doc["original"], "signature");
    if (const auto stop = str(doc, "stopped_by"); !stop.empty())
      r.diagnosis += (r.diagnosis.empty() ? "" : "; ") + std::string("stopped by ") + stop;
    return r;
  }
  const json& d = doc;
  ScanRow r;
  r.host = str(d, "host");
  if (d.contains("port") && d["port"].is_number_integer()) r.port = d["port"].get<std::uint16_t>();
  r.address = str(d, "probed_address");
  r.answer = str(d, "answer");
  r.verdict = str(d, "verdict");
  if (d.contains("elapsed_ms") && d["elapsed_ms"].is_number()) r.elapsedMs = d["elapsed_ms"];
  if (d.contains("scan") && d["scan"].is_object()) {
    r.name = str(d["scan"], "name");
    r.tags = str(d["scan"], "tags");
    r.seenFrom = str(d["scan"], "seen_from");
  }
  if (d.contains("addresses") && d["addresses"].is_array() && !d["addresses"].empty())
    r.tcp = str(d["addresses"][0], "tcp");
  bool answered = false;  // some X.224 request got an RDP answer
  bool silent = true;     // every X.224 request timed out
  if (d.contains("negotiation") && d["negotiation"].is_array()) {
    for (const auto& n : d["negotiation"]) {
      std::string what = str(n, "result");
      answered = answered || what == "selected" || what == "failure" || what == "no-negotiation";
      silent = silent && what == "timeout";
      if (what == "selected") what = str(n, "selected");
      if (what == "failure") what = str(n, "failure");
      if (str(n, "failure") == "HYBRID_REQUIRED_BY_SERVER") r.nlaRequired = true;
      r.negotiation.emplace_back(joined(n.value("requested", json::array()), "|"), what);
    }
  }
  if (r.address.empty())
    r.reach = "no-tcp";
  else if (answered)
    r.reach = "rdp";
  else
    r.reach = silent ? "silent" : "not-rdp";
  r.reachable = answered && !r.address.empty();
  if (d.contains("tls") && d["tls"].is_object()) {
    const auto& t = d["tls"];
    if (t.contains("versions") && t["versions"].is_object())
      for (const auto& [k, v] : t["versions"].items())
        if (v.is_string()) r.tls[k] = v.get<std::string>();
    if (t.contains("min_seclevel") && t["min_seclevel"].is_number_integer())
      r.minSecLevel = t["min_seclevel"].get<int>();
    if (t.contains("certificate") && t["certificate"].is_object()) {
      const auto& c = t["certificate"];
      if (c.contains("days_left") && c["days_left"].is_number_integer())
        r.certificateDaysLeft = c["days_left"].get<std::int64_t>();
      r.certificate = str(c, "subject") + " issued by " + str(c, "issuer") + ", " +
                      str(c, "not_before") + " to " + str(c, "not_after") + ", sha256 " +
                      str(c, "sha256");
    }
  }
  if (d.contains("rdp_security") && d["rdp_security"].is_object()) {
    r.rdpMethods = joined(d["rdp_security"].value("methods", json::array()), ",");
    r.rdpLevel = str(d["rdp_security"], "level");
  }
  if (d.contains("host_findings") && d["host_findings"].is_array())
    for (const auto& f : d["host_findings"])
      if (auto s = severityFrom(str(f, "severity")))
        r.findings.push_back({str(f, "id"), *s, str(f, "evidence")});
  std::stable_sort(
      r.findings.begin(), r.findings.end(),
      [](const ScanFinding& a, const ScanFinding& b) { return a.severity > b.severity; });
  return r;
}

void ScanTally::add(const ScanRow& row) {
  ++hosts_;
  if (row.reachable) ++reachable_;
  if (!row.address.empty()) ++tcpOpen_;
  ++reach_[row.reach.empty() ? "no-tcp" : row.reach];
  if (row.diagnosed) ++diagnosed_;
  if (row.diagnosed && !row.winner.empty()) ++winners_;
  ++answers_[row.answer.empty() ? "unknown" : row.answer];
  for (const auto& f : row.findings) {
    auto& e = findings_[f.id];
    e.first = f.severity;
    ++e.second;
  }
  if (const auto* t = row.top()) ++worst_[t->severity];
}

json ScanTally::summary(std::int64_t elapsedMs) const {
  json s;
  s["schema"] = kScanSummarySchema;
  s["hosts"] = hosts_;
  s["reachable"] = reachable_;
  s["tcp_open"] = tcpOpen_;
  s["reach"] = json::object();
  for (const auto& [k, v] : reach_) s["reach"][k] = v;
  if (diagnosed_ != 0) s["diagnosed"] = {{"hosts", diagnosed_}, {"with_winner", winners_}};
  s["verdicts"] = json::object();
  for (const auto& [k, v] : answers_) s["verdicts"][k] = v;
  s["findings"] = json::object();
  for (const auto& [id, e] : findings_)
    s["findings"][id] = {{"severity", std::string(toString(e.first))}, {"hosts", e.second}};
  s["hosts_by_worst_severity"] = json::object();
  for (const auto& [sev, n] : worst_) s["hosts_by_worst_severity"][std::string(toString(sev))] = n;
  s["elapsed_ms"] = elapsedMs;
  return s;
}

bool ScanTally::reached(Severity s) const {
  return std::any_of(findings_.begin(), findings_.end(),
                     [s](const auto& e) { return e.second.first >= s; });
}

std::string scanCsvHeader() {
  return "host,port,name,address,reachable,answer,neg_ssl_hybrid,neg_rdp,neg_ssl,neg_hybrid,"
         "neg_ssl_hybrid_ex,neg_rdstls,nla_required,tls_1.0,tls_1.1,tls_1.2,tls_1.3,min_seclevel,"
         "cert_days_left,rdp_methods,rdp_level,top_finding,severity,findings,verdict,seen_from,"
         "changes,reach,winner,diagnosis\n";
}

std::string scanCsvLine(const ScanRow& r) {
  static const char* kSets[] = {"SSL|HYBRID",           "RDP",   "SSL", "HYBRID",
                                "SSL|HYBRID|HYBRID_EX", "RDSTLS"};
  std::vector<std::string> cells = {r.host,    std::to_string(r.port),     r.name,
                                    r.address, r.reachable ? "yes" : "no", r.answer};
  for (const char* set : kSets) {
    std::string v;
    for (const auto& [req, what] : r.negotiation)
      if (req == set) v = what;
    cells.push_back(v);
  }
  cells.push_back(r.reachable ? (r.nlaRequired ? "yes" : "no") : "");
  for (const char* v : {"1.0", "1.1", "1.2", "1.3"}) {
    const auto it = r.tls.find(v);
    cells.push_back(it == r.tls.end() ? "" : it->second);
  }
  cells.push_back(r.minSecLevel ? std::to_string(*r.minSecLevel) : "");
  cells.push_back(r.certificateDaysLeft ? std::to_string(*r.certificateDaysLeft) : "");
  cells.push_back(r.rdpMethods);
  cells.push_back(r.rdpLevel);
  const auto* top = r.top();
  cells.push_back(top ? top->id : "");
  cells.push_back(top ? std::string(toString(top->severity)) : "");
  std::string ids;
  for (const auto& f : r.findings) ids += (ids.empty() ? "" : " ") + f.id;
  cells.push_back(ids);
  cells.push_back(r.verdict);
  cells.push_back(r.seenFrom);
  cells.push_back(r.changes);
  cells.push_back(r.reach);
  cells.push_back(r.diagnosed ? r.winnerText() : "");
  cells.push_back(r.diagnosis);
  std::string line;
  for (std::size_t i = 0; i < cells.size(); ++i) line += (i == 0 ? "" : ",") + csvCell(cells[i]);
  return line + "\n";
}

}  // namespace rdpdoctor
