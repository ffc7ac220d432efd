// .rdp files as mstsc, Azure Virtual Desktop and FreeRDP write them: read and written back they
// are the same bytes, and saving a winner changes only the keys the winner changes (issue 13).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "rdpdoctor/front/rdp_file.hpp"

using namespace rdpdoctor;

namespace {

/// UTF-16LE with a BOM, as mstsc and the AVD feed write .rdp files.
std::string utf16le(const std::u16string& text, bool bom = true) {
  std::string out = bom ? "\xFF\xFE" : "";
  for (char16_t c : text) {
    out += static_cast<char>(c & 0xFF);
    out += static_cast<char>(c >> 8);
  }
  return out;
}

/// An Azure Virtual Desktop file (the shape the AVD feed hands out): 36 keys, most of which
/// rdpdoctor does not model, a signature, CRLF endings.
const std::vector<std::u16string> kAvdLines = {
    u"redirectclipboard:i:1",
    u"redirectprinters:i:1",
    u"redirectcomports:i:1",
    u"redirectsmartcards:i:1",
    u"devicestoredirect:s:*",
    u"drivestoredirect:s:*",
    u"redirectdrives:i:1",
    u"session bpp:i:32",
    u"prompt for credentials on client:i:1",
    u"span monitors:i:1",
    u"use multimon:i:1",
    u"remoteapplicationmode:i:0",
    u"server port:i:3389",
    u"allow font smoothing:i:1",
    u"promptcredentialonce:i:0",
    u"videoplaybackmode:i:1",
    u"audiocapturemode:i:1",
    u"gatewayusagemethod:i:2",
    u"gatewayprofileusagemethod:i:1",
    u"gatewaycredentialssource:i:0",
    u"full address:s:rdgateway-r0.wvd.example",
    u"alternate full address:s:127.0.0.1:3390",
    u"use redirection server name:i:1",
    u"loadbalanceinfo:s:tsv://MS Terminal Services Plugin.1.Desktop_Pool_7f3e",
    u"gatewayhostname:s:rdgateway-r0.wvd.example:443",
    u"workspace id:s:5e1b1c1a-0d2f-4c7e-9a51-3f8c2b1d0e77",
    u"enablerdsaadauth:i:0",
    u"enablecredsspsupport:i:1",
    u"audiomode:i:0",
    u"camerastoredirect:s:*",
    u"screen mode id:i:2",
    u"autoreconnection enabled:i:1",
    u"bandwidthautodetect:i:1",
    u"networkautodetect:i:1",
    u"signscope:s:Full Address,Alternate Full Address,ServerPort,GatewayHostname",
    u"signature:s:AQABAAEAAAA7CgAAMIIKNwYJKoZIhvcNAQcCoIIKKDCCCiQCAQExDzANBglghkgBZQME\u00e9",
};

std::u16string joined(const std::vector<std::u16string>& lines, const std::u16string& eol) {
  std::u16string text;
  for (const auto& l : lines) text += l + eol;
  return text;
}

RdpFile saved(const RdpFile& read, const Profile& winner) {
  RdpFile out = read;
  applyProfileToRdp(winner, out);
  (void)keepSecurityOf(read, winner, out);
  return out;
}

}  // namespace

TEST(RdpRoundTrip, AnAzureVirtualDesktopFileInUtf16IsWrittenBackByteForByte) {
  const std::string bytes = utf16le(joined(kAvdLines, u"\r\n"));
  auto f = parseRdpFile(bytes);
  ASSERT_TRUE(f.ok()) << f.error().message();
  EXPECT_TRUE(f->utf16);
  EXPECT_EQ(f->serialize(), bytes);
}

TEST(RdpRoundTrip, TheAlternateFullAddressIsTheAddressDialled) {
  auto f = parseRdpFile(utf16le(joined(kAvdLines, u"\r\n")));
  ASSERT_TRUE(f.ok());
  std::vector<std::string> w;
  auto p = profileFromRdp(*f, w);
  ASSERT_TRUE(p.ok()) << p.error().message();
  EXPECT_EQ(p->target.host, "127.0.0.1");
  EXPECT_EQ(p->target.port, 3390);
}

TEST(RdpRoundTrip, SavingAWinnerChangesOnlyItsKeysAndKeepsEverythingElseByteForByte) {
  const std::string bytes = utf16le(joined(kAvdLines, u"\r\n"));
  auto read = parseRdpFile(bytes);
  ASSERT_TRUE(read.ok());
  std::vector<std::string> w;
  auto winner = profileFromRdp(*read, w);
  ASSERT_TRUE(winner.ok());
  winner->security = Security::Tls;  // the doctor turned NLA off and lowered the TLS level
  winner->tlsSecLevel = 0;
  const std::string out = saved(*read, *winner).serialize();

  std::vector<std::u16string> expected = kAvdLines;
  for (auto& l : expected)
    if (l == u"enablecredsspsupport:i:1") l = u"enablecredsspsupport:i:0";
  expected.push_back(u"rdpdoctor tls seclevel:i:0");
  EXPECT_EQ(out, utf16le(joined(expected, u"\r\n")));
}

TEST(RdpRoundTrip, AWinnerThatChangesNothingLeavesTheFileAsItWas) {
  const std::string bytes = utf16le(joined(kAvdLines, u"\r\n"));
  auto read = parseRdpFile(bytes);
  ASSERT_TRUE(read.ok());
  std::vector<std::string> w;
  auto winner = profileFromRdp(*read, w);
  ASSERT_TRUE(winner.ok());
  EXPECT_EQ(saved(*read, *winner).serialize(), bytes)
      << "screen mode id, username, prompt for credentials... are not the winner's to change";
}

TEST(RdpRoundTrip, ARepeatedKeyIsChangedOnTheLineThatWinsAndTheOtherStays) {
  const std::string bytes =
      "session bpp:i:32\r\nfull address:s:old.lab\r\nsession bpp:i:24\r\nusername:s:bob\r\n";
  auto read = parseRdpFile(bytes);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->serialize(), bytes);
  std::vector<std::string> w;
  auto winner = profileFromRdp(*read, w);
  ASSERT_TRUE(winner.ok());
  EXPECT_EQ(winner->colorDepth, 24u);
  winner->colorDepth = 16;
  EXPECT_EQ(saved(*read, *winner).serialize(),
            "session bpp:i:32\r\nfull address:s:old.lab\r\nsession bpp:i:16\r\nusername:s:bob\r\n");
}

TEST(RdpRoundTrip, LineEndingsEmptyLinesAndAMissingFinalNewlineAreKept) {
  const std::string bytes = "full address:s:h.lab\n\nusername:s:bob\r\nsession bpp:i:16";
  auto read = parseRdpFile(bytes);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->serialize(), bytes);
  std::vector<std::string> w;
  auto winner = profileFromRdp(*read, w);
  ASSERT_TRUE(winner.ok());
  winner->gfx = false;
  // a new line takes the file's own ending, and the last line gets one before it
  EXPECT_EQ(saved(*read, *winner).serialize(),
            "full address:s:h.lab\n\nusername:s:bob\r\nsession bpp:i:16\nrdpdoctor gfx:i:0\n");
}

TEST(RdpRoundTrip, ATrailingNulIsToleratedAndKept) {
  const std::string utf8 = std::string("full address:s:h.lab\r\nusername:s:bob\r\n") + '\0';
  auto a = parseRdpFile(utf8);
  ASSERT_TRUE(a.ok()) << a.error().message();
  EXPECT_EQ(a->find("username")->value, "bob");
  EXPECT_EQ(a->serialize(), utf8);
  const std::string wide = utf16le(u"full address:s:h.lab\r\n") + std::string("\0\0", 2);
  auto b = parseRdpFile(wide);
  ASSERT_TRUE(b.ok()) << b.error().message();
  EXPECT_EQ(b->find("full address")->value, "h.lab");
  EXPECT_EQ(b->serialize(), wide);
  // a NUL inside the text is still not an .rdp file
  EXPECT_FALSE(parseRdpFile(std::string("full address:s:h\0x\r\n", 20)).ok());
}

TEST(RdpRoundTrip, AUtf8BomAndUnknownCaseOfKeysAreKept) {
  const std::string bytes =
      "\xEF\xBB\xBF"
      "Full Address:s:h.lab\r\nScreen Mode ID:i:2\r\n";
  auto read = parseRdpFile(bytes);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->serialize(), bytes);
  std::vector<std::string> w;
  auto winner = profileFromRdp(*read, w);
  ASSERT_TRUE(winner.ok());
  winner->target = *parseHostSpec("127.0.0.1:4000");
  EXPECT_EQ(saved(*read, *winner).serialize(),
            "\xEF\xBB\xBF"
            "Full Address:s:127.0.0.1:4000\r\nScreen Mode ID:i:2\r\n");
}

TEST(RdpRoundTrip, AMovedHostIsWrittenToTheAlternateFullAddressWhenTheFileDialsThat) {
  auto read = parseRdpFile(utf16le(joined(kAvdLines, u"\r\n")));
  ASSERT_TRUE(read.ok());
  std::vector<std::string> w;
  auto winner = profileFromRdp(*read, w);
  ASSERT_TRUE(winner.ok());
  winner->target = *parseHostSpec("127.0.0.2:3391");
  const RdpFile out = saved(*read, *winner);
  EXPECT_EQ(out.find("alternate full address")->value, "127.0.0.2:3391");
  EXPECT_EQ(out.find("full address")->value, "rdgateway-r0.wvd.example");
}
