#include "rdpdoctor/front/rdp_file.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

using namespace rdpdoctor;

namespace {
const char* kMstsc =
    "screen mode id:i:2\r\n"
    "use multimon:i:0\r\n"
    "desktopwidth:i:1280\r\n"
    "desktopheight:i:800\r\n"
    "session bpp:i:16\r\n"
    "full address:s:legacy.lab:3390\r\n"
    "username:s:LAB\\alice\r\n"
    "enablecredsspsupport:i:0\r\n"
    "negotiate security layer:i:0\r\n"
    "some future key:s:kept as is\r\n"
    "this line is broken\r\n";
}  // namespace

TEST(RdpFile, ReadsTheKeysItUnderstands) {
  auto f = parseRdpFile(kMstsc);
  ASSERT_TRUE(f.ok());
  std::vector<std::string> warnings;
  auto p = profileFromRdp(*f, warnings);
  ASSERT_TRUE(p.ok()) << p.error().message();
  EXPECT_EQ(p->target.host, "legacy.lab");
  EXPECT_EQ(p->target.port, 3390);
  EXPECT_EQ(p->user, "alice");
  EXPECT_EQ(p->domain, "LAB");
  EXPECT_EQ(p->security, Security::Rdp);
  EXPECT_EQ(p->width, 1280u);
  EXPECT_EQ(p->colorDepth, 16u);
}

TEST(RdpFile, MalformedLineIsReportedWithItsNumberAndKept) {
  auto f = parseRdpFile(kMstsc);
  ASSERT_TRUE(f.ok());
  ASSERT_EQ(f->warnings.size(), 1u);
  EXPECT_NE(f->warnings[0].find("line 11"), std::string::npos);
  EXPECT_NE(f->serialize().find("this line is broken\r\n"), std::string::npos);
}

TEST(RdpFile, RoundTripKeepsUnknownKeysByteForByte) {
  auto f = parseRdpFile(kMstsc);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->serialize(), kMstsc);
  Profile p;
  p.target = *parseHostSpec("127.0.0.1:4000");
  p.security = Security::Tls;
  p.tlsSecLevel = 0;
  applyProfileToRdp(p, *f);
  const auto out = f->serialize();
  EXPECT_NE(out.find("some future key:s:kept as is\r\n"), std::string::npos);
  EXPECT_NE(out.find("use multimon:i:0\r\n"), std::string::npos);
  EXPECT_NE(out.find("full address:s:127.0.0.1:4000\r\n"), std::string::npos);
  EXPECT_NE(out.find("rdpdoctor tls seclevel:i:0\r\n"), std::string::npos);
}

TEST(RdpFile, Utf16WithBomIsReadAndWrittenBackAsUtf16) {
  std::string utf16 = "\xFF\xFE";  // BOM, then "full address:s:hé.lab:1\r\n" in UTF-16LE
  const std::u16string text = u"full address:s:h\u00e9.lab:1\r\n";
  for (char16_t c : text) {
    utf16 += static_cast<char>(c & 0xFF);
    utf16 += static_cast<char>(c >> 8);
  }
  auto f = parseRdpFile(utf16);
  ASSERT_TRUE(f.ok());
  EXPECT_TRUE(f->utf16);
  ASSERT_NE(f->find("full address"), nullptr);
  EXPECT_EQ(f->find("full address")->value, "h\xC3\xA9.lab:1");
  EXPECT_EQ(f->serialize(), utf16);
}

TEST(RdpFile, MissingAddressIsTheOnlyFatalError) {
  auto f = parseRdpFile("username:s:bob\r\n");
  ASSERT_TRUE(f.ok());
  std::vector<std::string> w;
  auto p = profileFromRdp(*f, w);
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.error().message().find("full address"), std::string::npos);
}

TEST(RdpFile, AGatewayForWhenDirectFailsIsReportedAsUnsupported) {
  auto f = parseRdpFile(
      "full address:s:h\r\ngatewayhostname:s:gw.example\r\ngatewayusagemethod:i:2\r\n");
  ASSERT_TRUE(f.ok());
  std::vector<std::string> w;
  ASSERT_TRUE(profileFromRdp(*f, w).ok());
  ASSERT_EQ(w.size(), 1u);
  EXPECT_NE(w[0].find("gateway"), std::string::npos);
}

TEST(RdpFile, BinaryGarbageIsAClearError) {
  auto f = parseRdpFile(std::string("\x00\x01\x02garbage", 10));
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.error().code, "malformed");
}

TEST(RdpFile, TheDialAddressSurvivesARoundTripWhileTheNameStays) {
  Profile p;
  p.target = *parseHostSpec("localhost:4000");
  p.dialAddress = "::1";
  RdpFile f;
  applyProfileToRdp(p, f);
  auto back = parseRdpFile(f.serialize());
  ASSERT_TRUE(back.ok());
  std::vector<std::string> w;
  auto q = profileFromRdp(*back, w);
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->target.host, "localhost");
  EXPECT_EQ(q->dialAddress, "::1");
}

// --- hostile files (issue 9): each ends in one clear error or a warning with its line number ---

TEST(RdpFile, InvalidUtf8IsAnErrorNamingItsLine) {
  auto f = parseRdpFile(
      "full address:s:h\r\nusername:s:bob\r\ndomain:s:a\xFF"
      "b\r\n");
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.error().code, "malformed");
  EXPECT_NE(f.error().message().find("line 3"), std::string::npos) << f.error().message();
  EXPECT_NE(f.error().message().find("0xFF"), std::string::npos) << f.error().message();
}

TEST(RdpFile, Utf8EncodedSurrogatesAndOverlongFormsAreNotText) {
  for (const std::string bad :
       {"\xED\xA0\x80", "\xC0\xAF", "\xE0\x80\xAF", "\xF4\x90\x80\x80", "\xE2\x82"}) {
    auto f = parseRdpFile("full address:s:h\nusername:s:" + bad + "\n");
    ASSERT_FALSE(f.ok()) << "accepted bytes of length " << bad.size();
    EXPECT_NE(f.error().message().find("line 2"), std::string::npos) << f.error().message();
  }
}

TEST(RdpFile, WellFormedUtf8IsRead) {
  auto f =
      parseRdpFile("full address:s:h\nusername:s:J\xC3\xBCrgen \xE2\x82\xAC \xF0\x9F\x98\x80\n");
  ASSERT_TRUE(f.ok()) << f.error().message();
  EXPECT_EQ(f->find("username")->value, "J\xC3\xBCrgen \xE2\x82\xAC \xF0\x9F\x98\x80");
}

TEST(RdpFile, LoneUtf16SurrogateIsAnErrorNamingItsLine) {
  std::string utf16 = "\xFF\xFE";
  for (char c : std::string("full address:s:h\r\nusername:s:")) utf16 += std::string{c, '\0'};
  utf16 += std::string("\x00\xD8", 2);  // U+D800 with no low surrogate after it
  for (char c : std::string("x\r\n")) utf16 += std::string{c, '\0'};
  auto f = parseRdpFile(utf16);
  ASSERT_FALSE(f.ok());
  EXPECT_NE(f.error().message().find("line 2"), std::string::npos) << f.error().message();
  EXPECT_NE(f.error().message().find("surrogate"), std::string::npos) << f.error().message();
}

TEST(RdpFile, CarriageReturnAloneEndsALine) {
  auto f = parseRdpFile("full address:s:mac.lab\rusername:s:carol\rsession bpp:i:16\r");
  ASSERT_TRUE(f.ok()) << f.error().message();
  EXPECT_TRUE(f->warnings.empty()) << f->warnings.front();
  ASSERT_NE(f->find("username"), nullptr);
  EXPECT_EQ(f->find("username")->value, "carol");
  EXPECT_EQ(f->find("full address")->value, "mac.lab");
  EXPECT_EQ(f->find("session bpp")->value, "16");
}

TEST(RdpFile, DuplicateKeyLastWinsAndTheWarningNamesBothLines) {
  auto f =
      parseRdpFile("full address:s:first.lab\r\nusername:s:bob\r\nfull address:s:second.lab\r\n");
  ASSERT_TRUE(f.ok()) << f.error().message();
  EXPECT_EQ(f->find("full address")->value, "second.lab");
  ASSERT_EQ(f->warnings.size(), 1U);
  EXPECT_NE(f->warnings[0].find("line 3"), std::string::npos) << f->warnings[0];
  EXPECT_NE(f->warnings[0].find("line 1"), std::string::npos) << f->warnings[0];
  // both lines are written back as they were read (issue 13: byte for byte)
  EXPECT_EQ(f->serialize(),
            "full address:s:first.lab\r\nusername:s:bob\r\nfull address:s:second.lab\r\n");
}

TEST(RdpFile, AFifoIsRefusedWithoutBlocking) {
  const std::string dir = ::testing::TempDir();
  const std::string fifo = dir + "/rdpdoctor-unit-" + std::to_string(::getpid()) + ".rdp";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0) << std::strerror(errno);
  auto f = readRdpFile(fifo);  // no writer: a blocking open or read would hang here
  ::unlink(fifo.c_str());
  ASSERT_FALSE(f.ok());
  EXPECT_NE(f.error().message().find("not a regular file"), std::string::npos)
      << f.error().message();
}

TEST(RdpFile, ADeviceIsRefusedBeforeReading) {
  auto f = readRdpFile("/dev/zero");
  ASSERT_FALSE(f.ok());
  EXPECT_NE(f.error().message().find("not a regular file"), std::string::npos)
      << f.error().message();
}

TEST(RdpFile, ASymlinkToARegularFileIsRead) {
  const std::string dir = ::testing::TempDir();
  const std::string target = dir + "/rdpdoctor-unit-target-" + std::to_string(::getpid()) + ".rdp";
  const std::string link = dir + "/rdpdoctor-unit-link-" + std::to_string(::getpid()) + ".rdp";
  {
    std::FILE* out = std::fopen(target.c_str(), "wb");
    ASSERT_NE(out, nullptr);
    std::fputs("full address:s:linked.lab\r\n", out);
    std::fclose(out);
  }
  ASSERT_EQ(::symlink(target.c_str(), link.c_str()), 0) << std::strerror(errno);
  auto f = readRdpFile(link);
  ::unlink(link.c_str());
  ::unlink(target.c_str());
  ASSERT_TRUE(f.ok()) << f.error().message();
  EXPECT_EQ(f->find("full address")->value, "linked.lab");
}

// --- a saved file is never weaker than the one read (issue 9) ---

namespace {
RdpFile savedFrom(const RdpFile& read, const Profile& winner,
                  std::vector<SecurityWeakening>& weakened) {
  RdpFile saved = read;
  applyProfileToRdp(winner, saved);
  weakened = keepSecurityOf(read, winner, saved);
  return saved;
}
}  // namespace

TEST(RdpFileSave, RefuseOnACertificateProblemStaysRefuse) {
  auto read = parseRdpFile(
      "full address:s:h\r\nauthentication level:i:1\r\nprompt for credentials:i:1\r\n");
  ASSERT_TRUE(read.ok());
  std::vector<std::string> w;
  auto winner = profileFromRdp(*read, w);
  ASSERT_TRUE(winner.ok());
  std::vector<SecurityWeakening> weakened;
  const RdpFile saved = savedFrom(*read, *winner, weakened);
  EXPECT_EQ(saved.find("authentication level")->value,
            "1");  // applyProfileToRdp alone writes 2 (warn)
  EXPECT_EQ(saved.find("prompt for credentials")->value, "1");
  EXPECT_TRUE(weakened.empty());
}

TEST(RdpFileSave, AWeakerLayerTheWinnerNeedsIsWrittenAndNamed) {
  auto read =
      parseRdpFile("full address:s:h\r\nenablecredsspsupport:i:1\r\nauthentication level:i:1\r\n");
  ASSERT_TRUE(read.ok());
  Profile winner;
  winner.target = *parseHostSpec("h");
  winner.security = Security::Tls;  // the doctor's downgrade, above a TLS floor
  std::vector<SecurityWeakening> weakened;
  const RdpFile saved = savedFrom(*read, winner, weakened);
  EXPECT_EQ(saved.find("enablecredsspsupport")->value, "0");
  EXPECT_EQ(saved.find("authentication level")->value,
            "1");  // TLS authenticates the server: not needed
  ASSERT_EQ(weakened.size(), 1U);
  EXPECT_EQ(weakened[0].key, "enablecredsspsupport");
  EXPECT_EQ(weakened[0].before, "1");
  EXPECT_EQ(weakened[0].after, "0");
}

TEST(RdpFileSave, AnAbsentKeyIsComparedWithMstscsDefault) {
  auto read = parseRdpFile("full address:s:h\r\n");
  ASSERT_TRUE(read.ok());
  Profile winner;
  winner.target = *parseHostSpec("h");
  winner.security = Security::Rdp;
  std::vector<SecurityWeakening> weakened;
  (void)savedFrom(*read, winner, weakened);
  std::vector<std::string> keys;
  for (const auto& x : weakened) keys.push_back(x.key + " " + x.before + "->" + x.after);
  EXPECT_EQ(keys, (std::vector<std::string>{"authentication level ->0", "enablecredsspsupport ->0",
                                            "negotiate security layer ->0"}));
}

TEST(RdpFileSave, AStrongerWinnerIsWrittenWithoutAWarning) {
  auto read =
      parseRdpFile("full address:s:h\r\nenablecredsspsupport:i:0\r\nauthentication level:i:0\r\n");
  ASSERT_TRUE(read.ok());
  Profile winner;
  winner.target = *parseHostSpec("h");
  winner.security = Security::Nla;
  std::vector<SecurityWeakening> weakened;
  const RdpFile saved = savedFrom(*read, winner, weakened);
  EXPECT_EQ(saved.find("enablecredsspsupport")->value, "1");
  EXPECT_EQ(saved.find("authentication level")->value, "2");
  EXPECT_TRUE(weakened.empty());
}
