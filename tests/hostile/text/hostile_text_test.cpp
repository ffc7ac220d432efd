// Server-controlled text is data, not markup: the real rdpdoctor binary against a TLS stub server
// (tests/hostile's byte-scripted stub: X.224 Confirm selecting PROTOCOL_SSL, then TLS) whose
// certificate's CN, O and SANs carry escape sequences, HTML, Markdown metacharacters, a 10 KB
// name, invalid UTF-8, a lone surrogate and NUL. Every verb, every report format and every log
// level, checked byte for byte.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "harness/doctor_run.hpp"
#include "hostile_certificate.hpp"
#include "rdpdoctor/lab/lab.hpp"
#include "stub_server.hpp"

namespace rdpdoctor::hostile {
namespace {

using namespace rdpdoctor::doctortest;
using namespace std::string_literals;

const std::string kCommonName =
    "\x1b[2J\x1b]52;c;cHduZWQ=\x07<script>alert(1)</script>\0nul\xc2\x9b"
    "31m\x7f"s;
const std::string kOrganization = "Evil\xff\nverdict: the host is fine\r| forged | row |\x1b[31m"s;
const std::string kSanInvalid = "\xff\xfe<img src=x onerror=alert(1)>.example"s;
const std::string kSanOsc = "\x1b]52;c;cHduZWQ=\x07.example"s;
const std::string kSanMarkdown = "a|b`c`*d*_e_[f](javascript:x)~g~.example"s;
const std::string kSanNewline = "evil\n  forged line\0tail"s;
const std::string kSanSurrogate = "\xed\xa0\x80.example"s;
const std::string kSanLong = std::string(10240, 'x') + ".example";

/// Independent of the code under test: what may not reach a terminal. C0 controls but '\n', DEL,
/// C1 controls (U+0080..U+009F as UTF-8) and any byte that is not well-formed UTF-8.
std::string forbiddenBytes(const std::string& s) {
  std::string found;
  const auto note = [&](std::size_t at, const char* what) {
    if (found.size() < 400) found += std::string(what) + " at " + std::to_string(at) + "; ";
  };
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      if (c == 0x1B)
        note(i, "ESC");
      else if (c == 0)
        note(i, "NUL");
      else if ((c < 0x20 && c != '\n') || c == 0x7F)
        note(i, "control");
      ++i;
      continue;
    }
    std::size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
    bool ok = n != 0 && c <= 0xF4 && i + n <= s.size();
    for (std::size_t k = 1; ok && k < n; ++k)
      ok = (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80;
    if (ok && c == 0xE0) ok = static_cast<unsigned char>(s[i + 1]) >= 0xA0;
    if (ok && c == 0xED) ok = static_cast<unsigned char>(s[i + 1]) <= 0x9F;
    if (ok && c == 0xF0) ok = static_cast<unsigned char>(s[i + 1]) >= 0x90;
    if (ok && c == 0xF4) ok = static_cast<unsigned char>(s[i + 1]) <= 0x8F;
    if (!ok) {
      note(i, "invalid UTF-8");
      ++i;
      continue;
    }
    if (c == 0xC2 && static_cast<unsigned char>(s[i + 1]) <= 0x9F) note(i, "C1 control");
    i += n;
  }
  return found;
}

bool hasLineStartingWith(const std::string& text, const std::string& prefix) {
  std::size_t at = 0;
  while (at <= text.size()) {
    if (text.compare(at, prefix.size(), prefix) == 0) return true;
    const auto nl = text.find('\n', at);
    if (nl == std::string::npos) return false;
    at = nl + 1;
  }
  return false;
}

std::string unhex(const std::string& hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
    out += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
  return out;
}

class HostileCertificate : public ::testing::Test {
 protected:
  /// The stub starts once for the suite, in the first test's SetUp (so a failure to start fails
  /// that test instead of skipping the suite).
  static void startStub() {
    auto ctx = serverContextWith(
        {kCommonName,
         kOrganization,
         {kSanInvalid, kSanOsc, kSanMarkdown, kSanNewline, kSanSurrogate, kSanLong}});
    ASSERT_TRUE(ctx.ok()) << ctx.error().message();
    auto server = StubServer::start({{"read-request", ""},
                                     {"send-confirm", "SSL"},
                                     {"tls-accept", ""},
                                     {"read-any", ""},
                                     {"close", ""}},
                                    *ctx);
    ASSERT_TRUE(server.ok()) << server.error().message();
    server_ = std::move(*server).release();
  }
  void SetUp() override {
    if (server_ == nullptr) startStub();
    ASSERT_NE(server_, nullptr) << "the TLS stub did not start";
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }

  static std::string target() { return "127.0.0.1:" + std::to_string(server_->port()); }

  ProcessResult run(std::vector<std::string> args) {
    args.insert(args.begin() + 1, target());
    return runRdpdoctor(RDPDOCTOR_BIN, args, env_, std::chrono::milliseconds(120000));
  }

  /// What a person's terminal would receive: stdout and stderr.
  static void expectTerminalSafe(const ProcessResult& p, const std::string& what) {
    EXPECT_EQ(forbiddenBytes(p.out), "") << what << ": stdout";
    EXPECT_EQ(forbiddenBytes(p.err), "") << what << ": stderr";
    for (const auto* stream : {&p.out, &p.err}) {
      EXPECT_FALSE(hasLineStartingWith(*stream, "  forged line"))
          << what << ": a SAN's newline forged a line";
      EXPECT_FALSE(hasLineStartingWith(*stream, "verdict: the host is fine"))
          << what << ": O forged a line";
    }
  }

  static void expectNoInternalError(const ProcessResult& p, const std::string& what) {
    EXPECT_EQ(p.termSignal, 0) << what << ": " << p.describe();
    // under RDPDOCTOR_SANITIZE a sanitizer report exits 1, a code this test otherwise accepts
    EXPECT_EQ(p.err.find("AddressSanitizer"), std::string::npos)
        << what << ": " << p.err.substr(0, 4000);
    EXPECT_EQ(p.err.find("runtime error:"), std::string::npos)
        << what << ": " << p.err.substr(0, 4000);
    EXPECT_NE(p.exitCode, 70) << what << ": " << p.describe() << "\n" << p.err.substr(0, 2000);
    EXPECT_TRUE((std::set<int>{0, 1, 4, 5}).contains(p.exitCode)) << what << ": " << p.describe();
  }

  static StubServer* server_;
  lab::TempDir dir_;
  DoctorEnvironment env_{dir_.path()};
};

StubServer* HostileCertificate::server_ = nullptr;

TEST_F(HostileCertificate, ProbeTextShowsTheCertificateVisiblyAtEveryLogLevel) {
  for (const std::string level : {"off", "error", "warn", "info", "debug", "trace"}) {
    const auto p = run({"probe", "--log-level", level});
    SCOPED_TRACE("probe --log-level " + level);
    expectNoInternalError(p, "probe");
    expectTerminalSafe(p, "probe --log-level " + level);
    EXPECT_NE(p.out.find("DNS:\\x1b]52;c;cHduZWQ=\\x07.example"), std::string::npos)
        << p.out.substr(0, 3000);
    EXPECT_NE(p.out.find("DNS:\\xff\\xfe<img"), std::string::npos) << p.out.substr(0, 3000);
    EXPECT_NE(p.out.find("DNS:evil\\n  forged line\\x00tail"), std::string::npos)
        << p.out.substr(0, 3000);
    EXPECT_NE(p.out.find(kSanLong), std::string::npos) << "the 10 KB name is shown whole";
  }
  EXPECT_GT(server_->tlsHandshakes(), 0) << "the probe reached the certificate over TLS";
}

TEST_F(HostileCertificate, ProbeJsonParsesAndKeepsTheRawBytesInHex) {
  const auto p = run({"probe", "--json", "-"});
  expectNoInternalError(p, "probe --json -");
  expectTerminalSafe(p, "probe --json -");
  nlohmann::json j;
  ASSERT_NO_THROW(j = nlohmann::json::parse(p.out)) << p.out.substr(0, 2000);
  const auto& cert = j["tls"]["certificate"];
  ASSERT_TRUE(cert.is_object()) << j["tls"].dump(1);
  const auto& sans = cert["subject_alt_names"];
  const auto& hex = cert["subject_alt_names_hex"];
  ASSERT_TRUE(sans.is_array());
  ASSERT_TRUE(hex.is_array()) << "no subject_alt_names_hex: " << cert.dump(1).substr(0, 2000);
  ASSERT_EQ(sans.size(), hex.size());
  ASSERT_EQ(sans.size(), 6u) << sans.dump();
  // the invalid ones: replacement characters in the value, the exact bytes in the _hex sibling
  EXPECT_EQ(sans[0], "DNS:\xef\xbf\xbd\xef\xbf\xbd<img src=x onerror=alert(1)>.example");
  EXPECT_EQ(unhex(hex[0].get<std::string>()), "DNS:" + kSanInvalid);
  EXPECT_EQ(sans[4], "DNS:\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd.example");
  EXPECT_EQ(unhex(hex[4].get<std::string>()), "DNS:" + kSanSurrogate);
  // the valid ones are kept as they are (JSON escapes the controls), with no hex
  EXPECT_EQ(sans[1], "DNS:" + kSanOsc);
  EXPECT_EQ(sans[2], "DNS:" + kSanMarkdown);
  EXPECT_EQ(sans[3], "DNS:" + kSanNewline);
  EXPECT_EQ(sans[5], "DNS:" + kSanLong);
  for (const std::size_t i : {1u, 2u, 3u, 5u}) EXPECT_TRUE(hex[i].is_null()) << i;
}

TEST_F(HostileCertificate, DiagnoseWritesEveryReportWithTheEvidenceEscaped) {
  for (const std::string level : {"warn", "debug", "trace"}) {
    SCOPED_TRACE("diagnose --log-level " + level);
    const auto jsonFile = dir_.path() / ("d-" + level + ".json");
    const auto mdFile = dir_.path() / ("d-" + level + ".md");
    const auto htmlFile = dir_.path() / ("d-" + level + ".html");
    // --cert accept-once: the test is about the certificate's text, read on stdout and stderr
    // apart (a terminal would merge them)
    const auto p =
        run({"diagnose", "--cert", "accept-once", "--timeout", "60", "--log-level", level, "--json",
             jsonFile.string(), "--markdown", mdFile.string(), "--html", htmlFile.string()});
    expectNoInternalError(p, "diagnose");
    expectTerminalSafe(p, "diagnose --log-level " + level);
    EXPECT_NE(p.out.find("subject alt name: DNS:\\x1b]52;c;"), std::string::npos)
        << p.out.substr(0, 4000);

    const std::string json = readFile(jsonFile);
    const std::string md = readFile(mdFile);
    const std::string html = readFile(htmlFile);
    ASSERT_FALSE(json.empty() || md.empty() || html.empty()) << "a report is missing\n"
                                                             << p.describe();
    for (const auto* doc : {&json, &md, &html}) EXPECT_EQ(forbiddenBytes(*doc), "");
    nlohmann::json j;
    ASSERT_NO_THROW(j = nlohmann::json::parse(json));
    EXPECT_EQ(
        unhex(j["probe"]["tls"]["certificate"]["subject_alt_names_hex"][0].get<std::string>()),
        "DNS:" + kSanInvalid);
    EXPECT_FALSE(j["attempts"].empty());

    // Markdown: the metacharacters and markup are escaped, the controls visible
    EXPECT_EQ(md.find("<img"), std::string::npos);
    EXPECT_NE(md.find("DNS:\\\\xff\\\\xfe&lt;img src=x onerror=alert(1)&gt;.example"),
              std::string::npos)
        << md;
    EXPECT_NE(md.find("DNS:a\\|b\\`c\\`\\*d\\*\\_e\\_\\[f\\](javascript:x)\\~g\\~.example"),
              std::string::npos)
        << md;
    EXPECT_NE(md.find("DNS:evil\\\\n  forged line\\\\x00tail |"), std::string::npos)
        << "one table row";
    // HTML: markup escaped, controls visible
    EXPECT_EQ(html.find("<img"), std::string::npos);
    EXPECT_EQ(html.find("<script>"), std::string::npos);
    EXPECT_NE(html.find("DNS:\\xff\\xfe&lt;img src=x onerror=alert(1)&gt;.example"),
              std::string::npos);
    EXPECT_NE(html.find("DNS:\\x1b]52;c;cHduZWQ=\\x07.example"), std::string::npos);
  }
}

TEST_F(HostileCertificate, ConnectHeadlessReportsCleanlyAtEveryLogLevel) {
  for (const std::string level : {"warn", "debug", "trace"}) {
    SCOPED_TRACE("connect --log-level " + level);
    const auto jsonFile = dir_.path() / ("c-" + level + ".json");
    // --cert accept-once: about the certificate's text, stdout and stderr read apart (no terminal)
    const auto p = run({"connect", "--headless", "--cert", "accept-once", "--timeout", "20",
                        "--log-level", level, "--json", jsonFile.string()});
    expectNoInternalError(p, "connect --headless");
    expectTerminalSafe(p, "connect --headless --log-level " + level);
    const std::string json = readFile(jsonFile);
    ASSERT_FALSE(json.empty()) << p.describe();
    EXPECT_EQ(forbiddenBytes(json), "");
    nlohmann::json j;
    ASSERT_NO_THROW(j = nlohmann::json::parse(json));
    ASSERT_TRUE(j.is_object());
    // the certificate FreeRDP saw is in the document, its escape bytes as OpenSSL spells them
    EXPECT_NE(j.dump().find("CN = \\\"\\\\1B[2J\\\\1B]52;c;cHduZWQ=\\\\07<script>"),
              std::string::npos)
        << j.dump(1).substr(0, 4000);
  }
}

TEST_F(HostileCertificate, FreeRdpsOwnCertificateLinesReachTheTerminalVisibly) {
  for (const std::string level : {"debug", "trace"}) {
    // --cert accept-once: about the certificate's text, stdout and stderr read apart (no terminal)
    const auto p = run(
        {"connect", "--headless", "--no-doctor", "--cert", "accept-once", "--log-level", level});
    expectNoInternalError(p, "connect --headless --no-doctor");
    expectTerminalSafe(p, "connect --headless --no-doctor --log-level " + level);
    // FreeRDP's name-mismatch warning lists the CN and every SAN: shown, through the WLog bridge
    EXPECT_NE(
        p.err.find("freerdp tag=com.freerdp.crypto \\t\\x1b[2J\\x1b]52;c;cHduZWQ=\\x07<script>"),
        std::string::npos)
        << p.err.substr(0, 6000);
    EXPECT_NE(p.err.find("\\t evil\\n  forged line"), std::string::npos) << p.err.substr(0, 6000);
  }
}

TEST(HostileRdpFile, ItsValuesAreShownVisiblyInErrorsAndWarnings) {
  lab::TempDir dir;
  DoctorEnvironment env(dir.path());
  const auto file = dir.path() / "hostile.rdp";
  {
    std::ofstream out(file, std::ios::binary);
    // valid UTF-8 with controls (a C1 NEL too): read, then shown visibly in the errors
    out << "full address:s:\x1b[2Jevil\xc2\x85 host\nusername:s:\x1b]52;c;eA==\x07bob\nbogus "
           "\x1b[31m "
           "line\n";
  }
  const auto binary = dir.path() / "not-utf8.rdp";
  std::ofstream(binary, std::ios::binary) << "full address:s:\x1b[2Jevil\xff host\n";
  for (const std::string verb : {"probe", "diagnose", "connect"}) {
    std::vector<std::string> args{verb, file.string()};
    if (verb == "connect") args.push_back("--headless");
    const auto p = runRdpdoctor(RDPDOCTOR_BIN, args, env, std::chrono::milliseconds(30000));
    EXPECT_EQ(p.exitCode, 2) << verb << ": " << p.describe() << "\n" << p.err;
    EXPECT_EQ(forbiddenBytes(p.out) + forbiddenBytes(p.err), "") << verb;
    EXPECT_NE(p.err.find("invalid host name '\\x1b[2Jevil\\u0085 host'"), std::string::npos)
        << verb << ": " << p.err;
    // not UTF-8 at all: the reader's error names the place, and nothing raw reaches the terminal
    std::vector<std::string> bad{verb, binary.string()};
    if (verb == "connect") bad.push_back("--headless");
    const auto b = runRdpdoctor(RDPDOCTOR_BIN, bad, env, std::chrono::milliseconds(30000));
    EXPECT_EQ(b.exitCode, 2) << verb << ": " << b.describe();
    EXPECT_EQ(forbiddenBytes(b.out) + forbiddenBytes(b.err), "") << verb;
    EXPECT_NE(b.err.find("line 1, column"), std::string::npos) << verb << ": " << b.err;
  }
}

}  // namespace
}  // namespace rdpdoctor::hostile
