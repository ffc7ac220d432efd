// The trust store, as a person and a script use it against real xrdp hosts: parallel first
// contacts keep every pin; a changed certificate is refused by every verb in every --cert mode
// and on a terminal unless the user types "replace"; --cert replace rewrites the pin; a store in
// an unsafe place (no HOME, someone else's or a world-writable directory, planted links) is
// refused or never written through.
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <future>
#include <set>
#include <sstream>

#include "doctor_scenario.hpp"
#include "harness/terminal_run.hpp"

namespace rdpdoctor::doctortest {
namespace {

/// A pin no lab server presents: as if the host's certificate had been replaced since.
const std::string kWrongPin =
    "00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff:00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:"
    "ff";

std::string keyOf(const lab::Server& s) { return s.address() + ":" + std::to_string(s.port()); }

nlohmann::json parsed(const std::string& out) {
  try {
    return nlohmann::json::parse(out);
  } catch (const std::exception&) {
    return nullptr;
  }
}

class TrustStore : public DoctorScenario {
 protected:
  void SetUp() override {
    server_ = startServer({.kind = lab::Kind::XrdpTls});
    ASSERT_NE(server_, nullptr);
    host_ = server_->hostSpec();
  }
  std::filesystem::path store() const { return env_.stateDir() / "known_hosts"; }
  void pin(const std::string& fingerprint) {
    std::ofstream(store(), std::ios::trunc) << keyOf(*server_) << " " << fingerprint << "\n";
    ::chmod(store().c_str(), 0600);
  }
  std::string pinLine(const std::string& fingerprint) const {
    return keyOf(*server_) + " " + fingerprint + "\n";
  }
  ProcessResult connect(std::vector<std::string> args) {
    args.insert(args.begin(), {"connect", "--headless", host_});
    return runRdpdoctor(kRdpdoctor, args, env_, std::chrono::milliseconds(60000));
  }
  /// The server's real fingerprint, as the client reports it (a refused connection shows it).
  std::string realFingerprint() {
    const auto run = connect({"--cert", "deny", "--json", "-", "--no-doctor"});
    const auto j = parsed(run.out);
    if (!j.is_object()) return "";
    return stringAt(j["outcome"]["certificate"], "fingerprint");
  }
  ProcessResult onTerminal(const std::vector<std::string>& args,
                           const std::vector<TypedAnswer>& answers) {
    return DoctorScenario::onTerminal(args, answers, std::chrono::milliseconds(40000));
  }

  std::unique_ptr<lab::Server> server_;
  std::string host_;
};

// 10 rounds of 8 parallel first contacts (real `connect --headless --cert tofu` processes, each
// to its own xrdp host): every round keeps 8 pins, each the certificate of its own host.
TEST_F(TrustStore, ParallelFirstContactsKeepEveryPin) {
  std::vector<std::unique_ptr<lab::Server>> hosts;
  for (int i = 0; i < 8; ++i) {
    hosts.push_back(startServer({.kind = lab::Kind::XrdpTls}));
    ASSERT_NE(hosts.back(), nullptr);
  }
  int lost = 0, failedRuns = 0;
  for (int round = 0; round < 10; ++round) {
    lab::TempDir dir;
    DoctorEnvironment env(dir.path());
    std::vector<std::future<ProcessResult>> runs;
    for (const auto& h : hosts)
      runs.push_back(std::async(std::launch::async, [&, spec = h->hostSpec()] {
        return runRdpdoctor(
            kRdpdoctor,
            {"connect", "--headless", spec, "--cert", "tofu", "--goal", "connected", "--no-doctor"},
            env, std::chrono::milliseconds(60000));
      }));
    for (auto& r : runs) {
      const auto res = r.get();
      if (res.exitCode != 0) {
        ++failedRuns;
        ADD_FAILURE() << "round " << round << ": " << res.describe() << "\n"
                      << res.err.substr(0, 2000);
      }
    }
    const std::string text = readFile(env.stateDir() / "known_hosts");
    std::set<std::string> keys;
    std::istringstream in(text);
    for (std::string k, fp; in >> k >> fp;) keys.insert(k);
    for (const auto& h : hosts)
      if (!keys.count(keyOf(*h))) {
        ++lost;
        ADD_FAILURE() << "round " << round << " lost the pin of " << keyOf(*h) << "; the store:\n"
                      << text;
      }
  }
  EXPECT_EQ(lost, 0) << "pins lost out of 80";
  EXPECT_EQ(failedRuns, 0);
}

// The store is consulted in every --cert mode: deny, accept-once, tofu and the default without a
// terminal all refuse a certificate that differs from the pin, on diagnose and connect --headless.
TEST_F(TrustStore, AChangedCertificateIsRefusedByEveryVerbInEveryCertMode) {
  pin(kWrongPin);
  for (const std::string mode : {"deny", "accept-once", "tofu", ""}) {
    std::vector<std::string> certArgs;
    if (!mode.empty()) certArgs = {"--cert", mode};
    const std::string label = mode.empty() ? "(default)" : mode;

    auto diagArgs = certArgs;
    diagArgs.insert(diagArgs.begin(), host_);
    const auto d = diagnose(diagArgs);
    ASSERT_TRUE(d.json.is_object()) << label << ": " << d.describe();
    EXPECT_EQ(d.process.exitCode, 4) << label << ": " << d.describe();
    EXPECT_EQ(d.json["original"]["signature"], "certificate-changed") << label;
    EXPECT_EQ(d.json["original"]["layer"], "tls") << label;
    EXPECT_TRUE(d.json["winner"].is_null()) << label;
    for (const auto& a : ranAttempts(d.json)) {
      const auto& c = a["outcome"]["certificate"];
      EXPECT_EQ(c["decision"], "tofu-changed") << label << ": " << c.dump();
      EXPECT_EQ(c["old_fingerprint"], kWrongPin) << label;
      EXPECT_FALSE(c["accepted"].get<bool>()) << label;
    }

    auto connArgs = certArgs;
    connArgs.insert(connArgs.end(), {"--json", "-"});
    const auto c = connect(connArgs);
    const auto j = parsed(c.out);
    ASSERT_TRUE(j.is_object()) << label << ": " << c.describe() << c.err;
    EXPECT_EQ(c.exitCode, 4) << label << ": " << c.describe();
    EXPECT_EQ(j["signature"], "certificate-changed") << label;
    EXPECT_EQ(j["outcome"]["certificate"]["old_fingerprint"], kWrongPin) << label;
    EXPECT_NE(j["outcome"]["certificate"]["fingerprint"], kWrongPin) << label;

    const auto text = connect(certArgs);
    EXPECT_EQ(text.exitCode, 4) << label << ": " << text.describe();
    EXPECT_NE(text.out.find(kWrongPin), std::string::npos)
        << label << ": the old fingerprint is shown\n"
        << text.out;
    EXPECT_NE(text.out.find(stringAt(j["outcome"]["certificate"], "fingerprint")),
              std::string::npos)
        << label;
    EXPECT_NE(text.out.find("man in the middle"), std::string::npos) << label << ": " << text.out;
    EXPECT_EQ(readFile(store()), pinLine(kWrongPin)) << label << ": the pin was rewritten";
  }
}

// The doctor inside connect: the first attempt (NLA, which xrdp does not speak) fails, the
// doctor's TLS rungs meet the changed certificate and stop there even with accept-once.
TEST_F(TrustStore, TheDoctorInsideConnectRefusesAChangedCertificateToo) {
  pin(kWrongPin);
  const auto c = connect({"--security", "nla", "--cert", "accept-once"});
  EXPECT_EQ(c.exitCode, 4) << c.describe() << "\n" << c.out << c.err;
  EXPECT_NE(c.err.find("looking for a combination that works"), std::string::npos)
      << "the doctor ran\n"
      << c.err;
  EXPECT_NE(c.out.find("certificate-changed"), std::string::npos) << c.out;
  EXPECT_EQ(c.out.find("connecting with a changed combination"), std::string::npos) << c.out;
  EXPECT_EQ(readFile(store()), pinLine(kWrongPin));
}

// A pinned, matching certificate is accepted with the default --cert, without a terminal and on
// one, and never asked about again.
TEST_F(TrustStore, APinnedCertificateIsAcceptedByDefaultAndNeverAskedAgain) {
  const auto first = connect({"--cert", "tofu", "--goal", "connected"});
  ASSERT_EQ(first.exitCode, 0) << first.describe() << first.err;
  const auto pinned = readFile(store());
  ASSERT_FALSE(pinned.empty());

  const auto plain = connect({"--goal", "connected", "--json", "-"});
  EXPECT_EQ(plain.exitCode, 0) << plain.describe() << plain.err;
  const auto j = parsed(plain.out);
  ASSERT_TRUE(j.is_object()) << plain.out;
  EXPECT_EQ(j["outcome"]["certificate"]["decision"], "tofu-match");

  // on a terminal: no question (should one come, the person answers no)
  const auto tty =
      onTerminal({"connect", "--headless", host_, "--goal", "connected"}, {{"accept it?", "n"}});
  EXPECT_EQ(tty.exitCode, 0) << tty.describe() << "\n" << tty.out;
  EXPECT_EQ(tty.out.find("accept it?"), std::string::npos) << tty.out;
  EXPECT_EQ(readFile(store()), pinned) << "a match leaves the store as it was";
}

// On a terminal the question shows both fingerprints and warns of a man in the middle; 'o', 'a',
// Enter and 'yes' keep the pin and refuse; only the word 'replace' connects and rewrites it.
TEST_F(TrustStore, OnATerminalOnlyTypingReplaceAcceptsAChangedCertificate) {
  const std::string real = realFingerprint();
  ASSERT_FALSE(real.empty());
  pin(kWrongPin);
  for (const std::string answer : {"o", "a", "", "yes"}) {
    const auto r =
        onTerminal({"connect", "--headless", host_, "--goal", "connected"}, {{"[no]: ", answer}});
    EXPECT_EQ(r.exitCode, 4) << "answer '" << answer << "': " << r.describe() << "\n" << r.out;
    EXPECT_NE(r.out.find("man in the middle"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find(kWrongPin), std::string::npos) << r.out;
    EXPECT_NE(r.out.find(real), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find("[a]lways"), std::string::npos)
        << "no 'always' shortcut for a changed certificate";
    EXPECT_EQ(readFile(store()), pinLine(kWrongPin)) << "answer '" << answer << "' rewrote the pin";
  }
  const auto d = onTerminal({"diagnose", host_}, {{"[no]: ", ""}});
  EXPECT_EQ(d.exitCode, 4) << d.describe() << "\n" << d.out;
  EXPECT_EQ(readFile(store()), pinLine(kWrongPin));

  const auto yes =
      onTerminal({"connect", "--headless", host_, "--goal", "connected"}, {{"[no]: ", "replace"}});
  EXPECT_EQ(yes.exitCode, 0) << yes.describe() << "\n" << yes.out;
  EXPECT_EQ(readFile(store()), pinLine(real)) << "replace rewrites the pin";
  const auto after = connect({"--goal", "connected"});
  EXPECT_EQ(after.exitCode, 0) << "the new pin is trusted: " << after.describe() << after.err;
}

TEST_F(TrustStore, DiagnoseOnATerminalReplacesThePinWhenTheUserTypesReplace) {
  const std::string real = realFingerprint();
  ASSERT_FALSE(real.empty());
  pin(kWrongPin);
  const auto d = onTerminal({"diagnose", host_}, {{"[no]: ", "replace"}});
  EXPECT_EQ(d.exitCode, 0) << d.describe() << "\n" << d.out;
  EXPECT_EQ(readFile(store()), pinLine(real));
}

TEST_F(TrustStore, CertReplaceRewritesThePinWithoutATerminal) {
  const std::string real = realFingerprint();
  ASSERT_FALSE(real.empty());
  pin(kWrongPin);
  const auto r = connect({"--cert", "replace", "--goal", "connected", "--json", "-"});
  EXPECT_EQ(r.exitCode, 0) << r.describe() << r.err;
  const auto j = parsed(r.out);
  ASSERT_TRUE(j.is_object()) << r.out;
  EXPECT_EQ(j["outcome"]["certificate"]["decision"], "replaced");
  EXPECT_EQ(j["outcome"]["certificate"]["old_fingerprint"], kWrongPin);
  EXPECT_EQ(j["profile"]["cert"], "replace");
  EXPECT_EQ(readFile(store()), pinLine(real));
}

// FreeRDP keeps a certificate store of its own (known_hosts2 in 2.11, known_hosts3 under
// ~/.config/freerdp in 3.x) and writes it when a certificate is accepted "permanently". Ours is the
// only one: a pin by --cert tofu, a connection on that pin and a refused changed certificate leave
// no file of FreeRDP's anywhere in HOME (a real one, not the attempt's private config directory).
TEST_F(TrustStore, FreerdpsOwnKnownHostsStoreIsNeverTouched) {
  const auto first = connect({"--cert", "tofu"});
  EXPECT_EQ(first.exitCode, 0) << first.describe() << "\n" << first.err;
  EXPECT_TRUE(std::filesystem::exists(store())) << "tofu pins in our own store";
  const auto again = connect({});
  EXPECT_EQ(again.exitCode, 0) << again.describe() << "\n" << again.err;
  pin(kWrongPin);
  const auto changed = connect({"--cert", "tofu"});
  EXPECT_NE(changed.exitCode, 0) << "a changed certificate is refused";
  std::vector<std::string> foreign;
  std::error_code ec;
  for (auto it = std::filesystem::recursive_directory_iterator(env_.home(), ec);
       it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.rfind("known_hosts2", 0) == 0 || name.rfind("known_hosts3", 0) == 0 ||
        name == "freerdp" || name == "FreeRDP")
      foreign.push_back(it->path().string());
  }
  EXPECT_TRUE(foreign.empty()) << "FreeRDP's own store was written: " << foreign.front();
}

TEST_F(TrustStore, WithoutHomeOrAStateDirectoryTheStoreIsRefused) {
  ProcessRequest req;
  req.argv = {kRdpdoctor, "connect", "--headless", host_, "--cert", "tofu", "--goal", "connected"};
  req.env = {"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "LANG=C.UTF-8"};
  const auto before = std::filesystem::exists("/tmp/.local/state/rdpdoctor/known_hosts");
  const auto r = runProcess(req);
  EXPECT_EQ(r.exitCode, 2) << r.describe() << "\n" << r.out << r.err;
  EXPECT_NE(r.err.find("HOME, XDG_STATE_HOME and RDPDOCTOR_STATE_DIR are all unset"),
            std::string::npos)
      << r.err;
  if (!before) {
    EXPECT_FALSE(std::filesystem::exists("/tmp/.local/state/rdpdoctor/known_hosts"))
        << "fell back to /tmp";
  }
}

TEST_F(TrustStore, AStateDirectoryOthersMayWriteOrOfAnotherUserIsRefused) {
  ASSERT_EQ(::chmod(env_.stateDir().c_str(), 0777), 0);
  const auto open = connect({"--cert", "tofu", "--goal", "connected"});
  EXPECT_EQ(open.exitCode, 4) << open.describe() << open.out;
  EXPECT_NE(open.out.find("is writable by others"), std::string::npos) << open.out;
  EXPECT_FALSE(std::filesystem::exists(store()));

  ASSERT_EQ(::chmod(env_.stateDir().c_str(), 0700), 0);
  if (::geteuid() == 0) {
    ASSERT_EQ(::chown(env_.stateDir().c_str(), 65534, 65534), 0);
  } else {
    env_.set("RDPDOCTOR_STATE_DIR", "/usr");  // root's
  }
  const auto foreign = connect({"--cert", "tofu", "--goal", "connected"});
  EXPECT_EQ(foreign.exitCode, 4) << foreign.describe() << foreign.out;
  EXPECT_NE(foreign.out.find("not to you"), std::string::npos) << foreign.out;
  EXPECT_FALSE(std::filesystem::exists(store()));
}

TEST_F(TrustStore, PlantedLinksAreNeverWrittenThrough) {
  const auto victim = dir_.path() / "victim";
  std::ofstream(victim) << "precious\n";
  std::filesystem::create_symlink(victim, env_.stateDir() / "known_hosts.tmp");
  const auto r = connect({"--cert", "tofu", "--goal", "connected"});
  EXPECT_EQ(r.exitCode, 0) << r.describe() << r.err;
  EXPECT_EQ(readFile(victim), "precious\n") << "known_hosts.tmp was followed";
  EXPECT_FALSE(std::filesystem::is_symlink(store()));
  EXPECT_NE(readFile(store()).find(keyOf(*server_)), std::string::npos);

  std::filesystem::remove(store());
  std::filesystem::remove(env_.stateDir() / "known_hosts.lock");
  const auto lockTarget = dir_.path() / "lock-target";
  std::filesystem::create_symlink(lockTarget, env_.stateDir() / "known_hosts.lock");
  const auto locked = connect({"--cert", "tofu", "--goal", "connected"});
  EXPECT_EQ(locked.exitCode, 4) << locked.describe() << locked.out;
  EXPECT_FALSE(std::filesystem::exists(lockTarget)) << "the lock link was followed";
  EXPECT_FALSE(std::filesystem::exists(store()));
}

}  // namespace
}  // namespace rdpdoctor::doctortest
