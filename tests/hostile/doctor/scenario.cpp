#include "scenario.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

namespace rdpdoctor::hostile {
namespace {

std::string trim(std::string s) {
  const auto b = s.find_first_not_of(" \t\r");
  const auto e = s.find_last_not_of(" \t\r");
  return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  std::istringstream in(s);
  while (std::getline(in, cur, sep))
    if (!trim(cur).empty()) out.push_back(trim(cur));
  return out;
}

bool knownVerb(const std::string& v) {
  static const std::vector<std::string> kVerbs = {"read-request",
                                                  "send-confirm",
                                                  "send-failure",
                                                  "send-no-negotiation",
                                                  "send-garbage",
                                                  "send-tpkt-length",
                                                  "truncate",
                                                  "drip",
                                                  "read-any",
                                                  "tls-accept",
                                                  "sleep",
                                                  "reset",
                                                  "close",
                                                  "hold",
                                                  "mcs-connect",
                                                  "mcs-join",
                                                  "send-license-valid-client",
                                                  "send-error-info",
                                                  "send-ultimatum",
                                                  "send-demand-active",
                                                  "read-font-list",
                                                  "send-finalization",
                                                  "send-license-error"};
  return std::find(kVerbs.begin(), kVerbs.end(), v) != kVerbs.end();
}

}  // namespace

Result<Scenario> parseScenario(const std::string& name, const std::string& text) {
  Scenario s;
  s.name = name;
  std::istringstream in(text);
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    line = trim(line);
    if (line.empty() || line[0] == '#') continue;
    const auto colon = line.find(':');
    const std::string key = trim(line.substr(0, colon));
    const std::string value = colon == std::string::npos ? "" : trim(line.substr(colon + 1));
    const auto where = name + ":" + std::to_string(n);
    try {
      if (key == "args") {
        s.args = split(value, ' ');
      } else if (key == "expect-exit") {
        s.expectExit = std::stoi(value);
      } else if (key == "expect-signature") {
        s.expectSignatures = split(value, '|');
      } else if (key == "expect-layer") {
        s.expectLayers = split(value, '|');
      } else if (key == "expect-cause-mentions") {
        s.expectCauseMentions = value;
      } else if (key == "expect-remedy-mentions") {
        s.expectRemedyMentions.push_back(value);
      } else if (key == "expect-no-remedy-mentions") {
        s.expectNoRemedyMentions.push_back(value);
      } else if (key == "expect-verdict-lacks") {
        s.expectVerdictLacks.push_back(value);
      } else if (key == "expect-rung") {
        s.expectRung = value;
      } else if (key == "expect-no-winner") {
        s.expectNoWinner = true;
      } else if (key == "expect-within-ms") {
        s.expectWithin = std::chrono::milliseconds(std::stol(value));
      } else if (key == "expect-attempts-within-ms") {
        s.expectAttemptsWithin = std::chrono::milliseconds(std::stol(value));
      } else if (key == "step") {
        const auto sp = value.find(' ');
        Step st{value.substr(0, sp), sp == std::string::npos ? "" : trim(value.substr(sp + 1))};
        if (!knownVerb(st.verb))
          return makeError("malformed", where + ": unknown step '" + st.verb + "'");
        s.steps.push_back(std::move(st));
      } else {
        return makeError("malformed", where + ": unknown key '" + key + "'");
      }
    } catch (const std::exception& e) {
      return makeError("malformed", where + ": bad value '" + value + "'").because(e.what());
    }
  }
  if (s.expectExit < 0) return makeError("malformed", name + ": no expect-exit");
  if (s.steps.empty()) return makeError("malformed", name + ": no step");
  return s;
}

Result<Scenario> loadScenario(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) return makeError("io", "cannot read " + file.string());
  std::ostringstream text;
  text << in.rdbuf();
  return parseScenario(file.stem().string(), text.str());
}

std::vector<std::filesystem::path> scenarioFiles(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(dir))
    if (e.path().extension() == ".scenario") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace rdpdoctor::hostile
