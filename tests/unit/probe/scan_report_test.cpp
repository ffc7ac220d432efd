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
  EXPECT_NE(line.find(",'=cmd|' /C calc'!A0,,\n"), std::string::npos)
      << line;  // then seen_from, changes
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
