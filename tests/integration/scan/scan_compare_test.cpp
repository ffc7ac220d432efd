// `scan --compare OLD.jsonl` and `scan --merge A.jsonl B.jsonl` on the fleet: what an
// administrator re-runs weekly, and scans from several vantage points in one matrix.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "fleet_process.hpp"
#include "harness/process_run.hpp"
#include "rdpdoctor/lab/lab.hpp"

namespace rdpdoctor::scantest {
namespace {

using doctortest::baseEnvironment;
using doctortest::ProcessResult;
using doctortest::runProcess;
using nlohmann::json;

std::vector<json> parseLines(const std::string& text) {
  std::vector<json> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(json::parse(line));
  return out;
}

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string specOf(const json& d) {
  return d["host"].get<std::string>() + ":" + std::to_string(d["port"].get<int>());
}

class ScanCompare : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(fleet_.ok()) << fleet_.error(); }
  ProcessResult scan(const std::vector<std::string>& args) {
    std::vector<std::string> argv = {RDPDOCTOR_BIN, "scan"};
    argv.insert(argv.end(), args.begin(), args.end());
    argv.insert(argv.end(), {"--step-timeout", "1", "--host-timeout", "2"});
    return runProcess(
        {argv, baseEnvironment(dir_.path().string()), std::chrono::milliseconds(60000)});
  }
  std::string hostsOf(const std::set<std::string>& kinds) {
    std::string list;
    for (const auto& e : fleet_.endpoints())
      if (kinds.count(e.kind) != 0) list += e.hostSpec + "\n";
    return list;
  }
  std::filesystem::path write(const std::string& name, const std::string& text) {
    const auto p = dir_.path() / name;
    std::ofstream(p, std::ios::binary) << text;
    return p;
  }
  std::string hostOfKind(const std::string& kind) {
    for (const auto& e : fleet_.endpoints())
      if (e.kind == kind) return e.hostSpec;
    return {};
  }
  lab::TempDir dir_;
  FleetProcess fleet_{RDPDOCTOR_FLEET, 1};
};

TEST_F(ScanCompare, CompareNamesNewAndLostHostsFindingsThatMovedAndARenewedCertificate) {
  // last week's scan: the NLA, TLS and RDP hosts; then the administrator "fixed" things
  const auto first =
      scan({write("week1.txt", hostsOf({"nla", "tls", "rdp"})).string(), "--json", "-"});
  ASSERT_EQ(first.exitCode, 0) << first.describe() << "\n" << first.err;
  std::string old;
  for (auto d : parseLines(first.out)) {
    if (d["schema"] != "rdpdoctor/probe@1") continue;
    if (specOf(d) == hostOfKind("tls")) {
      // last week the TLS host had another certificate and no nla-not-required finding
      d["tls"]["certificate"]["sha256"] = "00:11";
      json kept = json::array();
      for (const auto& f : d["host_findings"])
        if (f["id"] != "nla-not-required") kept.push_back(f);
      d["host_findings"] = kept;
    }
    if (specOf(d) == hostOfKind("rdp")) continue;  // the RDP host is new this week
    old += d.dump() + "\n";
  }
  old += "not json\n";
  json gone = {{"schema", "rdpdoctor/probe@1"},
               {"host", "127.0.0.1"},
               {"port", 1},
               {"answer", "works"},
               {"host_findings", json::array()}};
  old += gone.dump() + "\n";
  const auto before = write("week1.jsonl", old);
  const auto csv = dir_.path() / "week2.csv";
  const auto second = scan({write("week2.txt", hostsOf({"nla", "tls", "rdp"})).string(), "--json",
                            "-", "--compare", before.string(), "--csv", csv.string()});
  ASSERT_EQ(second.exitCode, 0) << second.describe() << "\n" << second.err;
  EXPECT_NE(second.err.find("week1.jsonl:3: not a JSON document"), std::string::npos) << second.err;
  const auto lines = parseLines(second.out);
  ASSERT_GE(lines.size(), 2U);
  const auto& compare = lines[lines.size() - 2];
  ASSERT_EQ(compare["schema"], "rdpdoctor/scan-compare@1") << compare.dump(2);
  std::set<std::string> got;
  for (const auto& c : compare["changes"])
    got.insert(c["host"].get<std::string>() + " " + c["change"].get<std::string>() +
               (c["change"] == "finding-appeared" ? " " + c["detail"].get<std::string>() : ""));
  const std::set<std::string> want = {hostOfKind("rdp") + " new-host", "127.0.0.1:1 lost-host",
                                      hostOfKind("tls") + " finding-appeared nla-not-required",
                                      hostOfKind("tls") + " certificate-renewed"};
  EXPECT_EQ(got, want) << compare.dump(2);
  EXPECT_EQ(lines.back()["changes"]["new-host"], 1);
  EXPECT_EQ(lines.back()["changes"]["lost-host"], 1);
  for (const auto& d : lines) {
    if (d["schema"] == "rdpdoctor/probe@1" && specOf(d) == hostOfKind("nla")) {
      EXPECT_EQ(d["scan"]["changes"], "") << "the NLA host did not change";
    }
  }
  const auto all = slurp(csv);
  EXPECT_NE(all.find("finding-appeared nla-not-required; certificate-renewed 00:11 -> "),
            std::string::npos)
      << all;
}

TEST_F(ScanCompare, MergeMarksEveryRowWithTheScanItCameFrom) {
  const auto a = dir_.path() / "office.jsonl";
  const auto b = dir_.path() / "vpn.jsonl";
  ASSERT_EQ(
      scan({write("a.txt", hostsOf({"nla", "refused"})).string(), "--json", a.string()}).exitCode,
      0);
  ASSERT_EQ(scan({write("b.txt", hostsOf({"nla", "tls"})).string(), "--json", b.string()}).exitCode,
            0);
  const auto html = dir_.path() / "all.html";
  const auto merged =
      scan({"--merge", a.string(), b.string(), "--json", "-", "--html", html.string()});
  ASSERT_EQ(merged.exitCode, 0) << merged.describe() << "\n" << merged.err;
  std::multiset<std::string> rows;
  for (const auto& d : parseLines(merged.out))
    if (d["schema"] == "rdpdoctor/probe@1")
      rows.insert(specOf(d) + " " + d["scan"]["seen_from"].get<std::string>());
  const std::multiset<std::string> want = {hostOfKind("nla") + " office",
                                           hostOfKind("refused") + " office",
                                           hostOfKind("nla") + " vpn", hostOfKind("tls") + " vpn"};
  EXPECT_EQ(rows, want);
  const auto text = slurp(html);
  EXPECT_NE(text.find("<th>seen from</th>"), std::string::npos);
  EXPECT_NE(text.find(">vpn</td>"), std::string::npos);
}

}  // namespace
}  // namespace rdpdoctor::scantest
