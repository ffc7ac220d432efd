// `rdpdoctor scan` on tests/lab's fleet (nla, tls, negotiate, rdp, pre-vista, refused and silent
// endpoints served by one process) plus a real xrdp: every host's facts, the three formats, the
// summary, --fail-on, and Ctrl-C on a terminal.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "fleet_process.hpp"
#include "harness/doctor_run.hpp"
#include "harness/process_run.hpp"
#include "harness/terminal_run.hpp"
#include "rdpdoctor/lab/lab.hpp"

namespace rdpdoctor::scantest {
namespace {

using doctortest::baseEnvironment;
using doctortest::ProcessResult;
using doctortest::runProcess;
using nlohmann::json;

std::vector<json> jsonLines(const std::string& text) {
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

/// The cells of one CSV line (RFC 4180 quotes).
std::vector<std::string> csvCells(const std::string& line) {
  std::vector<std::string> cells(1);
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted && c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
      cells.back() += '"';
      ++i;
    } else if (c == '"') {
      quoted = !quoted;
    } else if (c == ',' && !quoted) {
      cells.emplace_back();
    } else {
      cells.back() += c;
    }
  }
  return cells;
}

std::string spec(const json& d) {
  return d["host"].get<std::string>() + ":" + std::to_string(d["port"].get<int>());
}

/// The negotiation entry of `d` for exactly `requested` ("SSL|HYBRID").
json negotiation(const json& d, const std::string& requested) {
  for (const auto& n : d["negotiation"]) {
    std::string r;
    for (const auto& p : n["requested"]) r += (r.empty() ? "" : "|") + p.get<std::string>();
    if (r == requested) return n;
  }
  return nullptr;
}

std::string outcome(const json& d, const std::string& requested) {
  const auto n = negotiation(d, requested);
  if (n.is_null()) return "absent";
  if (n["result"] == "selected") return n["selected"];
  if (n["result"] == "failure") return n["failure"];
  return n["result"];
}

class Scan : public ::testing::Test {
 protected:
  ProcessResult scan(const std::vector<std::string>& args,
                     std::chrono::milliseconds deadline = std::chrono::milliseconds(60000)) {
    std::vector<std::string> argv = {RDPDOCTOR_BIN, "scan"};
    argv.insert(argv.end(), args.begin(), args.end());
    return runProcess({argv, baseEnvironment(dir_.path().string()), deadline});
  }
  std::filesystem::path write(const std::string& name, const std::string& text) {
    const auto p = dir_.path() / name;
    std::ofstream(p, std::ios::binary) << text;
    return p;
  }
  lab::TempDir dir_;
};

/// What each kind of fleet endpoint must show (from the fleet's own rules in fleet_main.cpp).
void expectFacts(const std::string& kind, const json& d) {
  SCOPED_TRACE(kind + " " + spec(d));
  EXPECT_EQ(d["schema"], "rdpdoctor/probe@1");
  const auto& tls = d["tls"]["versions"];
  const json modernTls = {{"1.0", "refused"}, {"1.1", "refused"}, {"1.2", "ok"}, {"1.3", "ok"}};
  if (kind == "nla") {
    EXPECT_EQ(d["answer"], "works");
    EXPECT_EQ(outcome(d, "SSL|HYBRID"), "HYBRID");
    EXPECT_EQ(outcome(d, "RDP"), "HYBRID_REQUIRED_BY_SERVER");
    EXPECT_EQ(outcome(d, "SSL"), "HYBRID_REQUIRED_BY_SERVER");
    EXPECT_EQ(tls, modernTls);
    EXPECT_EQ(d["tls"]["certificate"]["subject"], "CN=rdpdoctor-fleet");
    EXPECT_EQ(d["rdp_security"]["methods"], json::array());
  } else if (kind == "tls") {
    EXPECT_EQ(d["answer"], "works");
    EXPECT_EQ(outcome(d, "SSL"), "SSL");
    EXPECT_EQ(outcome(d, "HYBRID"), "SSL_REQUIRED_BY_SERVER");
    EXPECT_EQ(outcome(d, "RDP"), "SSL_REQUIRED_BY_SERVER");
    EXPECT_EQ(tls, modernTls);
  } else if (kind == "negotiate") {
    EXPECT_EQ(d["answer"], "works");
    EXPECT_EQ(outcome(d, "SSL|HYBRID"), "HYBRID");
    EXPECT_EQ(outcome(d, "SSL"), "SSL");
    EXPECT_EQ(outcome(d, "RDP"), "RDP");
    EXPECT_EQ(tls, modernTls);
    EXPECT_EQ(d["rdp_security"]["methods"], json::array({"128"}));
  } else if (kind == "rdp") {
    EXPECT_EQ(d["answer"], "works");
    EXPECT_EQ(outcome(d, "SSL|HYBRID"), "SSL_NOT_ALLOWED_BY_SERVER");
    EXPECT_EQ(outcome(d, "RDP"), "RDP");
    EXPECT_FALSE(d["tls"]["offered"].get<bool>());
    EXPECT_EQ(d["rdp_security"]["methods"], json::array({"128"}));
    EXPECT_EQ(d["rdp_security"]["level"], "client-compatible");
  } else if (kind == "pre-vista") {
    EXPECT_EQ(d["answer"], "works");
    EXPECT_EQ(outcome(d, "SSL|HYBRID"), "no-negotiation");
    EXPECT_EQ(outcome(d, "RDP"), "no-negotiation");
    EXPECT_EQ(d["rdp_security"]["methods"], json::array({"128"}));
  } else if (kind == "refused") {
    EXPECT_EQ(d["answer"], "unreachable");
    EXPECT_EQ(d["addresses"][0]["tcp"], "refused");
  } else if (kind == "silent") {
    EXPECT_EQ(d["answer"], "timeout");
    EXPECT_EQ(d["addresses"][0]["tcp"], "ok");
    EXPECT_EQ(outcome(d, "SSL|HYBRID"), "timeout");
  } else {
    ADD_FAILURE() << "unknown kind " << kind;
  }
}

TEST_F(Scan, EveryFleetHostAndARealXrdpShowTheirFactsInJsonLinesCsvAndSummary) {
  FleetProcess fleet(RDPDOCTOR_FLEET, 2);
  ASSERT_TRUE(fleet.ok()) << fleet.error();
  lab::ServerOptions xo;
  xo.kind = lab::Kind::XrdpNegotiate;
  auto xrdp = lab::start(xo);
  ASSERT_TRUE(xrdp.ok()) << xrdp.error().message();
  std::string list = "# the fleet\n";
  for (const auto& e : fleet.endpoints()) list += e.hostSpec + "   # " + e.kind + "\n";
  list += "\nnot a host line\n" + fleet.endpoints()[0].hostSpec + "\n" + (*xrdp)->hostSpec() + "\n";
  const auto inventory = write("hosts.txt", list);
  const auto jsonl = dir_.path() / "scan.jsonl";
  const auto csv = dir_.path() / "scan.csv";
  // the default step deadline (3 s): xrdp on a loaded machine needs more than the fleet's 1 s
  const auto run = scan({inventory.string(), "--json", jsonl.string(), "--csv", csv.string()});
  ASSERT_EQ(run.exitCode, 0) << run.describe() << "\n" << run.err;
  const auto bad = "hosts.txt:" + std::to_string(fleet.endpoints().size() + 3);
  EXPECT_NE(run.err.find(bad), std::string::npos) << "the bad line by number: " << run.err;
  EXPECT_EQ(run.out.find('\r'), std::string::npos) << "no progress bar off a terminal";

  const auto lines = jsonLines(slurp(jsonl));
  const std::size_t hosts = fleet.endpoints().size() + 1;  // the duplicate merged
  ASSERT_EQ(lines.size(), hosts + 1);
  std::set<std::string> seen;
  std::map<std::string, int> answers;
  for (std::size_t i = 0; i < hosts; ++i) {
    const auto& d = lines[i];
    EXPECT_TRUE(seen.insert(spec(d)).second) << "each host once: " << spec(d);
    answers[d["answer"]]++;
    if (spec(d) == (*xrdp)->hostSpec()) {
      EXPECT_EQ(d["answer"], "works");
      EXPECT_EQ(outcome(d, "HYBRID"), "RDP");
      EXPECT_EQ(d["rdp_security"]["level"], "high");
      continue;
    }
    expectFacts(fleet.kindOf(spec(d)), d);
  }
  const auto& summary = lines.back();
  EXPECT_EQ(summary["schema"], "rdpdoctor/scan-summary@1");
  EXPECT_EQ(summary["hosts"], hosts);
  std::map<std::string, std::size_t> kinds;
  for (const auto& e : fleet.endpoints()) kinds[e.kind]++;
  // a silent host took the TCP connection but never answered as an RDP host: not reachable
  EXPECT_EQ(summary["reachable"], hosts - kinds["refused"] - kinds["silent"]);
  EXPECT_EQ(summary["tcp_open"], hosts - kinds["refused"]);
  EXPECT_EQ(summary["reach"]["silent"], kinds["silent"]);
  EXPECT_EQ(summary["reach"]["no-tcp"], kinds["refused"]);
  EXPECT_EQ(summary["reach"]["rdp"], hosts - kinds["refused"] - kinds["silent"]);
  EXPECT_NE(run.out.find(" hosts, " + std::to_string(hosts - kinds["refused"] - kinds["silent"]) +
                         " reachable, " + std::to_string(kinds["silent"]) + " silent, "),
            std::string::npos)
      << run.out;
  for (const auto& [answer, n] : answers) EXPECT_EQ(summary["verdicts"][answer], n) << answer;
  EXPECT_EQ(summary["inventory"]["duplicates"], 1);
  EXPECT_EQ(summary["inventory"]["problems"], 1);
  EXPECT_EQ(summary["not_probed"], 0);
  EXPECT_EQ(summary["interrupted"], false);

  // CSV: a header and one row per host, in the order of the JSON lines
  std::istringstream rows(slurp(csv));
  std::string header;
  std::getline(rows, header);
  EXPECT_EQ(header.rfind("host,port,name,address,reachable,answer,", 0), 0U) << header;
  const auto columns = csvCells(header);
  const auto column = [&](const std::string& name) {
    return static_cast<std::size_t>(std::find(columns.begin(), columns.end(), name) -
                                    columns.begin());
  };
  std::size_t n = 0;
  for (std::string row; std::getline(rows, row); ++n) {
    const auto cells = csvCells(row);
    ASSERT_EQ(cells.size(), columns.size()) << row;
    const std::string k = fleet.kindOf(spec(lines[n]));
    const std::string reach =
        k == "silent" ? "silent" : (k == "refused" ? "no-tcp" : "rdp");  // xrdp: ""
    EXPECT_EQ(cells[column("reach")], reach) << row;
    EXPECT_EQ(cells[column("reachable")], reach == "rdp" ? "yes" : "no") << row;
    if (k == "silent") {
      EXPECT_EQ(cells[column("nla_required")], "") << row;
    }
    ASSERT_LT(n, hosts);
    const auto& d = lines[n];
    EXPECT_EQ(
        row.rfind(d["host"].get<std::string>() + "," + std::to_string(d["port"].get<int>()) + ",",
                  0),
        0U)
        << row;
    const auto kind = fleet.kindOf(spec(d));
    if (kind == "nla") {
      EXPECT_NE(row.find(",yes,refused,refused,ok,ok,"), std::string::npos) << row;
    }
  }
  EXPECT_EQ(n, hosts);
}

TEST_F(Scan, EachLineIsWhatProbeJsonWritesForThatHost) {
  lab::ServerOptions xo;
  xo.kind = lab::Kind::XrdpNegotiate;
  auto xrdp = lab::start(xo);
  ASSERT_TRUE(xrdp.ok()) << xrdp.error().message();
  const auto run = scan({(*xrdp)->hostSpec(), "--json", "-"});
  ASSERT_EQ(run.exitCode, 0) << run.describe() << "\n" << run.err;
  const auto lines = jsonLines(run.out);
  ASSERT_EQ(lines.size(), 2U) << run.out;
  const auto probe = runProcess({{RDPDOCTOR_BIN, "probe", (*xrdp)->hostSpec(), "--json", "-"},
                                 baseEnvironment(dir_.path().string()),
                                 std::chrono::milliseconds(60000)});
  ASSERT_EQ(probe.exitCode, 0) << probe.describe();
  const auto single = json::parse(probe.out);
  auto keys = [](const json& j) {
    std::set<std::string> k;
    for (const auto& [key, v] : j.items()) k.insert(key);
    return k;
  };
  EXPECT_EQ(keys(lines[0]), keys(single));
  EXPECT_EQ(lines[0]["host_findings"], single["host_findings"]);
  EXPECT_EQ(lines[0]["tls"]["versions"], single["tls"]["versions"]);
  EXPECT_EQ(lines[0]["tls"]["certificate"]["sha256"], single["tls"]["certificate"]["sha256"]);
  EXPECT_EQ(lines[0]["verdict"], single["verdict"]);
  EXPECT_EQ(lines[1]["findings"]["rdp-security-accepted"]["severity"], "high");
}

TEST_F(Scan, FailOnExitsEightOnlyWhenAHostHasAFindingAtOrAboveTheSeverity) {
  FleetProcess fleet(RDPDOCTOR_FLEET, 1);
  ASSERT_TRUE(fleet.ok()) << fleet.error();
  std::string nla;
  std::string rdp;
  for (const auto& e : fleet.endpoints()) {
    if (e.kind == "nla") nla = e.hostSpec;
    if (e.kind == "rdp") rdp = e.hostSpec;
  }
  // the NLA host's worst finding is its self-signed certificate (low)
  const auto nlaOnly = scan({nla, "--fail-on", "medium", "--json", "-"});
  EXPECT_EQ(nlaOnly.exitCode, 0) << nlaOnly.describe() << "\n" << nlaOnly.out;
  const auto nlaLow = scan({nla, "--fail-on", "low"});
  EXPECT_EQ(nlaLow.exitCode, 8) << nlaLow.describe() << "\n" << nlaLow.out;
  const auto both = scan({nla, rdp, "--fail-on", "high"});
  EXPECT_EQ(both.exitCode, 8) << both.describe() << "\n" << both.out;
}

TEST_F(Scan, CtrlCOnATerminalStopsAtOnceAndEveryWrittenLineIsComplete) {
  FleetProcess fleet(RDPDOCTOR_FLEET, 3);
  ASSERT_TRUE(fleet.ok()) << fleet.error();
  std::string list;
  for (const auto& e : fleet.endpoints()) list += e.hostSpec + "\n";
  const auto inventory = write("hosts.txt", list);
  const auto jsonl = dir_.path() / "scan.jsonl";
  // the silent hosts would hold the scan for a minute; the person presses Ctrl-C once the
  // progress bar shows
  auto env = baseEnvironment(dir_.path().string());
  env.push_back("TERM=xterm");
  const auto run = doctortest::runOnTerminal(
      {RDPDOCTOR_BIN, "scan", inventory.string(), "--json", jsonl.string(), "--step-timeout", "60",
       "--host-timeout", "60", "--concurrency", "4"},
      env, {{"hosts/s", "\x03"}}, std::chrono::milliseconds(30000));
  EXPECT_FALSE(run.killedAtDeadline) << run.out;
  EXPECT_EQ(run.exitCode, 130) << run.describe() << "\n" << run.out;
  EXPECT_NE(run.out.find("interrupted"), std::string::npos) << run.out;
  const auto text = slurp(jsonl);
  ASSERT_FALSE(text.empty());
  EXPECT_EQ(text.back(), '\n');
  const auto lines = jsonLines(text);  // throws (fails) on a cut line
  ASSERT_GE(lines.size(), 2U);
  const auto& summary = lines.back();
  EXPECT_EQ(summary["schema"], "rdpdoctor/scan-summary@1");
  EXPECT_EQ(summary["interrupted"], true);
  EXPECT_GT(summary["not_probed"].get<int>(), 0);
  for (std::size_t i = 0; i + 1 < lines.size(); ++i) {
    EXPECT_EQ(lines[i]["schema"], "rdpdoctor/probe@1");
    EXPECT_NE(fleet.kindOf(spec(lines[i])), "silent") << "a silent host never finished";
  }
}

}  // namespace
}  // namespace rdpdoctor::scantest
