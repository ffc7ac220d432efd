// scan rows from probe@1 documents, the summary counts, CSV quoting, the matrix's escaping.
#include "rdpdoctor/report/scan_report.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace rdpdoctor {
namespace {

using nlohmann::json;

json document(const std::string& evidence, const std::string& severity) {
  return {{"schema", "rdpdoctor/probe@1"},
          {"host", "127.0.0.1"},
          {"port", 3390},
          {"probed_address", "127.0.0.1"},
          {"answer", "works"},
          {"negotiation", json::array({{{"requested", {"RDP"}},
                                        {"result", "failure"},
                                        {"selected", nullptr},
                                        {"failure", "HYBRID_REQUIRED_BY_SERVER"}}})},
          {"host_findings",
           json::array({{{"id", "certificate-self-signed"}, {"severity", "low"}, {"evidence", "x"}},
                        {{"id", "made-up"}, {"severity", severity}, {"evidence", evidence}}})},
          {"verdict", "=cmd|' /C calc'!A0"}};
}

TEST(ScanReport, RowReadsTheDocumentMostSevereFindingFirst) {
  const auto row = scanRowFrom(document("e", "high"));
  EXPECT_TRUE(row.reachable);
  EXPECT_TRUE(row.nlaRequired);
  ASSERT_EQ(row.findings.size(), 2U);
  EXPECT_EQ(row.findings[0].id, "made-up");
  EXPECT_EQ(row.findings[0].severity, Severity::High);
}

TEST(ScanReport, ASilentHostTookTcpButIsNotReachableAsAnRdpHost) {
  auto silent = document("e", "high");
  silent["answer"] = "timeout";
  silent["negotiation"] =
      json::array({{{"requested", {"SSL", "HYBRID"}}, {"result", "timeout"}, {"selected", nullptr}},
                   {{"requested", {"RDP"}}, {"result", "timeout"}, {"selected", nullptr}}});
  const auto row = scanRowFrom(silent);
  EXPECT_FALSE(row.reachable);
  EXPECT_EQ(row.reach, "silent");
  auto garbage = silent;
  garbage["negotiation"][1]["result"] = "error";
  EXPECT_EQ(scanRowFrom(garbage).reach, "not-rdp");
  auto refused = silent;
  refused["probed_address"] = "";
  EXPECT_EQ(scanRowFrom(refused).reach, "no-tcp");
  ScanTally t;
  t.add(row);
  t.add(scanRowFrom(document("e", "low")));
  t.add(scanRowFrom(refused));
  const auto s = t.summary(1);
  EXPECT_EQ(s["reachable"], 1);
  EXPECT_EQ(s["tcp_open"], 2);
  EXPECT_EQ(s["reach"], json({{"rdp", 1}, {"silent", 1}, {"no-tcp", 1}}));
  const auto line = scanCsvLine(row);
  EXPECT_NE(line.find(",no,timeout,"), std::string::npos) << line;
  EXPECT_EQ(line.substr(line.size() - 10), ",silent,,\n") << line;
  const auto html = renderScanHtml({row}, s);
  EXPECT_NE(html.find("1 reachable, 1 silent</h1>"), std::string::npos);
}

TEST(ScanReport, ADiagnoseDocumentIsReadThroughItsProbeWithTheWinner) {
  const json diagnosed = {{"schema", "rdpdoctor/diagnose@1"},
                          {"host", "127.0.0.1"},
                          {"port", 3390},
                          {"probe", document("e", "medium")},
                          {"summary", {{"problem", "TLS: legacy"}}},
                          {"stopped_by", nullptr},
                          {"winner", {{"summary", "tls, seclevel 0"}}}};
  const auto row = scanRowFrom(diagnosed);
  EXPECT_TRUE(row.diagnosed);
  EXPECT_TRUE(row.reachable);
  EXPECT_EQ(row.winner, "tls, seclevel 0");
  EXPECT_EQ(row.findings.size(), 2U);
  const auto line = scanCsvLine(row);
  const std::string tail = ",rdp,\"tls, seclevel 0\",TLS: legacy\n";
  EXPECT_EQ(line.substr(line.size() - tail.size()), tail) << line;
  ScanTally t;
  t.add(row);
  t.add(scanRowFrom(document("e", "low")));
  EXPECT_EQ(t.summary(1)["diagnosed"], json({{"hosts", 1}, {"with_winner", 1}}));
  EXPECT_NE(renderScanHtml({row}, t.summary(1)).find("<th>winner</th>"), std::string::npos);
  EXPECT_EQ(renderScanHtml({scanRowFrom(document("e", "low"))}, t.summary(1)).find("<th>winner"),
            std::string::npos);
}

TEST(ScanReport, ADiagnosisWithoutAWinnerSaysWhyBesideNone) {
  const json diagnosed = {{"schema", "rdpdoctor/diagnose@1"},
                          {"host", "127.0.0.1"},
                          {"port", 3390},
                          {"probe", document("e", "medium")},
                          {"summary", {{"problem", "NLA: no credentials"}}},
                          {"original", {{"signature", "credentials-missing"}}},
                          {"winner", nullptr}};
  const auto row = scanRowFrom(diagnosed);
  EXPECT_EQ(row.winnerText(), "none: credentials-missing");
  const auto line = scanCsvLine(row);
  const std::string tail = ",rdp,none: credentials-missing,NLA: no credentials\n";
  EXPECT_EQ(line.substr(line.size() - tail.size()), tail) << line;
  ScanTally t;
  t.add(row);
  EXPECT_NE(renderScanHtml({row}, t.summary(1)).find("none: credentials-missing"),
            std::string::npos);
}

TEST(ScanReport, TallyReachesASeverityOnlyWhenAFindingIsAtOrAboveIt) {
  ScanTally t;
  t.add(scanRowFrom(document("e", "medium")));
  EXPECT_TRUE(t.reached(Severity::Medium));
  EXPECT_FALSE(t.reached(Severity::High));
  const auto s = t.summary(5);
  EXPECT_EQ(s["schema"], "rdpdoctor/scan-summary@1");
  EXPECT_EQ(s["findings"]["made-up"]["hosts"], 1);
  EXPECT_EQ(s["verdicts"]["works"], 1);
}

TEST(ScanReport, CsvQuotesAndDefusesFormulas) {
  const auto line = scanCsvLine(scanRowFrom(document("e", "high")));
  EXPECT_NE(line.find(",'=cmd|' /C calc'!A0,,,rdp,,\n"), std::string::npos)
      << line;  // then seen_from, changes, reach, winner, diagnosis
  EXPECT_EQ(line.rfind("127.0.0.1,3390,", 0), 0U) << line;
}

TEST(ScanReport, MatrixEscapesServerText) {
  const auto row = scanRowFrom(document("<script>alert(1)</script>\"", "high"));
  const auto html = renderScanHtml({row}, ScanTally().summary(1));
  EXPECT_EQ(html.find("<script>alert"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt;&quot;"), std::string::npos);
}

}  // namespace
}  // namespace rdpdoctor
