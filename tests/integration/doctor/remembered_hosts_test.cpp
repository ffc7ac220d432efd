// Remembered hosts (issue 13): after a diagnosis, `connect HOST` goes straight to the confirmed
// winner. Connections are counted by a lab::Relay in front of a legacy TLS 1.0 xrdp host.
// RDPDOCTOR_CONNECT_BIN runs the connect steps with another binary (the last landed one, to
// measure what connect used before).
#include <sys/stat.h>

#include <cstdlib>
#include <fstream>

#include "doctor_scenario.hpp"
#include "rdpdoctor/lab/relay.hpp"

namespace rdpdoctor::doctortest {
namespace {

using RememberedHosts = DoctorScenario;

std::string connectBinary() {
  const char* other = std::getenv("RDPDOCTOR_CONNECT_BIN");
  return other != nullptr && *other != '\0' ? other : kRdpdoctor;
}

TEST_F(RememberedHosts, ConnectAfterADiagnosisUsesOneConnectionAndTheDoctorRunsAgainWhenItFails) {
  auto server = startServer({.kind = lab::Kind::XrdpTls10Ecdhe});
  ASSERT_NE(server, nullptr);
  lab::Relay relay(server->port());
  ASSERT_NE(relay.port(), 0);
  const std::string host = relay.hostSpec();

  // a person answers "always": the later connects (scripts, no terminal) use the trust store
  const auto diag = diagnoseOnTerminal({host}, {}, "a");
  ASSERT_EQ(diag.process.exitCode, 0) << diag.describe();
  const auto store = env_.stateDir() / "hosts.json";
  ASSERT_TRUE(std::filesystem::exists(store)) << diag.describe();
  struct stat st {};
  ASSERT_EQ(::stat(store.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);

  // 1. the remembered winner: one connection, no ladder
  const int before = relay.accepted();
  const auto connect =
      runRdpdoctor(connectBinary(), {"connect", "--headless", host, "--json", "-"}, env_);
  const int used = relay.accepted() - before;
  std::cout << "connect after diagnose used " << used << " connection(s)" << std::endl;
  EXPECT_EQ(connect.exitCode, 0) << connect.describe() << "\n" << connect.err;
  EXPECT_EQ(used, 1) << connect.err;
  EXPECT_NE(connect.err.find("using the combination that worked on"), std::string::npos)
      << connect.err;
  const auto doc = nlohmann::json::parse(connect.out, nullptr, false);
  ASSERT_TRUE(doc.is_object()) << connect.out;
  EXPECT_EQ(doc["schema"], "rdpdoctor/connect@1") << "the doctor did not run";
  EXPECT_EQ(doc["profile"]["tls_seclevel"], 0) << doc["profile"].dump();

  // 2. listed, with its downgrades; never a password
  const auto list = runRdpdoctor(kRdpdoctor, {"hosts", "--json", "-"}, env_);
  ASSERT_EQ(list.exitCode, 0) << list.err;
  const auto hosts = nlohmann::json::parse(list.out, nullptr, false);
  ASSERT_TRUE(hosts.is_object()) << list.out;
  ASSERT_EQ(hosts["hosts"].size(), 1u) << list.out;
  EXPECT_EQ(hosts["hosts"][0]["host"], host);
  EXPECT_FALSE(hosts["hosts"][0]["downgrades"].empty()) << list.out;
  EXPECT_FALSE(hosts["hosts"][0]["fingerprint"].get<std::string>().empty()) << list.out;
  const auto text = runRdpdoctor(kRdpdoctor, {"hosts"}, env_);
  EXPECT_NE(text.out.find(host), std::string::npos) << text.out;

  // 3. a remembered combination that stopped working: the doctor runs again, memory updated
  auto entry = nlohmann::json::parse(readFile(store));
  entry["hosts"][host]["profile"]["tls_seclevel"] = nullptr;  // fails on this TLS 1.0 host
  entry["hosts"][host]["when"] = "2000-01-01T00:00:00Z";
  {
    std::ofstream f(store, std::ios::trunc);
    f << entry.dump();
  }
  const auto again = runRdpdoctor(kRdpdoctor, {"connect", "--headless", host}, env_);
  EXPECT_EQ(again.exitCode, 0) << again.err;
  EXPECT_NE(again.err.find("the remembered combination failed"), std::string::npos) << again.err;
  const auto updated = nlohmann::json::parse(readFile(store));
  EXPECT_EQ(updated["hosts"][host]["profile"]["tls_seclevel"], 0) << updated.dump();
  EXPECT_NE(updated["hosts"][host]["when"], "2000-01-01T00:00:00Z");

  // 4. forgotten: connect climbs the ladder again (what it did before hosts were remembered)
  const auto forget = runRdpdoctor(kRdpdoctor, {"hosts", "forget", host}, env_);
  EXPECT_EQ(forget.exitCode, 0) << forget.err;
  EXPECT_NE(readFile(store).find("\"hosts\": {}"), std::string::npos) << readFile(store);
  std::filesystem::remove(store);  // else the doctor's winner is remembered again below
  const int before2 = relay.accepted();
  const auto ladder = runRdpdoctor(kRdpdoctor, {"connect", "--headless", host}, env_);
  std::cout << "connect without a remembered host used " << relay.accepted() - before2
            << " connection(s)" << std::endl;
  EXPECT_EQ(ladder.exitCode, 0) << ladder.err;
  EXPECT_GT(relay.accepted() - before2, 1);
}

TEST_F(RememberedHosts, ADamagedStoreIsReportedAndKeptAsideNeverEmptied) {
  std::filesystem::create_directories(env_.stateDir());
  const auto store = env_.stateDir() / "hosts.json";
  {
    std::ofstream f(store);
    f << "{\"schema\": \"rdpdoctor/hosts@1\", \"hosts\": {\"h:3389\": {\"profile\": tru";
  }
  ::chmod(store.c_str(), 0600);
  const auto run = runRdpdoctor(kRdpdoctor, {"hosts"}, env_);
  EXPECT_NE(run.err.find("damaged"), std::string::npos) << run.err;
  EXPECT_NE(run.exitCode, 0);
  std::vector<std::filesystem::path> aside;
  for (const auto& e : std::filesystem::directory_iterator(env_.stateDir()))
    if (e.path().filename().string().rfind("hosts.json.damaged-", 0) == 0) aside.push_back(e);
  ASSERT_EQ(aside.size(), 1u) << run.err;
  EXPECT_NE(readFile(aside[0]).find("\"profile\": tru"), std::string::npos);
  EXPECT_NE(run.err.find(aside[0].string()), std::string::npos) << run.err;
  // the next forget works on a new list
  const auto forget = runRdpdoctor(kRdpdoctor, {"hosts", "forget", "h"}, env_);
  EXPECT_EQ(forget.exitCode, 1) << forget.err;
  EXPECT_NE(forget.err.find("is not remembered"), std::string::npos) << forget.err;
}

}  // namespace
}  // namespace rdpdoctor::doctortest
