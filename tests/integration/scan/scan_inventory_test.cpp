// `rdpdoctor scan` inventories as an administrator has them: a CSV export, nmap -oX XML, a CIDR
// range, a folder of .rdp files; and the HTML matrix as Chromium shows it.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
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

std::string portOf(const std::string& hostSpec) { return hostSpec.substr(hostSpec.rfind(':') + 1); }

class ScanInventory : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(fleet_.ok()) << fleet_.error();
    for (const auto& e : fleet_.endpoints()) byKind_[e.kind] = e.hostSpec;
  }
  ProcessResult scan(const std::vector<std::string>& args) {
    std::vector<std::string> argv = {RDPDOCTOR_BIN, "scan"};
    argv.insert(argv.end(), args.begin(), args.end());
    return runProcess(
        {argv, baseEnvironment(dir_.path().string()), std::chrono::milliseconds(60000)});
  }
  std::filesystem::path write(const std::string& name, const std::string& text) {
    const auto p = dir_.path() / name;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
    return p;
  }
  /// host:port -> the probe@1 line; the summary separately.
  std::map<std::string, json> hosts(const std::string& out, json& summary) {
    std::map<std::string, json> m;
    std::istringstream in(out);
    for (std::string line; std::getline(in, line);) {
      auto j = json::parse(line);
      if (j["schema"] == "rdpdoctor/scan-summary@1") {
        summary = j;
        continue;
      }
      m[j["host"].get<std::string>() + ":" + std::to_string(j["port"].get<int>())] = j;
    }
    return m;
  }
  lab::TempDir dir_;
  FleetProcess fleet_{RDPDOCTOR_FLEET, 1};
  std::map<std::string, std::string> byKind_;
};

TEST_F(ScanInventory, CsvNmapXmlCidrAndRdpFolderAreReadAndMerged) {
  const auto csv = write("export.csv",
                         "name,host,port,tags\n"
                         "gateway-nla,127.0.0.1," +
                             portOf(byKind_["nla"]) +
                             ",\"dmz, windows\"\n"
                             "broken,127.0.0.1,99999,\n");
  const auto xml = write(
      "nmap.xml",
      "<?xml version=\"1.0\"?><nmaprun scanner=\"nmap\"><host><status state=\"up\"/>"
      "<address addr=\"127.0.0.1\" addrtype=\"ipv4\"/><ports>"
      "<port protocol=\"tcp\" portid=\"" +
          portOf(byKind_["tls"]) +
          "\"><state state=\"open\"/><service name=\"ms-wbt-server\"/></port>"
          "<port protocol=\"tcp\" portid=\"" +
          portOf(byKind_["refused"]) +
          "\"><state state=\"closed\"/><service name=\"ms-wbt-server\"/></port>"
          "<port protocol=\"tcp\" portid=\"22\"><state state=\"open\"/><service name=\"ssh\"/>"
          "</port></ports></host></nmaprun>\n");
  write("rdp/pre-vista.rdp", "full address:s:" + byKind_["pre-vista"] + "\r\n");
  write("rdp/again-nla.rdp", "full address:s:" + byKind_["nla"] + "\r\n");
  const std::string range = "127.0.0.0/30:" + portOf(byKind_["rdp"]);  // .1 and .2
  const auto run = scan({csv.string(), xml.string(), range, (dir_.path() / "rdp").string(),
                         "--json", "-", "--step-timeout", "1", "--host-timeout", "2"});
  ASSERT_EQ(run.exitCode, 0) << run.describe() << "\n" << run.err;
  EXPECT_NE(run.err.find("export.csv:3: bad port '99999'"), std::string::npos) << run.err;
  json summary;
  const auto got = hosts(run.out, summary);
  std::set<std::string> names;
  for (const auto& [k, v] : got) names.insert(k);
  const std::set<std::string> want = {byKind_["nla"], byKind_["tls"], byKind_["rdp"],
                                      "127.0.0.2:" + portOf(byKind_["rdp"]), byKind_["pre-vista"]};
  EXPECT_EQ(names, want) << run.out;
  EXPECT_EQ(summary["inventory"]["duplicates"], 1);  // the NLA host in the CSV and the folder
  EXPECT_EQ(got.at(byKind_["nla"])["scan"]["name"], "gateway-nla");
  EXPECT_EQ(got.at(byKind_["nla"])["scan"]["tags"], "dmz, windows");
  EXPECT_EQ(got.at(byKind_["pre-vista"])["scan"]["name"], "pre-vista");
  EXPECT_EQ(got.at(byKind_["tls"])["answer"], "works");
  EXPECT_EQ(got.at(byKind_["rdp"])["answer"], "works");
  EXPECT_EQ(got.at("127.0.0.2:" + portOf(byKind_["rdp"]))["answer"], "unreachable");
}

std::string visibleText(const std::string& dom) {
  return std::regex_replace(dom, std::regex("<[^>]*>"), " ");
}

TEST_F(ScanInventory, HtmlMatrixInChromiumFiltersSortsAndChartsWithoutAServer) {
  const std::string chromium = "/usr/bin/chromium";
  ASSERT_TRUE(std::filesystem::exists(chromium))
      << "chromium is not installed (packaging/install-deps.sh)";
  std::string list;
  for (const auto& e : fleet_.endpoints()) list += e.hostSpec + "\n";
  const auto html = dir_.path() / "matrix.html";
  const auto run = scan({write("hosts.txt", list).string(), "--html", html.string(),
                         "--step-timeout", "1", "--host-timeout", "2"});
  ASSERT_EQ(run.exitCode, 0) << run.describe() << "\n" << run.err;
  const auto dump = [&](const std::string& hash) {
    const auto r = runProcess({{chromium, "--headless", "--no-sandbox", "--disable-gpu",
                                "--user-data-dir=" + (dir_.path() / "chromium").string(),
                                "--no-first-run", "--dump-dom", "file://" + html.string() + hash},
                               baseEnvironment(dir_.path().string()),
                               std::chrono::milliseconds(60000)});
    EXPECT_EQ(r.exitCode, 0) << r.describe() << "\n" << r.err;
    return r.out;
  };
  const auto all = dump("");
  const auto hostsShown = std::to_string(fleet_.endpoints().size());
  EXPECT_NE(visibleText(all).find(hostsShown + " of " + hostsShown + " hosts"), std::string::npos)
      << "the script ran: " << all;
  EXPECT_NE(all.find("class=\"bars\""), std::string::npos) << "the counts chart";
  EXPECT_NE(visibleText(all).find("unreachable"), std::string::npos);
  // filtered to high findings: the hosts that accept standard RDP security (negotiate, rdp,
  // pre-vista) remain
  const auto high = dump("#severity=high");
  EXPECT_NE(visibleText(high).find("3 of " + hostsShown + " hosts"), std::string::npos) << high;
  // sorted by host: the refused host's row (lowest port is not known in advance) moves; check
  // that the rows come out ordered by their host:port text
  const auto sorted = dump("#sort=host");
  std::vector<std::string> order;
  const std::regex firstCell("<tr data-severity=\"[a-z]*\"><td [^>]*>([^<]*)</td>");
  for (std::sregex_iterator it(sorted.begin(), sorted.end(), firstCell), end; it != end; ++it)
    order.push_back((*it)[1]);
  ASSERT_EQ(order.size(), fleet_.endpoints().size()) << sorted;
  EXPECT_TRUE(std::is_sorted(order.begin(), order.end())) << sorted;
}

}  // namespace
}  // namespace rdpdoctor::scantest
