// A diagnosis whose certificate and verdict carry a hostile server's text, rendered as terminal
// text, Markdown and HTML: the evidence is shown, escaped for each medium, and obeyed by none.
#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>

#include "rdpdoctor/report/diagnosis.hpp"
#include "rdpdoctor/text_safety.hpp"

namespace rdpdoctor {
namespace {

using namespace std::string_literals;

Diagnosis hostileDiagnosis() {
  Diagnosis d;
  d.original.target = HostSpec{"127.0.0.1", 3389, false};
  d.probe = {{"tls",
              {{"certificate",
                {{"subject", "CN=\x1b[2J<b>bold</b>"},
                 {"issuer", "O=a|b`c`"},
                 {"subject_alt_names", {"DNS:\xff\n| forged | row |"}},
                 {"sha256", "AB:CD"}}}}}};
  d.verdict = "fails: \x1b]52;c;cHduZWQ=\x07 [x](javascript:y)";
  return d;
}

TEST(DiagnosisText, TheCertificateIsShownVisiblyOnOneLinePerField) {
  const std::string text = renderText(hostileDiagnosis(), false);
  EXPECT_EQ(text.find('\x1b'), std::string::npos);
  EXPECT_EQ(text.find('\xff'), std::string::npos);
  EXPECT_NE(text.find("  subject: CN=\\x1b[2J<b>bold</b>\n"), std::string::npos) << text;
  EXPECT_NE(text.find("  subject alt name: DNS:\\xff\\n| forged | row |\n"), std::string::npos)
      << text;
  EXPECT_NE(text.find("verdict: fails: \\x1b]52;c;cHduZWQ=\\x07 [x](javascript:y)\n"),
            std::string::npos)
      << text;
}

TEST(DiagnosisMarkdown, ServerTextCannotAddMarkupOrTableCells) {
  const std::string md = renderMarkdown(hostileDiagnosis());
  EXPECT_EQ(md.find("<b>"), std::string::npos);
  EXPECT_EQ(md.find('\x1b'), std::string::npos);
  EXPECT_NE(md.find("| subject | CN=\\\\x1b\\[2J&lt;b&gt;bold&lt;/b&gt; |\n"), std::string::npos)
      << md;
  EXPECT_NE(md.find("| issuer | O=a\\|b\\`c\\` |\n"), std::string::npos) << md;
  EXPECT_NE(md.find("| subject alt name | DNS:\\\\xff\\\\n\\| forged \\| row \\| |\n"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("**Verdict:** fails: \\\\x1b\\]52;c;cHduZWQ=\\\\x07 \\[x\\](javascript:y)"),
            std::string::npos)
      << md;
  // every row of the certificate table has its three cell borders and no more
  std::istringstream in(md.substr(md.find("## Certificate")));
  for (std::string line; std::getline(in, line) && !line.starts_with("## What");) {
    if (!line.starts_with("| ")) continue;
    int borders = 0;
    for (std::size_t i = 0; i < line.size(); ++i)
      if (line[i] == '|' && (i == 0 || line[i - 1] != '\\')) ++borders;
    EXPECT_EQ(borders, 3) << line;
  }
}

TEST(DiagnosisHtml, ServerTextIsEscapedAndValidUtf8) {
  const std::string html = renderHtml(hostileDiagnosis());
  EXPECT_EQ(html.find("<b>"), std::string::npos);
  EXPECT_TRUE(isValidUtf8(html));
  EXPECT_EQ(html.find('\x1b'), std::string::npos);
  EXPECT_NE(html.find("<td>CN=\\x1b[2J&lt;b&gt;bold&lt;/b&gt;</td>"), std::string::npos) << html;
  EXPECT_NE(html.find("<td>DNS:\\xff\\n| forged | row |</td>"), std::string::npos) << html;
}

TEST(DiagnosisJson, AnInvalidSanDoesNotStopTheDocument) {
  const auto j = nlohmann::json::parse(jsonText(toJson(hostileDiagnosis()), 2));
  EXPECT_EQ(j["probe"]["tls"]["certificate"]["subject_alt_names_hex"][0],
            hexBytes("DNS:\xff\n| forged | row |"));
}

}  // namespace
}  // namespace rdpdoctor
