#pragma once
// `scan --compare OLD.jsonl`: what changed since an earlier scan, host by host (pure: rows in,
// changes out). The rows come from each scan's probe@1 lines (scanRowFrom).
#include <string>
#include <vector>

#include "rdpdoctor/report/scan_report.hpp"

namespace rdpdoctor {

inline constexpr const char* kScanCompareSchema = "rdpdoctor/scan-compare@1";

enum class ScanChangeKind {
  NewHost,             // in this scan, not in the old one
  LostHost,            // in the old scan, not in this one
  FindingAppeared,     // detail: the finding id
  FindingGone,         // detail: the finding id
  CertificateRenewed,  // detail: "old sha256 -> new sha256"
  AnswerChanged,       // detail: "works -> timeout"
};

struct ScanChange {
  std::string host;  // "host:port"
  ScanChangeKind kind = ScanChangeKind::NewHost;
  std::string detail;
};

[[nodiscard]] std::string_view toString(ScanChangeKind k);

/// Every change from `before` to `after` (hosts matched by host and port), in the order of
/// `after`, lost hosts last.
[[nodiscard]] std::vector<ScanChange> compareScans(const std::vector<ScanRow>& before,
                                                   const std::vector<ScanRow>& after);

/// {"schema":"rdpdoctor/scan-compare@1","changes":[{host, change, detail}], "counts":{...}}
[[nodiscard]] nlohmann::json changesToJson(const std::vector<ScanChange>& changes);

}  // namespace rdpdoctor
