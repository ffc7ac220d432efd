// `diagnose --bundle` against the legacy TLS 1.0 xrdp host with credentials: the bundle opens with
// tar, its capture's TLS decrypts in tshark with the bundled key log (the Finished messages are
// readable with the keys and not without), the bundle's own credential-free session with the
// winner is in the capture and (FreeRDP 3) its RDP inside TLS decrypts, and neither the files nor
// the decrypted capture hold the password (plain, UTF-16LE, base64) or the user name.
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
  // as a person runs it: on a terminal, accepting the certificate once when asked
  const auto run = diagnoseOnTerminal(
      {server->hostSpec(), "--security", "tls", "--user", kLabUser, "--bundle", bundle.string()});
  ASSERT_TRUE(std::filesystem::exists(bundle)) << run.describe() << "\n" << run.process.out;
  ASSERT_EQ(run.json.value("schema", ""), "rdpdoctor/diagnose@1") << run.jsonError;
  ASSERT_TRUE(run.json["winner"].is_object()) << run.describe();
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
  EXPECT_EQ(run.process.out.find("] [attempt] [trace] "), std::string::npos) << run.process.out;

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

  // the session: the bundle's own credential-free connection with the winner is in the capture
  // (TLS application data records), and on FreeRDP 3 its keys are too: its RDP (the MCS
  // connection inside TLS) decrypts; FreeRDP 2.11 has no TLS secrets setting, and says so
  const std::string port = std::to_string(server->port());
  // the lab's port is not 3389: have tshark hand what TLS carries on it to its RDP dissector
  const std::vector<std::string> asRdp = {"-d", "tls.port==" + port + ",tpkt"};
  const auto tsharkRdp = [&](std::vector<std::string> more) {
    std::vector<std::string> argv = {"/usr/bin/tshark", "-r", pcap};
    argv.insert(argv.end(), asRdp.begin(), asRdp.end());
    argv.insert(argv.end(), more.begin(), more.end());
    return tool(argv);
  };
  const auto appData = tsharkRdp({"-Y", "tls.record.content_type == 23"});
  ASSERT_EQ(appData.exitCode, 0) << appData.err;
  EXPECT_FALSE(appData.out.empty()) << "no TLS application data: the session is not captured";
  const std::string readme = readFile(out / "README.txt");
  EXPECT_NE(readme.find("NO\n     credentials"), std::string::npos) << readme;
  const bool freerdp2 = readFile(out / "versions.txt").find("FreeRDP 2.") != std::string::npos;
  const std::string insideTls = "tls && t125";
  const auto rdpWithKeys = tsharkRdp({"-o", keys, "-Y", insideTls});
  const auto rdpWithoutKeys = tsharkRdp({"-Y", insideTls});
  ASSERT_EQ(rdpWithKeys.exitCode, 0) << rdpWithKeys.err;
  EXPECT_TRUE(rdpWithoutKeys.out.empty()) << rdpWithoutKeys.out;
  if (freerdp2) {
    EXPECT_NE(readme.find("attempt captures have no keys"), std::string::npos) << readme;
    EXPECT_TRUE(rdpWithKeys.out.empty()) << rdpWithKeys.out;
  } else {
    EXPECT_NE(readme.find("Its TLS keys are in"), std::string::npos) << readme;
    EXPECT_NE(rdpWithKeys.out.find("ClientData"), std::string::npos)  // MCS Connect Initial
        << "the session's TLS did not decrypt:\n"
        << rdpWithKeys.out << rdpWithKeys.err;
  }

  // the decrypted capture, every byte of it (-x: hex and ASCII, decrypted TLS included)
  const auto decrypted = tsharkRdp({"-o", keys, "-V", "-x"});
  ASSERT_EQ(decrypted.exitCode, 0) << decrypted.err;
  ASSERT_NE(decrypted.out.find("Decrypted TLS"), std::string::npos) << "nothing was decrypted";
  if (!freerdp2) {  // the session's Client Info, readable: it carried no credential
    EXPECT_NE(decrypted.out.find("cbUserName: 0"), std::string::npos);
    EXPECT_NE(decrypted.out.find("cbPassword: 0"), std::string::npos);
  }
  for (const auto& form : passwordForms(kLabPassword)) {
    EXPECT_EQ(decrypted.out.find(form), std::string::npos) << "password form in the capture";
    for (const auto& f : filesContaining(out, form)) ADD_FAILURE() << "password form in " << f;
  }
  for (const auto& form : {kLabUser, utf16le(kLabUser), utf16le(kLabUser, '.')})
    EXPECT_EQ(decrypted.out.find(form), std::string::npos) << "user name in the capture";
  for (const auto& f : filesContaining(out, kLabUser)) ADD_FAILURE() << "user name in " << f;
  EXPECT_NE(readFile(out / "command-line.txt").find("--user <user>"), std::string::npos)
      << readFile(out / "command-line.txt");
  expectPasswordNowhere(run.process, kLabPassword);
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
