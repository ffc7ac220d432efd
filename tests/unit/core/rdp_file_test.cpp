#include "rdpdoctor/core/rdp_file.hpp"

#include <gtest/gtest.h>

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

TEST(RdpFile, GatewayIsReportedAsUnsupported) {
  auto f = parseRdpFile("full address:s:h\r\ngatewayhostname:s:gw.example\r\n");
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
