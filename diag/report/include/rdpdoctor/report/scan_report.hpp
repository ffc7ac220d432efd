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
  /// How far the host got: "rdp" (it answered the X.224 request as an RDP host), "silent" (TCP
  /// connected, no answer before the deadline), "not-rdp" (TCP connected, it answered something
  /// else or closed), "no-tcp" (no address took the connection). `reachable` is reach == "rdp".
  std::string reach;
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
  /// --diagnose: the host's doctor ran (its line is a rdpdoctor/diagnose@1 document).
  bool diagnosed = false;
  std::string winner;     // the winner's one-line summary ("tls, seclevel 0"); "" when none
  std::string diagnosis;  // the diagnosis's problem line, and what stopped its ladder
  /// With a diagnosis and no winner: "none: <signature of the original settings>".
  [[nodiscard]] std::string winnerText() const;
  std::string originalSignature;  // the diagnosis's original signature ("credentials-missing")
  std::string seenFrom;           // --merge: the scan (vantage point) it came from
  std::string changes;            // --compare: "new-host", "finding-appeared nla-not-required; ..."

  [[nodiscard]] const ScanFinding* top() const { return findings.empty() ? nullptr : &findings[0]; }
};

[[nodiscard]] std::optional<Severity> severityFrom(std::string_view text);
/// From a rdpdoctor/probe@1 document, or a rdpdoctor/diagnose@1 one (its probe, its winner).
[[nodiscard]] ScanRow scanRowFrom(const nlohmann::json& document);

/// The counts of the summary line.
class ScanTally {
 public:
  void add(const ScanRow& row);
  /// {"schema":"rdpdoctor/scan-summary@1", hosts, reachable (answered as RDP hosts), tcp_open,
  /// reach{rdp, silent, not-rdp, no-tcp}, verdicts{}, findings{id:{severity, hosts}},
  /// severities{}, elapsed_ms, ...}; with diagnosed hosts, diagnosed{hosts, with_winner}
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
  std::size_t tcpOpen_ = 0;
  std::size_t diagnosed_ = 0;
  std::size_t winners_ = 0;
  std::map<std::string, std::size_t> reach_;
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
