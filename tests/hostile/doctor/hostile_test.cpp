// rdpdoctor against a byte-scripted stub server, one case per tests/hostile/scenarios/*.scenario:
// it never crashes, ends with a documented exit code (0..5), in time, with the right signature.
#include <gtest/gtest.h>

#include <algorithm>
#include <iostream>
#include <set>

#include "harness/doctor_run.hpp"
#include "harness/terminal_run.hpp"
#include "hostile_certificate.hpp"
#include "rdpdoctor/lab/lab.hpp"
#include "stub_server.hpp"

namespace rdpdoctor::hostile {
namespace {

using namespace rdpdoctor::doctortest;

const std::filesystem::path kScenarioDir = RDPDOCTOR_HOSTILE_SCENARIOS;

class HostileServer : public ::testing::TestWithParam<std::filesystem::path> {};

std::string joined(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : "|") + x;
  return s;
}

TEST_P(HostileServer, RdpdoctorEndsInTimeWithADocumentedExitCodeAndTheRightSignature) {
  auto scenario = loadScenario(GetParam());
  ASSERT_TRUE(scenario.ok()) << scenario.error().message();
  const Scenario& sc = *scenario;
  // a scenario that speaks TLS gets a certificate made now (never committed)
  std::shared_ptr<ssl_ctx_st> tls;
  if (std::any_of(sc.steps.begin(), sc.steps.end(),
                  [](const Step& s) { return s.verb == "tls-accept"; })) {
    auto ctx = serverContextWith({"rdpdoctor-stub", "rdpdoctor", {"localhost"}});
    ASSERT_TRUE(ctx.ok()) << ctx.error().message();
    tls = *ctx;
  }
  auto server = StubServer::start(sc.steps, tls);
  ASSERT_TRUE(server.ok()) << server.error().message();
  lab::TempDir dir;
  DoctorEnvironment env(dir.path());

  // as a person runs it: on a terminal, no --cert, answering "once" if the certificate question
  // comes (only scenarios that reach TLS see it); the report goes to a file
  const auto jsonPath = dir.path() / "diagnose.json";
  std::vector<std::string> argv{RDPDOCTOR_BIN, "diagnose",
                                "127.0.0.1:" + std::to_string((*server)->port())};
  argv.insert(argv.end(), sc.args.begin(), sc.args.end());
  argv.insert(argv.end(), {"--json", jsonPath.string()});
  auto variables = env.variables();
  variables.push_back("TERM=xterm");
  DoctorRun run;
  run.process =
      runOnTerminal(argv, variables, {certificateAnswer("o")}, std::chrono::milliseconds(240000));
  run.process.out = terminalText(run.process.out);
  try {
    run.json = nlohmann::json::parse(readFile(jsonPath));
  } catch (const std::exception& e) {
    run.jsonError = e.what();
  }
  SCOPED_TRACE("scenario " + sc.name + ", stub saw " + std::to_string((*server)->connections()) +
               " connections");

  // never a crash: a normal exit with a code of the public contract
  ASSERT_EQ(run.process.termSignal, 0) << run.describe();
  const std::set<int> documented{0, 1, 2, 3, 4, 5};
  EXPECT_TRUE(documented.contains(run.process.exitCode)) << run.describe();
  ASSERT_TRUE(run.json.is_object()) << run.describe();
  const auto& j = run.json;
  EXPECT_EQ(run.process.exitCode, sc.expectExit) << run.describe();
  for (const auto& a : j["attempts"]) {
    const auto& o = a["outcome"];
    EXPECT_FALSE(o.is_object() && o.contains("crashed") && o["crashed"] == true)
        << "an attempt process crashed: " << a.dump();
  }

  std::cout << "[scenario] " << sc.name << ": exit " << run.process.exitCode << " in "
            << run.process.elapsed.count() << " ms, original "
            << (j["original"].is_object() ? stringAt(j["original"], "signature") + " at " +
                                                stringAt(j["original"], "layer")
                                          : std::string("null"))
            << ", rungs tried " << ranRungs(j).size() << ", winner "
            << (j["winner"].is_object() ? stringAt(j["winner"], "summary") : std::string("null"))
            << ", stub saw " << (*server)->connections()
            << " connections\n  verdict: " << stringAt(j, "verdict") << std::endl;
  if (!sc.expectCauseMentions.empty()) {
    EXPECT_NE(stringAt(j["original"], "cause").find(sc.expectCauseMentions), std::string::npos)
        << "cause: " << stringAt(j["original"], "cause");
  }
  // the words a user reads: the remedies shown, and the ones that must not be
  std::string remedies;
  for (const auto& r : j["remedies"]) remedies += stringAt(r, "text") + "\n";
  for (const auto& want : sc.expectRemedyMentions)
    EXPECT_NE(remedies.find(want), std::string::npos) << "no remedy reads '" << want << "':\n"
                                                      << remedies;
  for (const auto& unwanted : sc.expectNoRemedyMentions) {
    EXPECT_EQ(remedies.find(unwanted), std::string::npos)
        << "a remedy reads '" << unwanted << "':\n"
        << remedies;
    EXPECT_EQ(stringAt(j["original"], "cause").find(unwanted), std::string::npos)
        << "the cause reads '" << unwanted << "': " << stringAt(j["original"], "cause");
  }
  for (const auto& unwanted : sc.expectVerdictLacks)
    EXPECT_EQ(stringAt(j, "verdict").find(unwanted), std::string::npos) << stringAt(j, "verdict");
  if (!sc.expectSignatures.empty() || !sc.expectLayers.empty()) {
    ASSERT_TRUE(j["original"].is_object()) << "no original attempt: " << j["verdict"];
  }
  if (!sc.expectSignatures.empty()) {
    const auto sig = j["original"]["signature"].get<std::string>();
    EXPECT_NE(std::find(sc.expectSignatures.begin(), sc.expectSignatures.end(), sig),
              sc.expectSignatures.end())
        << "signature " << sig << ", expected " << joined(sc.expectSignatures) << "\n"
        << run.describe() << "\n--- the first attempt's outcome ---\n"
        << (j["attempts"].empty() ? std::string("none") : j["attempts"][0]["outcome"].dump(1));
  }
  if (!sc.expectLayers.empty()) {
    const std::string layer = stringAt(j["original"], "layer");
    EXPECT_NE(std::find(sc.expectLayers.begin(), sc.expectLayers.end(), layer),
              sc.expectLayers.end())
        << "layer " << layer << "\n"
        << run.describe();
  }
  if (sc.expectNoWinner) {
    EXPECT_TRUE(j["winner"].is_null()) << j["winner"].dump();
  }
  if (!sc.expectRung.empty()) {
    bool planned = false;
    for (const auto& a : j["attempts"])
      planned = planned || a["profile"]["security"] == sc.expectRung;
    for (const auto& b : j["below_floor"])
      planned = planned || b["profile"]["security"] == sc.expectRung;
    EXPECT_TRUE(planned) << "no " << sc.expectRung << " rung planned: " << j["attempts"].dump(1)
                         << j["below_floor"].dump(1);
  }
  if (sc.expectWithin) {
    EXPECT_LE(run.process.elapsed, *sc.expectWithin) << run.describe();
  }
  if (sc.expectAttemptsWithin) {
    for (const auto& a : ranAttempts(j))
      EXPECT_LE(a["elapsed_ms"].get<std::int64_t>(), sc.expectAttemptsWithin->count())
          << a["profile"]["summary"] << ": " << stringAt(a["outcome"], "detail");
  }
}

INSTANTIATE_TEST_SUITE_P(Scenarios, HostileServer, ::testing::ValuesIn(scenarioFiles(kScenarioDir)),
                         [](const ::testing::TestParamInfo<std::filesystem::path>& p) {
                           std::string n = p.param.stem().string();
                           std::replace(n.begin(), n.end(), '-', '_');
                           return n;
                         });

TEST(ScenarioFile, UnknownKeysAndStepsAreRejectedWithTheirLine) {
  auto bad = parseScenario("x", "expect-exit: 1\nstep: explode\n");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message().find("x:2"), std::string::npos) << bad.error().message();
  EXPECT_FALSE(parseScenario("y", "expect-exit: 1\nfrobnicate: 3\nstep: close\n").ok());
  EXPECT_FALSE(parseScenario("z", "step: close\n").ok()) << "expect-exit is required";
  auto good = parseScenario(
      "g", "# c\nargs: --security tls\nexpect-exit: 5\nstep: read-request\nstep: hold\n");
  ASSERT_TRUE(good.ok()) << good.error().message();
  EXPECT_EQ(good->args, (std::vector<std::string>{"--security", "tls"}));
  EXPECT_EQ(good->steps.size(), 2u);
}

}  // namespace
}  // namespace rdpdoctor::hostile
