// `rdpdoctor explain` through the binary, as people paste codes: the pair, the FreeRDP name, an
// ambiguous bare number, an unknown code, a typo, and the explain@1 JSON document.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core_harness.hpp"

namespace rdpdoctor::itest {
namespace {

class ExplainCli : public ::testing::Test {
 protected:
  [[nodiscard]] CliResult run(const std::vector<std::string>& args) const {
    return runCli(args, {}, home_.path(), std::chrono::milliseconds(20000));
  }
  lab::TempDir home_;
};

TEST_F(ExplainCli, ThePairSaysBothCodesTheCausesWithFixesAndTheCommandsThatTellThemApart) {
  const auto r = run({"explain", "0x904", "--extended", "0x7"});
  ASSERT_EQ(r.exitCode, 0) << r.describe();
  for (std::string_view needle :
       {"disconnectReasonAtClientWinsockFDCLOSE", "exDiscReasonServerDeniedConnection",
        "imstscaxevents-ondisconnected", "the server's own error info", "likely causes",
        "nla-required", "fix on the host:", "rdpdoctor probe HOST", "rdpdoctor diagnose HOST"})
    EXPECT_NE(r.out.find(needle), std::string::npos) << needle << "\n" << r.describe();
}

TEST_F(ExplainCli, TheJsonDocumentIsExplainAtOneWithTheMatchAndTheAlternatives) {
  const auto r = run({"explain", "0x7", "--json", "-"});
  ASSERT_EQ(r.exitCode, 0) << r.describe();
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j.at("schema"), "rdpdoctor/explain@1");
  EXPECT_EQ(j.at("match").at("table"), "mstsc-extended");
  std::vector<std::string> others;
  for (const auto& a : j.at("alternatives")) others.push_back(a.at("table"));
  EXPECT_NE(std::find(others.begin(), others.end(), "errinfo"), others.end()) << r.out;
  EXPECT_NE(std::find(others.begin(), others.end(), "client-exit"), others.end()) << r.out;
  ASSERT_FALSE(j.at("causes").empty());
  EXPECT_FALSE(j.at("causes").front().at("remedies").empty());
  EXPECT_FALSE(j.at("tell_apart").empty());
}

TEST_F(ExplainCli, AFreeRdpNameAndItsNumberAreTheSameCode) {
  const auto byName = run({"explain", "ERRCONNECT_TLS_CONNECT_FAILED", "--json", "-"});
  const auto byNumber = run({"explain", "0x00020008", "--json", "-"});
  ASSERT_EQ(byName.exitCode, 0) << byName.describe();
  ASSERT_EQ(byNumber.exitCode, 0) << byNumber.describe();
  const auto a = nlohmann::json::parse(byName.out);
  const auto b = nlohmann::json::parse(byNumber.out);
  EXPECT_EQ(a.at("match"), b.at("match"));
  EXPECT_EQ(a.at("match").at("table"), "freerdp");
}

TEST_F(ExplainCli, AnUnknownCodeIsSaidUnknownWithWhatItsStructureTellsAndExitsOne) {
  const auto r = run({"explain", "0x2407"});
  EXPECT_EQ(r.exitCode, 1) << r.describe();
  EXPECT_NE(r.out.find("unknown"), std::string::npos) << r.describe();
  EXPECT_NE(r.out.find("low byte 0x07"), std::string::npos) << r.describe();
  EXPECT_NE(r.out.find("GetErrorDescription(9223, 0)"), std::string::npos) << r.describe();
}

TEST_F(ExplainCli, TextThatIsNoCodeIsAOneLineUsageError) {
  const auto r = run({"explain", "0x9-04"});
  EXPECT_EQ(r.exitCode, 2) << r.describe();
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.describe();
  EXPECT_NE(r.err.find("neither a number"), std::string::npos) << r.describe();
}

}  // namespace
}  // namespace rdpdoctor::itest
