// The one place server-controlled text is made safe: terminal, Markdown, HTML, JSON.
#include "rdpdoctor/text_safety.hpp"

#include <gtest/gtest.h>

namespace rdpdoctor {
namespace {

using namespace std::string_literals;

TEST(TerminalText, EscapeSequencesAreShownNotObeyed) {
  EXPECT_EQ(terminalText("\x1b[2J\x1b[31mred"), "\\x1b[2J\\x1b[31mred");
  // OSC 52 (set the clipboard) ended by BEL, and by ST
  EXPECT_EQ(terminalText("\x1b]52;c;cHduZWQ=\x07"), "\\x1b]52;c;cHduZWQ=\\x07");
  EXPECT_EQ(terminalText("\x1b]0;title\x1b\\"), "\\x1b]0;title\\x1b\\");
}

TEST(TerminalText, NulDelAndEveryC0ControlAreVisible) {
  EXPECT_EQ(terminalText("a\0b"s), "a\\x00b");
  EXPECT_EQ(terminalText("\x7f"), "\\x7f");
  EXPECT_EQ(terminalText("\x01\x08\x0b\x0c\x1f"), "\\x01\\x08\\x0b\\x0c\\x1f");
}

TEST(TerminalText, NewlinesInAValueCannotStartALine) {
  EXPECT_EQ(terminalText("evil\nverdict: fine\r\tx"), "evil\\nverdict: fine\\r\\tx");
}

TEST(TerminalText, C1ControlsAndBidiOverridesAreEscapedAsCodePoints) {
  EXPECT_EQ(terminalText("\xc2\x9b"
                         "31m"),
            "\\u009b31m");                         // CSI as UTF-8
  EXPECT_EQ(terminalText("\xc2\x85"), "\\u0085");  // NEL
  EXPECT_EQ(terminalText("abc\xe2\x80\xae"
                         "fdp.exe"),
            "abc\\u202efdp.exe");
  EXPECT_EQ(terminalText("\xe2\x80\xa8"), "\\u2028");
}

TEST(TerminalText, InvalidUtf8BytesAreShownAsHex) {
  EXPECT_EQ(terminalText("\xff\xfe"), "\\xff\\xfe");
  EXPECT_EQ(terminalText("\x9b"), "\\x9b");                    // a lone 8-bit CSI is no UTF-8
  EXPECT_EQ(terminalText("\xc0\xaf"), "\\xc0\\xaf");           // overlong '/'
  EXPECT_EQ(terminalText("\xed\xa0\x80"), "\\xed\\xa0\\x80");  // a lone surrogate (CESU-8)
  EXPECT_EQ(terminalText("\xf4\x90\x80\x80"), "\\xf4\\x90\\x80\\x80");  // above U+10FFFF
  EXPECT_EQ(terminalText("ok\xe2\x82"), "ok\\xe2\\x82");                // truncated at the end
}

TEST(TerminalText, OrdinaryTextIsKeptByteForByte) {
  const std::string s = "CN=srv-01.example.com, O=Müller & Söhne 日本 🖥 C:\\Users";
  EXPECT_EQ(terminalText(s), s);
  EXPECT_EQ(terminalText(""), "");
}

TEST(TerminalText, IsIdempotent) {
  const std::string hostile = "\x1b[2J\xff\0\n\xc2\x9b\xe2\x80\xae"s;
  EXPECT_EQ(terminalText(terminalText(hostile)), terminalText(hostile));
}

TEST(MarkdownText, InlineMetacharactersAndMarkupAreEscaped) {
  EXPECT_EQ(markdownText("<script>alert(1)</script>"), "&lt;script&gt;alert(1)&lt;/script&gt;");
  EXPECT_EQ(markdownText("a|b"), "a\\|b");
  EXPECT_EQ(markdownText("`code` *em* _em_ ~del~"), "\\`code\\` \\*em\\* \\_em\\_ \\~del\\~");
  EXPECT_EQ(markdownText("[x](javascript:alert(1))"), "\\[x\\](javascript:alert(1))");
  EXPECT_EQ(markdownText("&amp;"), "&amp;amp;");
  EXPECT_EQ(markdownText("C:\\x"), "C:\\\\x");
}

TEST(MarkdownText, ControlsAreVisibleAndANewlineStaysInItsCell) {
  EXPECT_EQ(markdownText("a\nb"), "a\\\\nb");
  EXPECT_EQ(markdownText("\x1b[2J"), "\\\\x1b\\[2J");
  EXPECT_EQ(markdownText("\xff"), "\\\\xff");
}

TEST(MarkdownCode, TheFenceIsLongerThanAnyBacktickRunInside) {
  EXPECT_EQ(markdownCode("127.0.0.1:3389"), "`127.0.0.1:3389`");
  EXPECT_EQ(markdownCode("a`b"), "``a`b``");
  EXPECT_EQ(markdownCode("a``b`"), "``` a``b` ```");
  EXPECT_EQ(markdownCode("x\x1by"), "`x\\x1by`");
  EXPECT_EQ(markdownCode(""), "` `");
}

TEST(HtmlText, MarkupIsEscapedAndControlsVisible) {
  EXPECT_EQ(htmlText("<img src=x onerror=\"a('b')\">&"),
            "&lt;img src=x onerror=&quot;a(&#39;b&#39;)&quot;&gt;&amp;");
  EXPECT_EQ(htmlText("\x1b[2J\xff"), "\\x1b[2J\\xff");
}

TEST(Utf8, ValidityRepairAndHex) {
  EXPECT_TRUE(isValidUtf8("plain Müller 日本 🖥"));
  EXPECT_TRUE(isValidUtf8("\0"s));
  EXPECT_FALSE(isValidUtf8("\xff"));
  EXPECT_FALSE(isValidUtf8("\xed\xa0\x80"));
  EXPECT_FALSE(isValidUtf8("\xe0\x80\xaf"));
  EXPECT_EQ(utf8Repaired("a\xffz"), "a\xef\xbf\xbdz");
  EXPECT_EQ(utf8Repaired("\xed\xa0\x80"), "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
  EXPECT_EQ(hexBytes("\xff\0A"s), "ff0041");
}

TEST(JsonText, InvalidUtf8GetsReplacementCharactersAndAHexSibling) {
  nlohmann::json j{{"subject", "CN=\xff"}, {"issuer", "fine"}};
  EXPECT_THROW((void)j.dump(), nlohmann::json::type_error) << "what the reports did before";
  const auto parsed = nlohmann::json::parse(jsonText(j));
  EXPECT_EQ(parsed["subject"], "CN=\xef\xbf\xbd");
  EXPECT_EQ(parsed["subject_hex"], "434e3dff");
  EXPECT_EQ(parsed["issuer"], "fine");
  EXPECT_FALSE(parsed.contains("issuer_hex"));
}

TEST(JsonText, AnArrayOfStringsGetsAParallelHexArray) {
  nlohmann::json j{
      {"certificate", {{"subject_alt_names", {"DNS:ok", "DNS:\xfe", "DNS:\xed\xa0\x80"}}}}};
  const auto parsed = nlohmann::json::parse(jsonText(j, 2));
  const auto& c = parsed["certificate"];
  EXPECT_EQ(c["subject_alt_names"], (nlohmann::json{"DNS:ok", "DNS:\xef\xbf\xbd",
                                                    "DNS:\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"}));
  EXPECT_EQ(c["subject_alt_names_hex"], (nlohmann::json{nullptr, "444e533afe", "444e533aeda080"}));
}

TEST(JsonText, DeepStringsAndKeysAreRepairedToo) {
  nlohmann::json j{{"attempts", {{{"outcome", {{"log_tail", {"x\xff"}}}}}, {{"k\xff", "v"}}}},
                   {"bare", {{"\xff"}}}};
  nlohmann::json parsed;
  ASSERT_NO_THROW(parsed = nlohmann::json::parse(jsonText(j)));
  EXPECT_EQ(parsed["attempts"][0]["outcome"]["log_tail_hex"][0], "78ff");
  EXPECT_TRUE(parsed["attempts"][1].contains("k\xef\xbf\xbd"));
}

TEST(JsonText, ControlsAreEscapedSoTheDocumentIsSafeOnATerminal) {
  const nlohmann::json j{{"cn", "\x1b[2J\x7f\xc2\x9b\xe2\x80\xae\0"s}};
  const std::string text = jsonText(j);
  EXPECT_EQ(text, "{\"cn\":\"\\u001b[2J\\u007f\\u009b\\u202e\\u0000\"}");
  EXPECT_EQ(nlohmann::json::parse(text), j) << "the same value, only spelled with escapes";
}

}  // namespace
}  // namespace rdpdoctor
