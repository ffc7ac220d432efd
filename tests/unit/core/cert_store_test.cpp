#include "rdpdoctor/front/cert_store.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

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

std::string readAll(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

/// Restores an environment variable on scope exit.
struct EnvGuard {
  std::string name;
  std::optional<std::string> old;
  explicit EnvGuard(std::string n) : name(std::move(n)) {
    if (const char* v = std::getenv(name.c_str())) old = v;
  }
  ~EnvGuard() {
    if (old)
      ::setenv(name.c_str(), old->c_str(), 1);
    else
      ::unsetenv(name.c_str());
  }
};
}  // namespace

TEST(CertDecision, WithoutAPinThePolicyDecides) {
  EXPECT_EQ(decideCertificate(CertPolicy::Deny, std::nullopt, "aa"), CertDecision::Deny);
  EXPECT_EQ(decideCertificate(CertPolicy::AcceptOnce, std::nullopt, "aa"),
            CertDecision::AcceptOnce);
  EXPECT_EQ(decideCertificate(CertPolicy::Ask, std::nullopt, "aa"), CertDecision::NeedsConsent);
  EXPECT_EQ(decideCertificate(CertPolicy::Tofu, std::nullopt, "aa"), CertDecision::TofuNew);
  EXPECT_EQ(decideCertificate(CertPolicy::Replace, std::nullopt, "aa"), CertDecision::TofuNew);
  EXPECT_FALSE(accepts(CertDecision::NeedsConsent));
  EXPECT_FALSE(accepts(CertDecision::Deny));
}

TEST(CertDecision, AMatchingPinIsAcceptedInEveryMode) {
  for (auto p : {CertPolicy::Deny, CertPolicy::AcceptOnce, CertPolicy::Ask, CertPolicy::Tofu,
                 CertPolicy::Replace}) {
    EXPECT_EQ(decideCertificate(p, std::string("aa:BB"), "AA:bb"), CertDecision::TofuMatch)
        << toString(p);
  }
  EXPECT_TRUE(accepts(CertDecision::TofuMatch));
}

TEST(CertDecision, AChangedCertificateIsRefusedUnlessReplaced) {
  for (auto p : {CertPolicy::Deny, CertPolicy::AcceptOnce, CertPolicy::Tofu})
    EXPECT_EQ(decideCertificate(p, std::string("aa"), "bb"), CertDecision::TofuChanged)
        << toString(p);
  EXPECT_EQ(decideCertificate(CertPolicy::Ask, std::string("aa"), "bb"),
            CertDecision::ChangedNeedsConsent);
  EXPECT_EQ(decideCertificate(CertPolicy::Replace, std::string("aa"), "bb"),
            CertDecision::Replaced);
  EXPECT_FALSE(accepts(CertDecision::TofuChanged));
  EXPECT_FALSE(accepts(CertDecision::ChangedNeedsConsent));
  EXPECT_FALSE(accepts(CertDecision::StoreError));
  EXPECT_TRUE(accepts(CertDecision::Replaced));
  EXPECT_TRUE(needsConsent(CertDecision::ChangedNeedsConsent));
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
  EXPECT_EQ(std::filesystem::status(store.path()).permissions() & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  for (const auto& e : std::filesystem::directory_iterator(dir.path / "sub"))
    EXPECT_TRUE(e.path().filename() == "known_hosts" || e.path().filename() == "known_hosts.lock")
        << "no temporary file is left behind: " << e.path();
}

TEST(CertStore, PinIfAbsentKeepsThePinAnotherProcessWroteFirst) {
  TempDir dir;
  CertStore store(dir.path / "known_hosts");
  auto first = store.pinIfAbsent("h:1", "aa");
  ASSERT_TRUE(first.ok()) << first.error().message();
  EXPECT_FALSE(first->has_value());
  auto second = store.pinIfAbsent("h:1", "bb");
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(*second, std::optional<std::string>("aa"));
  EXPECT_EQ(store.lookup("h:1").value(), std::optional<std::string>("aa"));
}

// 8 processes pin 40 hosts each at the same time: all 320 pins survive. With one fixed
// known_hosts.tmp and no lock, the writers overwrite each other's temporary file and renames.
TEST(CertStore, ConcurrentWritersKeepEveryPin) {
  TempDir dir;
  const auto file = dir.path / "known_hosts";
  constexpr int kProcs = 8, kEach = 40;
  std::vector<pid_t> kids;
  for (int p = 0; p < kProcs; ++p) {
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      CertStore store(file);
      int failures = 0;
      for (int i = 0; i < kEach; ++i)
        if (!store
                 .remember("h" + std::to_string(p) + ":" + std::to_string(i),
                           "fp" + std::to_string(i))
                 .ok())
          ++failures;
      ::_exit(failures == 0 ? 0 : 1);
    }
    kids.push_back(pid);
  }
  for (pid_t k : kids) {
    int status = 0;
    ASSERT_EQ(::waitpid(k, &status, 0), k);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "a writer failed";
  }
  CertStore store(file);
  int missing = 0;
  for (int p = 0; p < kProcs; ++p)
    for (int i = 0; i < kEach; ++i) {
      auto got = store.lookup("h" + std::to_string(p) + ":" + std::to_string(i));
      if (!got.ok() || *got != std::optional<std::string>("fp" + std::to_string(i))) ++missing;
    }
  EXPECT_EQ(missing, 0) << "pins lost out of " << kProcs * kEach;
}

TEST(CertStore, APlantedTemporaryFileLinkIsNotFollowed) {
  TempDir dir;
  const auto victim = dir.path / "victim";
  std::ofstream(victim) << "precious\n";
  std::filesystem::create_symlink(victim, dir.path / "known_hosts.tmp");
  CertStore store(dir.path / "known_hosts");
  ASSERT_TRUE(store.remember("h:1", "aa").ok());
  EXPECT_EQ(readAll(victim), "precious\n") << "the link's target was written through";
  EXPECT_FALSE(std::filesystem::is_symlink(store.path()));
  EXPECT_EQ(store.lookup("h:1").value(), std::optional<std::string>("aa"));
}

TEST(CertStore, ASymlinkedLockOrStoreIsRefused) {
  TempDir dir;
  const auto victim = dir.path / "victim";
  std::filesystem::create_symlink(victim, dir.path / "known_hosts.lock");
  CertStore store(dir.path / "known_hosts");
  auto st = store.remember("h:1", "aa");
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, "unsafe") << st.error().message();
  EXPECT_FALSE(std::filesystem::exists(victim)) << "the lock link was followed";
  EXPECT_FALSE(std::filesystem::exists(store.path()));

  TempDir other;
  std::ofstream(victim) << "x:1 ff\n";
  std::filesystem::create_symlink(victim, other.path / "known_hosts");
  CertStore linked(other.path / "known_hosts");
  auto looked = linked.lookup("x:1");
  ASSERT_FALSE(looked.ok()) << "a symlinked store was read";
  EXPECT_NE(looked.error().message().find("symbolic link"), std::string::npos)
      << looked.error().message();
  EXPECT_FALSE(linked.remember("h:1", "aa").ok());
  EXPECT_EQ(readAll(victim), "x:1 ff\n");
}

TEST(CertStore, AStateDirectoryOthersMayWriteIsRefused) {
  TempDir dir;
  ASSERT_EQ(::chmod(dir.path.c_str(), 0777), 0);
  CertStore store(dir.path / "known_hosts");
  auto looked = store.lookup("h:1");
  ASSERT_FALSE(looked.ok());
  EXPECT_NE(looked.error().message().find("writable by others"), std::string::npos)
      << looked.error().message();
  auto st = store.remember("h:1", "aa");
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, "unsafe");
  EXPECT_FALSE(std::filesystem::exists(store.path()));
  ASSERT_EQ(::chmod(dir.path.c_str(), 0770), 0);
  EXPECT_FALSE(store.remember("h:1", "aa").ok()) << "group-writable is refused too";
}

TEST(CertStore, AStateDirectoryOfAnotherUserIsRefused) {
  TempDir dir;
  // as root: give the directory to nobody; otherwise a directory of root's is not ours
  std::filesystem::path foreign = dir.path;
  if (::geteuid() == 0)
    ASSERT_EQ(::chown(dir.path.c_str(), 65534, 65534), 0);
  else
    foreign = "/usr";
  CertStore store(foreign / "known_hosts");
  auto looked = store.lookup("h:1");
  ASSERT_FALSE(looked.ok());
  EXPECT_NE(looked.error().message().find("not to you"), std::string::npos)
      << looked.error().message();
  EXPECT_FALSE(store.remember("h:1", "aa").ok());
}

TEST(CertStore, DefaultPathFollowsTheStateVariablesAndNeverFallsBackToTmp) {
  EnvGuard a("RDPDOCTOR_STATE_DIR"), b("XDG_STATE_HOME"), c("HOME");
  ::setenv("RDPDOCTOR_STATE_DIR", "/var/tmp/rdpd-state", 1);
  EXPECT_EQ(CertStore::defaultPath().value(),
            std::filesystem::path("/var/tmp/rdpd-state/known_hosts"));
  ::unsetenv("RDPDOCTOR_STATE_DIR");
  ::setenv("XDG_STATE_HOME", "/home/u/.st", 1);
  ::setenv("HOME", "/home/u", 1);
  EXPECT_EQ(CertStore::defaultPath().value(),
            std::filesystem::path("/home/u/.st/rdpdoctor/known_hosts"));
  ::unsetenv("XDG_STATE_HOME");
  EXPECT_EQ(CertStore::defaultPath().value(),
            std::filesystem::path("/home/u/.local/state/rdpdoctor/known_hosts"));
  ::unsetenv("HOME");
  auto none = CertStore::defaultPath();
  ASSERT_FALSE(none.ok()) << "fell back to " << none.value();
  EXPECT_NE(none.error().message().find("HOME"), std::string::npos);
}
