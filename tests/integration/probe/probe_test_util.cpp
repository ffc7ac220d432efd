#include "probe_test_util.hpp"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>

namespace rdpdoctor::probe::test {

lab::ServerOptions labOptions(lab::Kind kind, const std::string& cryptLevel, bool ipv6) {
  lab::ServerOptions o;
  o.kind = kind;
  o.cryptLevel = cryptLevel;
  o.ipv6 = ipv6;
  return o;
}

ProbeResult probeServer(const lab::Server& server, const ProbeOptions& options) {
  auto spec = parseHostSpec(server.hostSpec());
  EXPECT_TRUE(spec.ok()) << server.hostSpec();
  return probeHost(spec.ok() ? *spec : HostSpec{}, options);
}

const NegotiationCheck& negotiationFor(const ProbeResult& r, std::uint32_t requested) {
  static const NegotiationCheck kMissing;
  for (const auto& c : r.negotiation)
    if (c.requested == requested) return c;
  ADD_FAILURE() << "no negotiation check for requestedProtocols " << requested;
  return kMissing;
}

const TlsVersionCheck& tlsFor(const ProbeResult& r, const std::string& version) {
  static const TlsVersionCheck kMissing;
  for (const auto& v : r.tls.versions)
    if (v.version == version) return v;
  ADD_FAILURE() << "no TLS check for " << version;
  return kMissing;
}

std::string pemSha256(const std::filesystem::path& pem) {
  FILE* f = std::fopen(pem.c_str(), "r");
  if (f == nullptr) return {};
  X509* cert = PEM_read_X509(f, nullptr, nullptr, nullptr);
  std::fclose(f);
  if (cert == nullptr) return {};
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  X509_digest(cert, EVP_sha256(), md, &len);
  X509_free(cert);
  std::string out;
  char buf[4];
  for (unsigned i = 0; i < len; ++i) {
    std::snprintf(buf, sizeof buf, "%02X", md[i]);
    out += (i == 0 ? "" : ":") + std::string(buf);
  }
  return out;
}

CommandResult runCommand(const std::string& command) {
  CommandResult r;
  FILE* p = ::popen(command.c_str(), "r");
  if (p == nullptr) return r;
  std::array<char, 4096> buf{};
  while (const std::size_t n = std::fread(buf.data(), 1, buf.size(), p)) r.out.append(buf.data(), n);
  const int status = ::pclose(p);
  r.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

}  // namespace rdpdoctor::probe::test
