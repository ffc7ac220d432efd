// `rdpdoctor scan --diagnose` against real lab servers plus fleet endpoints: the doctor (the
// ladder, each attempt an rdpdoctor-attempt child) runs on the hosts whose probe shows a problem
// and their lines become diagnose@1 documents; a legacy TLS 1.0 host needs its fallback, an NLA
// host logs on with RDPDOCTOR_PASSWORD; a wrong password meets one host once and no other host;
// on a terminal without --cert nothing is asked and the unknown certificate is reported; Ctrl-C
// while doctors run stops at once.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "fleet_process.hpp"
#include "harness/doctor_run.hpp"
#include "harness/process_run.hpp"
#include "harness/terminal_run.hpp"
#include "rdpdoctor/lab/lab.hpp"

namespace rdpdoctor::scantest {
namespace {

using doctortest::DoctorEnvironment;
using doctortest::readFile;
using nlohmann::json;

const std::string kUser = lab::ServerOptions{}.user;
const std::string kPassword = lab::ServerOptions{}.password;

std::map<std::string, json> linesByHost(const std::string& text, json& summary) {
  std::map<std::string, json> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    auto j = json::parse(line);
    if (j["schema"] == "rdpdoctor/scan-summary@1") {
      summary = j;
      continue;
    }
    out[j["host"].get<std::string>() + ":" + std::to_string(j["port"].get<int>())] = j;
  }
  return out;
}

/// One line per attempt of a diagnose@1 document: profile, result, signature, detail.
std::string attemptsText(const json& d) {
  std::string s;
  for (const auto& a : d["attempts"])
    s += a["profile"].value("summary", "") + ": " + a.value("result", "") + " " +
         (a["signature"].is_string() ? a["signature"].get<std::string>() : "-") + " " +
         (a["outcome"].is_object() ? a["outcome"].value("detail", "") + " " +
                                         a["outcome"].value("freerdp_error_name", "")
                                   : a.value("skip_reason", "")) +
         " " + std::to_string(a.value("elapsed_ms", 0)) + " ms\n";
  return s;
}

int rejectedAuthentications(const lab::Server& s) {
  return doctortest::rejectedAuthentications(s.logFile());
}

std::unique_ptr<lab::Server> start(lab::Kind kind) {
  lab::ServerOptions o;
  o.kind = kind;
  auto s = lab::start(o);
  if (!s.ok()) {
    ADD_FAILURE() << lab::toString(kind) << " did not start: " << s.error().message();
    return nullptr;
  }
  return std::move(s).value();
}

class ScanDiagnose : public ::testing::Test {
 protected:
  ScanDiagnose() : env_(dir_.path()) {}
  doctortest::ProcessResult scan(const std::vector<std::string>& args) {
    std::vector<std::string> all = {"scan"};
    all.insert(all.end(), args.begin(), args.end());
    return doctortest::runRdpdoctor(RDPDOCTOR_BIN, all, env_, std::chrono::milliseconds(170000));
  }
  lab::TempDir dir_;
  DoctorEnvironment env_;
};

TEST_F(ScanDiagnose, LegacyTlsAndNlaHostsAreDiagnosedTheFleetsOthersStayProbes) {
  FleetProcess fleet(RDPDOCTOR_FLEET, 1);
  ASSERT_TRUE(fleet.ok()) << fleet.error();
  auto legacy = start(lab::Kind::XrdpTls10Ecdhe);
  auto nla = start(lab::Kind::ShadowNla);
  ASSERT_TRUE(legacy && nla);
  std::map<std::string, std::string> kind;  // host spec -> fleet kind or lab name
  std::string list;
  for (const auto& e : fleet.endpoints()) {
    // the fleet's TLS stubs speak no CredSSP: the password is for the real NLA host only
    if (e.kind != "refused" && e.kind != "silent" && e.kind != "rdp") continue;
    kind[e.hostSpec] = e.kind;
    list += e.hostSpec + "\n";
  }
  const std::string fleetList = list;
  kind[legacy->hostSpec()] = "legacy";
  kind[nla->hostSpec()] = "nla";
  const auto inventory = dir_.path() / "hosts.txt";
  const auto csv = dir_.path() / "scan.csv";
  const auto html = dir_.path() / "scan.html";
  // 1. no credentials: the legacy host's goal is the first frame (with a password, an xrdp
  //    logon would depend on a machine-wide xrdp-sesman that other tests start and stop)
  std::ofstream(inventory) << fleetList + legacy->hostSpec() + "\n";
  const auto run = scan({inventory.string(), "--diagnose", "--cert", "accept-once", "--json", "-",
                         "--csv", csv.string(), "--html", html.string()});
  ASSERT_EQ(run.exitCode, 0) << run.describe() << "\n" << run.err;
  json summary;
  auto lines = linesByHost(run.out, summary);
  EXPECT_EQ(summary["diagnosed"]["hosts"], 2);  // legacy and the fleet's rdp-only stub
  EXPECT_GE(summary["diagnosed"]["with_winner"], 1);
  EXPECT_TRUE(summary["credentials"].is_null()) << summary;
  // 2. the NLA host with RDPDOCTOR_PASSWORD
  std::ofstream(inventory, std::ios::trunc) << fleetList + nla->hostSpec() + "\n";
  env_.set("RDPDOCTOR_PASSWORD", kPassword);
  const auto withPassword = scan(
      {inventory.string(), "--diagnose", "--user", kUser, "--cert", "accept-once", "--json", "-"});
  ASSERT_EQ(withPassword.exitCode, 0) << withPassword.describe() << "\n" << withPassword.err;
  json summaryNla;
  lines[nla->hostSpec()] = linesByHost(withPassword.out, summaryNla).at(nla->hostSpec());
  EXPECT_EQ(summaryNla["diagnosed"]["hosts"], 2);  // nla and the fleet's rdp-only stub
  EXPECT_TRUE(summaryNla["credentials"]["rejected_by"].is_null()) << summaryNla;
  EXPECT_EQ(summaryNla["credentials"]["withheld_from"], json::array());
  ASSERT_EQ(lines.size(), kind.size()) << run.out;
  for (const auto& [spec, k] : kind) {
    SCOPED_TRACE(k + " " + spec);
    const auto& d = lines.at(spec);
    if (k == "refused" || k == "silent") {  // no RDP answer: nothing for the doctor
      EXPECT_EQ(d["schema"], "rdpdoctor/probe@1");
      continue;
    }
    ASSERT_EQ(d["schema"], "rdpdoctor/diagnose@1") << d.dump().substr(0, 400);
    EXPECT_EQ(d["probe"]["schema"], "rdpdoctor/probe@1") << "the scan's probe is the facts";
    if (k == "legacy") {
      EXPECT_EQ(d["original"]["signature"], "tls-legacy-refused-locally") << d["verdict"];
      ASSERT_TRUE(d["winner"].is_object()) << d["verdict"] << "\n" << attemptsText(d);
      EXPECT_EQ(d["winner"]["tls_seclevel"], 0);
      EXPECT_TRUE(d["confirmed"].get<bool>());
    } else if (k == "nla") {
      ASSERT_TRUE(d["winner"].is_object()) << d["verdict"];
      EXPECT_TRUE(d["logon_proven"].get<bool>()) << d["verdict"];
      // the logon ran over NLA (PROTOCOL_HYBRID, 2): the password was sent, and accepted
      bool overNla = false;
      for (const auto& a : d["attempts"])
        if (a["result"] == "ok" && a["outcome"]["selected_protocol"] == 2) overNla = true;
      EXPECT_TRUE(overNla) << d["attempts"].dump().substr(0, 800);
    }
  }
  EXPECT_EQ(rejectedAuthentications(*nla), 0);

  // CSV: the winner column; HTML: the winner column of the matrix
  std::istringstream rows(readFile(csv));
  std::string header;
  std::getline(rows, header);
  EXPECT_NE(header.find(",winner,diagnosis"), std::string::npos) << header;
  std::size_t seen = 0;
  for (std::string row; std::getline(rows, row);) {
    const auto spec =
        row.substr(0, row.find(',')) + ":" +
        row.substr(row.find(',') + 1, row.find(',', row.find(',') + 1) - row.find(',') - 1);
    if (kind[spec] == "legacy") {
      ++seen;
      EXPECT_NE(row.find("seclevel 0"), std::string::npos) << row;
    }
  }
  EXPECT_EQ(seen, 1U);
  const auto page = readFile(html);
  EXPECT_NE(page.find("<th>winner</th>"), std::string::npos);
  // the winners found are remembered, as diagnose remembers them: `connect` goes straight there
  const auto remembered = doctortest::runRdpdoctor(RDPDOCTOR_BIN, {"hosts", "--json", "-"}, env_);
  ASSERT_EQ(remembered.exitCode, 0) << remembered.err;
  std::map<std::string, json> byHost;
  const auto hosts = json::parse(remembered.out);
  for (const auto& h : hosts["hosts"]) byHost[h["host"].get<std::string>()] = h;
  ASSERT_EQ(byHost.count(legacy->hostSpec()), 1U) << remembered.out;
  EXPECT_EQ(byHost[legacy->hostSpec()]["profile"]["tls_seclevel"], 0) << remembered.out;
  ASSERT_EQ(byHost.count(nla->hostSpec()), 1U) << remembered.out;
  for (const auto& [spec, k] : kind) {
    if (k == "refused" || k == "silent") {
      EXPECT_EQ(byHost.count(spec), 0U) << spec << " has no winner to remember";
    }
  }
  for (const auto* text : {&withPassword.out, &withPassword.err})
    EXPECT_EQ(text->find(kPassword), std::string::npos) << "the password in the output";
}

TEST_F(ScanDiagnose, APasswordOneHostRejectsIsSentToNoOtherHost) {
  auto first = start(lab::Kind::ShadowNla);
  auto second = start(lab::Kind::ShadowNla);
  ASSERT_TRUE(first && second);
  env_.set("RDPDOCTOR_PASSWORD", "Wrong-Pass-5678");
  // both hosts are diagnosed at once: the gate, not the order, keeps the password to one host
  const auto run = scan({first->hostSpec(), second->hostSpec(), "--diagnose", "--user", kUser,
                         "--diagnose-concurrency", "2", "--cert", "accept-once", "--json", "-"});
  ASSERT_EQ(run.exitCode, 0) << run.describe() << "\n" << run.err;
  json summary;
  const auto lines = linesByHost(run.out, summary);
  ASSERT_EQ(lines.size(), 2U) << run.out;
  // the servers' own logs: exactly one failed authentication, on one host
  const int onFirst = rejectedAuthentications(*first);
  const int onSecond = rejectedAuthentications(*second);
  EXPECT_EQ(onFirst + onSecond, 1) << "first " << onFirst << ", second " << onSecond;
  const auto& rejecting = onFirst > 0 ? *first : *second;
  const auto& spared = onFirst > 0 ? *second : *first;
  const auto& r = lines.at(rejecting.hostSpec());
  const auto& s = lines.at(spared.hostSpec());
  EXPECT_EQ(r["schema"], "rdpdoctor/diagnose@1");
  EXPECT_EQ(r["stopped_by"], "credentials-rejected") << r["verdict"];
  EXPECT_EQ(s["schema"], "rdpdoctor/diagnose@1");
  EXPECT_NE(s["stopped_by"], "credentials-rejected") << "it never saw the password";
  EXPECT_TRUE(s["winner"].is_null());
  EXPECT_NE(doctortest::stringAt(s["scan"], "credentials").find("withheld"), std::string::npos)
      << s.dump().substr(0, 600);
  EXPECT_EQ(summary["credentials"]["rejected_by"], rejecting.hostSpec()) << summary;
  EXPECT_EQ(summary["credentials"]["withheld_from"], json::array({spared.hostSpec()}));
  EXPECT_NE(run.err.find(rejecting.hostSpec() + " rejected the password"), std::string::npos)
      << run.err;
  EXPECT_NE(run.err.find("no other host is sent it"), std::string::npos) << run.err;
}

TEST_F(ScanDiagnose, OnATerminalWithoutCertNothingIsAskedAndTheUnknownCertificateIsReported) {
  auto host = start(lab::Kind::XrdpTls);
  ASSERT_TRUE(host);
  const auto jsonl = dir_.path() / "scan.jsonl";
  std::vector<std::string> argv = {RDPDOCTOR_BIN, "scan",   host->hostSpec(),
                                   "--diagnose",  "--json", jsonl.string()};
  // no answers: a question would hold the scan until the deadline
  const auto run =
      doctortest::runOnTerminal(argv, env_.variables(), {}, std::chrono::milliseconds(90000));
  ASSERT_EQ(run.exitCode, 0) << run.describe() << "\n" << run.out;
  EXPECT_EQ(run.out.find("cannot be verified"), std::string::npos) << run.out;
  json summary;
  const auto lines = linesByHost(readFile(jsonl), summary);
  ASSERT_EQ(lines.size(), 1U);
  const auto& d = lines.at(host->hostSpec());
  EXPECT_EQ(d["schema"], "rdpdoctor/diagnose@1");
  EXPECT_EQ(d["stopped_by"], "certificate-untrusted") << d["verdict"];
  EXPECT_TRUE(d["winner"].is_null());
  EXPECT_EQ(d["original"]["profile"]["cert"], "deny");
}

TEST_F(ScanDiagnose, CtrlCWhileTheDoctorRunsStopsAtOnceAndTheSummaryIsTheLastLine) {
  FleetProcess fleet(RDPDOCTOR_FLEET, 2);
  ASSERT_TRUE(fleet.ok()) << fleet.error();
  // the fleet's TLS stubs hold their doctor for a while (they never finish a connection); the
  // silent host's line comes at its 2 s deadline, when those doctors are running
  std::string list;
  for (const auto& e : fleet.endpoints())
    if (e.kind == "tls" || e.kind == "silent") list += e.hostSpec + "\n";
  const auto inventory = dir_.path() / "hosts.txt";
  std::ofstream(inventory) << list;
  const auto jsonl = dir_.path() / "scan.jsonl";
  auto env = env_.variables();
  env.push_back("TERM=xterm");
  const auto run = doctortest::runOnTerminal(
      {RDPDOCTOR_BIN, "scan", inventory.string(), "--diagnose", "--cert", "accept-once",
       "--host-timeout", "2", "--json", jsonl.string()},
      env, {{"timeout  no findings", "\x03"}}, std::chrono::milliseconds(15000));
  EXPECT_FALSE(run.killedAtDeadline) << run.out;
  EXPECT_EQ(run.exitCode, 130) << run.describe() << "\n" << run.out;
  const auto text = readFile(jsonl);
  ASSERT_FALSE(text.empty());
  EXPECT_EQ(text.back(), '\n');
  std::vector<json> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(json::parse(line));  // whole
  ASSERT_GE(lines.size(), 2U);
  EXPECT_EQ(lines.back()["schema"], "rdpdoctor/scan-summary@1");
  EXPECT_EQ(lines.back()["interrupted"], true);
  for (std::size_t i = 0; i + 1 < lines.size(); ++i)
    EXPECT_EQ(fleet.kindOf(lines[i]["host"].get<std::string>() + ":" +
                           std::to_string(lines[i]["port"].get<int>())),
              "silent")
        << "a TLS stub's doctor was still running: " << lines[i].dump().substr(0, 300);
}

}  // namespace
}  // namespace rdpdoctor::scantest
