#include "rdpdoctor/core/cert_store.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>

using namespace rdpdoctor;

namespace {
struct TempDir {
  std::filesystem::path path;
  TempDir() {
    std::string t = (std::filesystem::temp_directory_path() / "rdpdoctor-ut-XXXXXX").string();
    path = ::mkdtemp(t.data());
  }
  ~TempDir() { std::filesystem::remove_all(path); }
};
}  // namespace

TEST(CertDecision, PolicyDecides) {
  EXPECT_EQ(decideCertificate(CertPolicy::Deny, std::nullopt, "aa"), CertDecision::Deny);
  EXPECT_EQ(decideCertificate(CertPolicy::AcceptOnce, std::nullopt, "aa"), CertDecision::AcceptOnce);
  EXPECT_EQ(decideCertificate(CertPolicy::Ask, std::nullopt, "aa"), CertDecision::NeedsConsent);
  EXPECT_EQ(decideCertificate(CertPolicy::Tofu, std::nullopt, "aa"), CertDecision::TofuNew);
  EXPECT_EQ(decideCertificate(CertPolicy::Tofu, std::string("aa"), "aa"), CertDecision::TofuMatch);
  EXPECT_EQ(decideCertificate(CertPolicy::Tofu, std::string("aa"), "bb"), CertDecision::TofuChanged);
  EXPECT_FALSE(accepts(CertDecision::TofuChanged));
  EXPECT_FALSE(accepts(CertDecision::NeedsConsent));
  EXPECT_TRUE(accepts(CertDecision::TofuMatch));
}

TEST(CertStore, RemembersReplacesAndKeepsOtherLines) {
  TempDir dir;
  CertStore store(dir.path / "sub" / "known_hosts");
  ASSERT_TRUE(store.lookup("h:1").ok());
  EXPECT_FALSE(store.lookup("h:1").value().has_value());
  ASSERT_TRUE(store.remember("h:1", "aa").ok());
  ASSERT_TRUE(store.remember("other:2", "cc").ok());
  ASSERT_TRUE(store.remember("h:1", "bb").ok());
  EXPECT_EQ(store.lookup("h:1").value(), std::optional<std::string>("bb"));
  EXPECT_EQ(store.lookup("other:2").value(), std::optional<std::string>("cc"));
  EXPECT_EQ(std::filesystem::status(store.path()).permissions() & std::filesystem::perms::others_read,
            std::filesystem::perms::none);
}

TEST(CertStore, DefaultPathFollowsTheStateDirVariable) {
  ::setenv("RDPDOCTOR_STATE_DIR", "/var/tmp/rdpd-state", 1);
  EXPECT_EQ(CertStore::defaultPath(), std::filesystem::path("/var/tmp/rdpd-state/known_hosts"));
  ::unsetenv("RDPDOCTOR_STATE_DIR");
}
