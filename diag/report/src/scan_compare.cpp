#include "rdpdoctor/report/scan_compare.hpp"

#include <map>
#include <set>

namespace rdpdoctor {
namespace {

std::string key(const ScanRow& r) { return r.host + ":" + std::to_string(r.port); }

std::string sha256Of(const ScanRow& r) {
  const auto at = r.certificate.rfind("sha256 ");
  return at == std::string::npos ? "" : r.certificate.substr(at + 7);
}

}  // namespace

std::string_view toString(ScanChangeKind k) {
  switch (k) {
    case ScanChangeKind::NewHost:
      return "new-host";
    case ScanChangeKind::LostHost:
      return "lost-host";
    case ScanChangeKind::FindingAppeared:
      return "finding-appeared";
    case ScanChangeKind::FindingGone:
      return "finding-gone";
    case ScanChangeKind::CertificateRenewed:
      return "certificate-renewed";
    case ScanChangeKind::AnswerChanged:
      return "answer-changed";
  }
  return "?";
}

std::vector<ScanChange> compareScans(const std::vector<ScanRow>& before,
                                     const std::vector<ScanRow>& after) {
  std::map<std::string, const ScanRow*> old;
  for (const auto& r : before) old[key(r)] = &r;
  std::vector<ScanChange> out;
  std::set<std::string> seen;
  for (const auto& now : after) {
    const auto k = key(now);
    seen.insert(k);
    const auto it = old.find(k);
    if (it == old.end()) {
      out.push_back({k, ScanChangeKind::NewHost, now.answer});
      continue;
    }
    const ScanRow& was = *it->second;
    if (was.answer != now.answer)
      out.push_back({k, ScanChangeKind::AnswerChanged, was.answer + " -> " + now.answer});
    std::set<std::string> wasIds;
    std::set<std::string> nowIds;
    for (const auto& f : was.findings) wasIds.insert(f.id);
    for (const auto& f : now.findings) nowIds.insert(f.id);
    for (const auto& f : now.findings)
      if (wasIds.count(f.id) == 0) out.push_back({k, ScanChangeKind::FindingAppeared, f.id});
    for (const auto& f : was.findings)
      if (nowIds.count(f.id) == 0) out.push_back({k, ScanChangeKind::FindingGone, f.id});
    const auto a = sha256Of(was);
    const auto b = sha256Of(now);
    if (!a.empty() && !b.empty() && a != b)
      out.push_back({k, ScanChangeKind::CertificateRenewed, a + " -> " + b});
  }
  for (const auto& r : before)
    if (seen.count(key(r)) == 0) out.push_back({key(r), ScanChangeKind::LostHost, r.answer});
  return out;
}

nlohmann::json changesToJson(const std::vector<ScanChange>& changes) {
  nlohmann::json j;
  j["schema"] = kScanCompareSchema;
  j["changes"] = nlohmann::json::array();
  j["counts"] = nlohmann::json::object();
  for (const auto& c : changes) {
    const std::string kind(toString(c.kind));
    j["changes"].push_back({{"host", c.host}, {"change", kind}, {"detail", c.detail}});
    j["counts"][kind] = j["counts"].value(kind, 0) + 1;
  }
  return j;
}

}  // namespace rdpdoctor
