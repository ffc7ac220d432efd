// `diagnose --bundle` against the legacy TLS 1.0 xrdp host with credentials: the bundle opens with
// tar, its capture's TLS decrypts in tshark with the bundled key log (the Finished messages are
// readable with the keys and not without), and neither the files nor the decrypted capture hold
// the password (plain, UTF-16LE, base64) or the user name.
#include <openssl/evp.h>

#include "doctor_scenario.hpp"

namespace rdpdoctor::doctortest {
namespace {

std::string base64(const std::string& s) {
  std::string out(4 * ((s.size() + 2) / 3) + 1, '\0');
  const int n =
      EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                      reinterpret_cast<const unsigned char*>(s.data()), static_cast<int>(s.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

std::string utf16le(const std::string& s, char filler = '\0') {
  std::string out;
  for (char c : s) {
    out.push_back(c);
    out.push_back(filler);
  }
  return out;
}

/// Every spelling of the password we look for: plain, UTF-16LE (bytes, and as tshark's ASCII
/// column shows it), base64 of both at the three alignments a base64 stream can have.
std::vector<std::string> passwordForms(const std::string& p) {
  std::vector<std::string> forms = {p, utf16le(p), utf16le(p, '.')};
  for (const auto& raw : {p, utf16le(p)})
    for (std::size_t pad = 0; pad < 3; ++pad) {
      const std::string b = base64(std::string(pad, 'x') + raw);
      const std::size_t skip = pad == 0 ? 0 : 4;
      forms.push_back(b.substr(skip, b.size() - skip - 4));
    }
  return forms;
}

class Bundle : public DoctorScenario {
 protected:
  ProcessResult tool(std::vector<std::string> argv) {
    return runProcess({std::move(argv), {"PATH=/usr/bin:/bin", "HOME=" + dir_.path().string()}});
  }
};

TEST_F(Bundle, TheLegacyTlsHostsBundleDecryptsWithItsKeyLogAndHoldsNoPasswordNorUserName) {
  auto server = startServer({.kind = lab::Kind::XrdpTls10Ecdhe});
  ASSERT_NE(server, nullptr);
  env_.set("RDPDOCTOR_PASSWORD", kLabPassword);
  const auto bundle = dir_.path() / "ticket.tar.gz";
  const auto run = answering({"diagnose", server->hostSpec(), "--security", "tls", "--user",
                              kLabUser, "--bundle", bundle.string()});
  ASSERT_TRUE(std::filesystem::exists(bundle)) << run.describe() << "\n" << run.out;
  const auto out = dir_.path() / "opened";
  std::filesystem::create_directories(out);
  const auto tar = tool({"/bin/tar", "-xzf", bundle.string(), "-C", out.string()});
  ASSERT_EQ(tar.exitCode, 0) << tar.describe() << tar.err;
  for (const char* f :
       {"README.txt", "report.json", "report.html", "report.md", "probe.json", "attempts.log",
        "capture.pcapng", "capture-keys.log", "versions.txt", "openssl.txt", "command-line.txt"})
    EXPECT_TRUE(std::filesystem::exists(out / f)) << f;
  EXPECT_NE(readFile(out / "capture-keys.log").find("CLIENT_RANDOM "), std::string::npos)
      << readFile(out / "capture-keys.log");
  // the attempts at trace level are in the bundle, not on the terminal (default --log-level warn)
  EXPECT_NE(readFile(out / "trace.log").find("] [attempt] [trace] "), std::string::npos);
  EXPECT_EQ(run.out.find("] [attempt] [trace] "), std::string::npos) << run.out;

  // TLS 1.0: the Finished messages are encrypted; only the key log makes tshark read them
  const std::string pcap = (out / "capture.pcapng").string();
  const std::string keys = "tls.keylog_file:" + (out / "capture-keys.log").string();
  const std::string finished = "tls.handshake.type == 20";
  const auto withKeys = tool({"/usr/bin/tshark", "-r", pcap, "-o", keys, "-Y", finished});
  const auto withoutKeys = tool({"/usr/bin/tshark", "-r", pcap, "-Y", finished});
  ASSERT_EQ(withKeys.exitCode, 0) << withKeys.err;
  ASSERT_EQ(withoutKeys.exitCode, 0) << withoutKeys.err;
  EXPECT_NE(withKeys.out.find("Finished"), std::string::npos) << withKeys.out << withKeys.err;
  EXPECT_EQ(withoutKeys.out.find("Finished"), std::string::npos) << withoutKeys.out;

  // the decrypted capture, every byte of it (-x: hex and ASCII, decrypted TLS included)
  const auto decrypted = tool({"/usr/bin/tshark", "-r", pcap, "-o", keys, "-V", "-x"});
  ASSERT_EQ(decrypted.exitCode, 0) << decrypted.err;
  ASSERT_NE(decrypted.out.find("Decrypted TLS"), std::string::npos) << "nothing was decrypted";
  for (const auto& form : passwordForms(kLabPassword)) {
    EXPECT_EQ(decrypted.out.find(form), std::string::npos) << "password form in the capture";
    for (const auto& f : filesContaining(out, form)) ADD_FAILURE() << "password form in " << f;
  }
  for (const auto& f : filesContaining(out, kLabUser)) ADD_FAILURE() << "user name in " << f;
  EXPECT_NE(readFile(out / "command-line.txt").find("--user <user>"), std::string::npos)
      << readFile(out / "command-line.txt");
  expectPasswordNowhere(run, kLabPassword);
}

TEST_F(Bundle, AFailedConnectWritesTheDoctorsBundleToo) {
  auto server = startServer({.kind = lab::Kind::XrdpTls10Ecdhe});
  ASSERT_NE(server, nullptr);
  env_.set("RDPDOCTOR_PASSWORD", kLabPassword);
  const auto bundle = dir_.path() / "connect.tar.gz";
  const auto run = answering({"connect", "--headless", server->hostSpec(), "--security", "tls",
                              "--user", kLabUser, "--bundle", bundle.string()});
  ASSERT_TRUE(std::filesystem::exists(bundle)) << run.describe() << "\n" << run.out;
  const auto out = dir_.path() / "opened";
  std::filesystem::create_directories(out);
  const auto tar = tool({"/bin/tar", "-xzf", bundle.string(), "-C", out.string()});
  ASSERT_EQ(tar.exitCode, 0) << tar.describe() << tar.err;
  EXPECT_NE(readFile(out / "report.json").find("tls-legacy-refused-locally"), std::string::npos);
  EXPECT_NE(readFile(out / "capture-keys.log").find("CLIENT_RANDOM "), std::string::npos);
  for (const auto& form : passwordForms(kLabPassword))
    for (const auto& f : filesContaining(out, form)) ADD_FAILURE() << "password form in " << f;
  for (const auto& f : filesContaining(out, kLabUser)) ADD_FAILURE() << "user name in " << f;
}

}  // namespace
}  // namespace rdpdoctor::doctortest
