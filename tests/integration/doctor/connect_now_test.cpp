// "connect now": the command a diagnosis prints reproduces the winner exactly. Run as printed
// (with --headless, there is no display here), it connects on the first attempt: the doctor never
// steps in. And the HTML report, rendered by a real browser, shows the three lines first and
// marks the failing layer and the winner's path.
#include <cstdlib>
#include <filesystem>

#include "doctor_scenario.hpp"

namespace rdpdoctor::doctortest {
namespace {

/// The words of a shell line as shellLine() writes them (plain words, or '...' with '\'' inside).
std::vector<std::string> shellWords(const std::string& line) {
  std::vector<std::string> out;
  std::string w;
  bool quoted = false, any = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (c == '\'') {
      quoted = !quoted;
      any = true;
    } else if (c == '\\' && !quoted && i + 1 < line.size()) {
      w += line[++i];
    } else if (c == ' ' && !quoted) {
      if (any || !w.empty()) out.push_back(w);
      w.clear();
      any = false;
    } else {
      w += c;
    }
  }
  if (any || !w.empty()) out.push_back(w);
  return out;
}

struct Diagnosed {
  ProcessResult process;
  nlohmann::json json;
  std::string text;  // what the terminal showed: the report a person reads
};

class ConnectNow : public DoctorScenario {
 protected:
  /// diagnose on a terminal (the certificate accepted once when asked), its report as read
  Diagnosed diagnoseOnTerminalWithText(const std::vector<std::string>& args) {
    auto run = diagnoseOnTerminal(args);
    return Diagnosed{run.process, run.json, run.process.out};
  }
};

/// Runs the printed "connect now" line: `rdpdoctor` is this build's binary, --headless added.
ProcessResult runConnectNow(const std::string& line, const DoctorEnvironment& env) {
  auto words = shellWords(line);
  if (words.size() < 3 || words[0] != "rdpdoctor" || words[1] != "connect") {
    ADD_FAILURE() << "not an rdpdoctor connect command: " << line;
    return {};
  }
  words.erase(words.begin());
  words.insert(words.begin() + 1, "--headless");
  return runRdpdoctor(kRdpdoctor, words, env);
}

TEST_F(ConnectNow, LegacyTls10HostThePrintedCommandConnectsWithoutTheDoctor) {
  auto server = startServer({.kind = lab::Kind::XrdpTls10Ecdhe});
  ASSERT_NE(server, nullptr);
  const auto d = diagnoseOnTerminalWithText({server->hostSpec()});
  ASSERT_TRUE(d.json.is_object()) << d.process.describe() << "\n" << d.process.err;
  EXPECT_EQ(d.process.exitCode, 0) << d.process.describe() << "\n" << d.process.err;
  const auto& s = d.json["summary"];
  ASSERT_TRUE(s.is_object()) << d.json.dump(1);
  EXPECT_EQ(stringAt(s, "problem").rfind("TLS fails: ", 0), 0u) << s;
  EXPECT_NE(stringAt(s, "problem").find("OpenSSL"), std::string::npos) << s;
  EXPECT_EQ(stringAt(s, "problem").find("tls-legacy"), std::string::npos)
      << "no ids in the first lines: " << s;
  EXPECT_NE(stringAt(s, "fix").find("TLS 1.2"), std::string::npos) << s;
  ASSERT_TRUE(s["connect_is_command"].get<bool>()) << s;
  const std::string line = stringAt(s, "connect");
  EXPECT_NE(line.find("--tls-seclevel 0"), std::string::npos) << line;
  // the text report starts with the same three lines
  EXPECT_NE(d.text.find("\nproblem:          " + stringAt(s, "problem") + "\n"), std::string::npos)
      << d.text;
  EXPECT_NE(d.text.find("\nconnect now:      " + line + "\n"), std::string::npos) << d.text;
  EXPECT_LT(d.text.find("connect now:"), d.text.find("attempts (")) << d.text;

  const auto connect = runConnectNow(line, env_);
  EXPECT_EQ(connect.exitCode, 0) << line << "\n" << connect.describe() << "\n" << connect.err;
  EXPECT_EQ(connect.err.find("looking for a combination"), std::string::npos)
      << "the doctor stepped in: the command does not reproduce the winner\n"
      << connect.err;
}

TEST_F(ConnectNow, RdpOnlyHostTheCommandCarriesTheClassicMacAndTheFloorAndSaysXfreerdpCannot) {
  auto server = startServer({.kind = lab::Kind::XrdpRdp, .cryptLevel = "high"});
  ASSERT_NE(server, nullptr);
  const auto d = diagnoseOnTerminalWithText({server->hostSpec(), "--min-security", "rdp"});
  ASSERT_TRUE(d.json.is_object()) << d.process.describe() << "\n" << d.process.err;
  EXPECT_EQ(d.process.exitCode, 0) << d.process.describe() << "\n" << d.process.err;
  ASSERT_TRUE(d.json["winner"].is_object()) << d.json.dump(1);
  EXPECT_EQ(d.json["winner"]["security"], "rdp");
  EXPECT_FALSE(d.json["winner"]["salted_mac"].get<bool>());
  const auto& s = d.json["summary"];
  EXPECT_EQ(stringAt(s, "problem").rfind("standard RDP security fails: ", 0), 0u) << s;
  const std::string line = stringAt(s, "connect");
  EXPECT_NE(line.find(" --security rdp"), std::string::npos) << line;
  EXPECT_NE(line.find(" --min-security rdp"), std::string::npos)
      << "below the default floor: " << line;
  EXPECT_NE(line.find(" --rdp-mac classic"), std::string::npos) << line;
  EXPECT_NE(stringAt(s, "xfreerdp").find("xfreerdp 2.11 cannot"), std::string::npos) << s;
  EXPECT_NE(d.text.find("xfreerdp 2.11 cannot reproduce this combination"), std::string::npos)
      << d.text;
  EXPECT_EQ(d.text.find("  xfreerdp /v:"), std::string::npos)
      << "an xfreerdp line that does not work:\n"
      << d.text;

  const auto connect = runConnectNow(line, env_);
  EXPECT_EQ(connect.exitCode, 0) << line << "\n" << connect.describe() << "\n" << connect.err;
  EXPECT_EQ(connect.err.find("looking for a combination"), std::string::npos)
      << "the doctor stepped in: the command does not reproduce the winner\n"
      << connect.err;
}

/// The text a browser shows of `html` (tags dropped, the few entities a DOM dump keeps decoded).
std::string visibleText(const std::string& html) {
  std::string out;
  bool tag = false;
  for (char c : html) {
    if (c == '<') tag = true;
    if (!tag) out += c;
    if (c == '>') {
      tag = false;
      out += ' ';
    }
  }
  const std::pair<const char*, const char*> entities[] = {{"&lt;", "<"},    {"&gt;", ">"},
                                                          {"&quot;", "\""}, {"&#39;", "'"},
                                                          {"&nbsp;", " "},  {"&amp;", "&"}};
  for (const auto& [from, to] : entities)
    for (auto at = out.find(from); at != std::string::npos; at = out.find(from, at)) {
      out.replace(at, std::string(from).size(), to);
      at += std::string(to).size();
    }
  std::string squeezed;  // one space between words, as a reader sees them
  for (char c : out)
    if (!(c == ' ' || c == '\n') || (!squeezed.empty() && squeezed.back() != ' '))
      squeezed += c == '\n' ? ' ' : c;
  return squeezed;
}

TEST_F(ConnectNow, HtmlReportRenderedByChromiumShowsTheThreeLinesTheLayersAndTheVersions) {
  const std::string chromium = "/usr/bin/chromium";
  ASSERT_TRUE(std::filesystem::exists(chromium))
      << "chromium is not installed (packaging/install-deps.sh)";
  auto server = startServer({.kind = lab::Kind::XrdpTls10Ecdhe});
  ASSERT_NE(server, nullptr);
  const auto html = dir_.path() / "report.html";
  const auto d = diagnoseOnTerminalWithText({server->hostSpec(), "--html", html.string()});
  ASSERT_TRUE(d.json.is_object()) << d.process.describe() << "\n" << d.process.err;
  ASSERT_TRUE(std::filesystem::exists(html)) << d.process.describe();
  const std::string profileDir = (dir_.path() / "chromium").string();
  const auto baseArgs = std::vector<std::string>{chromium,
                                                 "--headless",
                                                 "--no-sandbox",
                                                 "--disable-gpu",
                                                 "--user-data-dir=" + profileDir,
                                                 "--no-first-run"};
  auto dumpArgs = baseArgs;
  dumpArgs.insert(dumpArgs.end(), {"--dump-dom", "file://" + html.string()});
  const auto dom = runProcess(
      {dumpArgs, baseEnvironment(env_.home().string()), std::chrono::milliseconds(60000)});
  ASSERT_EQ(dom.exitCode, 0) << dom.describe() << "\n" << dom.err;
  const std::string text = visibleText(dom.out);
  const auto& s = d.json["summary"];
  const auto problem = text.find("Problem " + stringAt(s, "problem"));
  const auto fix = text.find("Fix on the host " + stringAt(s, "fix"));
  const auto connect = text.find("Connect now " + stringAt(s, "connect"));
  EXPECT_NE(problem, std::string::npos) << text;
  EXPECT_NE(fix, std::string::npos) << text;
  EXPECT_NE(connect, std::string::npos) << text;
  const auto layers = text.find("Layers name");
  ASSERT_NE(layers, std::string::npos) << text;
  EXPECT_LT(connect, layers) << "the three lines come first";
  // TLS: where the original settings fail, and the winner's path (TLS at level 0)
  EXPECT_NE(text.find("TLS \xE2\x9C\x97 the original settings fail here \xE2\x9C\x93 the working "
                      "combination's path"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("RDP security \xE2\x86\x92 NLA"), std::string::npos)
      << "RDP security and NLA are off the path: " << text;
  EXPECT_NE(text.find("TCP \xE2\x9C\x93 the working combination's path"), std::string::npos)
      << text;
  EXPECT_NE(text.find("OpenSSL security level 0"), std::string::npos) << "the downgrade: " << text;
  EXPECT_NE(text.find("TLS version OpenSSL security level result"), std::string::npos)
      << "the probe's TLS table: " << text;
  EXPECT_NE(text.find("valid until "), std::string::npos) << "the certificate's dates: " << text;
  // the FreeRDP linked at run time (2.11.x or 3.x), as the JSON names it
  const std::string freerdp = stringAt(d.json["made"], "freerdp");
  EXPECT_TRUE(!freerdp.empty() && (freerdp[0] == '2' || freerdp[0] == '3')) << freerdp;
  EXPECT_NE(
      text.find("by rdpdoctor " + stringAt(d.json["made"], "rdpdoctor") + ", FreeRDP " + freerdp),
      std::string::npos)
      << text;
  EXPECT_NE(text.find(", OpenSSL 3"), std::string::npos) << text;
  EXPECT_FALSE(stringAt(d.json["made"], "client_host").empty());
  EXPECT_NE(text.find(" on " + stringAt(d.json["made"], "client_host") + " by rdpdoctor"),
            std::string::npos)
      << text;
  EXPECT_EQ(readFile(html).find("http"), std::string::npos)
      << "self-contained: no external resource";

  // what a reader sees at the top of the page: the failing layer's red and the winner's green
  const auto png = dir_.path() / "top.png";
  auto shotArgs = baseArgs;
  shotArgs.insert(shotArgs.end(), {"--hide-scrollbars", "--window-size=1400,900",
                                   "--screenshot=" + png.string(), "file://" + html.string()});
  const auto shot = runProcess(
      {shotArgs, baseEnvironment(env_.home().string()), std::chrono::milliseconds(60000)});
  ASSERT_EQ(shot.exitCode, 0) << shot.describe() << "\n" << shot.err;
  ASSERT_TRUE(std::filesystem::exists(png)) << shot.err;
  const auto colours =
      runProcess({{"/usr/bin/convert", png.string(), "-format", "%c", "histogram:info:-"},
                  baseEnvironment(env_.home().string()),
                  std::chrono::milliseconds(30000)});
  ASSERT_EQ(colours.exitCode, 0) << colours.err;
  EXPECT_NE(colours.out.find("#F2B8B8"), std::string::npos) << "no failing layer drawn";
  EXPECT_NE(colours.out.find("#B5E8B5"), std::string::npos) << "no winner's path drawn";
}

}  // namespace
}  // namespace rdpdoctor::doctortest
