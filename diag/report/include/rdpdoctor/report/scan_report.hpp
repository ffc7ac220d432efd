#pragma once
// `scan`: one row per host read from its rdpdoctor/probe@1 document (so earlier scans' JSON Lines
// render the same way), the scan-summary@1 line, CSV rows and the HTML matrix.
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "rdpdoctor/verdict/host_findings.hpp"

namespace rdpdoctor {

inline constexpr const char* kScanSummarySchema = "rdpdoctor/scan-summary@1";

struct ScanFinding {
  std::string id;
  Severity severity = Severity::Info;
  std::string evidence;
};

/// What the CSV and the matrix show of one host (server text inside: renderers escape it).
struct ScanRow {
  std::string host;
  std::uint16_t port = 0;
  std::string address;  // the address probed ("" when none answered)
  std::string name;
  std::string tags;
  bool reachable = false;
  std::string answer;  // probe's answer: works, no-rdp, timeout, unreachable
  std::string tcp;     // the first address's TCP result
  /// Per request set ("SSL|HYBRID"): the selected protocol, the failure name, or the result.
  std::vector<std::pair<std::string, std::string>> negotiation;
  bool nlaRequired = false;
  std::map<std::string, std::string> tls;  // "1.0".."1.3" -> ok/refused/not-offered/...
  std::optional<int> minSecLevel;
  std::optional<std::int64_t> certificateDaysLeft;
  std::string certificate;  // subject, issuer, dates, sha256 in one line
  std::string rdpMethods;   // "128,FIPS"; "" when none
  std::string rdpLevel;
  std::vector<ScanFinding> findings;  // most severe first
  std::string verdict;
  std::int64_t elapsedMs = 0;
  std::string seenFrom;  // --merge: the scan (vantage point) it came from
  std::string changes;   // --compare: "new-host", "finding-appeared nla-not-required; ..."

  [[nodiscard]] const ScanFinding* top() const { return findings.empty() ? nullptr : &findings[0]; }
};

[[nodiscard]] std::optional<Severity> severityFrom(std::string_view text);
[[nodiscard]] ScanRow scanRowFrom(const nlohmann::json& probeDocument);

/// The counts of the summary line.
class ScanTally {
 public:
  void add(const ScanRow& row);
  /// {"schema":"rdpdoctor/scan-summary@1", hosts, reachable, verdicts{}, findings{id:{severity,
  /// hosts}}, severities{}, elapsed_ms, ...}
  [[nodiscard]] nlohmann::json summary(std::int64_t elapsedMs) const;
  /// A host has a finding at or above `s`.
  [[nodiscard]] bool reached(Severity s) const;
  [[nodiscard]] std::size_t hosts() const { return hosts_; }
  [[nodiscard]] std::size_t unreachable() const { return hosts_ - reachable_; }
  /// Hosts whose probe's answer is not "works" (no RDP, timeout, unreachable).
  [[nodiscard]] std::size_t failing() const {
    const auto it = answers_.find("works");
    return hosts_ - (it == answers_.end() ? 0 : it->second);
  }

 private:
  std::size_t hosts_ = 0;
  std::size_t reachable_ = 0;
  std::map<std::string, std::size_t> answers_;
  std::map<std::string, std::pair<Severity, std::size_t>> findings_;
  std::map<Severity, std::size_t> worst_;  // hosts by their most severe finding
};

[[nodiscard]] std::string scanCsvHeader();
/// One CSV line (RFC 4180 quoting; a cell starting with = + - @ gets a leading ' against formula
/// injection).
[[nodiscard]] std::string scanCsvLine(const ScanRow& row);

/// The self-contained matrix: hosts x layers, sortable and filterable by its own script.
[[nodiscard]] std::string renderScanHtml(const std::vector<ScanRow>& rows,
                                         const nlohmann::json& summary);

}  // namespace rdpdoctor
