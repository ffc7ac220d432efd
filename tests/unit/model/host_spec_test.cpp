#include "rdpdoctor/host_spec.hpp"

#include <gtest/gtest.h>

using rdpdoctor::parseHostSpec;

TEST(HostSpec, BareNameGetsDefaultPort) {
  auto s = parseHostSpec("server.example");
  ASSERT_TRUE(s.ok()) << s.error().message();
  EXPECT_EQ(s->host, "server.example");
  EXPECT_EQ(s->port, 3389);
  EXPECT_FALSE(s->ipv6Literal);
}

TEST(HostSpec, NameWithPort) {
  auto s = parseHostSpec("127.0.0.1:33890");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->host, "127.0.0.1");
  EXPECT_EQ(s->port, 33890);
  EXPECT_EQ(s->display(), "127.0.0.1:33890");
}

TEST(HostSpec, BracketedIpv6WithPort) {
  auto s = parseHostSpec("[::1]:4000");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->host, "::1");
  EXPECT_EQ(s->port, 4000);
  EXPECT_TRUE(s->ipv6Literal);
  EXPECT_EQ(s->display(), "[::1]:4000");
}

TEST(HostSpec, BareIpv6LiteralKeepsDefaultPort) {
  auto s = parseHostSpec("fe80::1");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->port, 3389);
  EXPECT_TRUE(s->ipv6Literal);
}

TEST(HostSpec, RejectsBadPortsAndNames) {
  for (const char* bad : {"", "host:", "host:0", "host:65536", "host:12ab", "[::1", "[nothex]:3389",
                          "[::1]x", "bad host", "a/b"}) {
    auto s = parseHostSpec(bad);
    EXPECT_FALSE(s.ok()) << bad;
    if (!s.ok()) {
      EXPECT_EQ(s.error().code, "usage") << bad;
    }
  }
}

TEST(HostSpec, LoopbackLiteralsAreRecognised) {
  EXPECT_TRUE(rdpdoctor::isLoopbackLiteral("127.0.0.1"));
  EXPECT_TRUE(rdpdoctor::isLoopbackLiteral("127.3.2.1"));
  EXPECT_TRUE(rdpdoctor::isLoopbackLiteral("::1"));
  EXPECT_FALSE(rdpdoctor::isLoopbackLiteral("10.0.0.1"));
  EXPECT_FALSE(rdpdoctor::isLoopbackLiteral("localhost"));
}
