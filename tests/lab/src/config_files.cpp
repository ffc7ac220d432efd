#include "config_files.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "process.hpp"

namespace rdpdoctor::lab {
namespace {

constexpr auto kOpensslTimeout = std::chrono::milliseconds(30000);
constexpr const char* kSubject = "/CN=rdpdoctor-lab";
constexpr const char* kSan = "IP:127.0.0.1,IP:::1,DNS:localhost";

std::string trim(std::string s) {
  const auto first = s.find_first_not_of(" \t\r");
  if (first == std::string::npos) return {};
  const auto last = s.find_last_not_of(" \t\r");
  return s.substr(first, last - first + 1);
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) {
    return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  });
  return s;
}

/// A minimal `openssl ca` setup in `dir` for one back-dated self-signed certificate.
std::string caConfig(const std::filesystem::path& dir) {
  return "[ca]\ndefault_ca = lab\n"
         "[lab]\ndir = " + dir.string() + "\n"
         "database = " + (dir / "index.txt").string() + "\n"
         "serial = " + (dir / "serial").string() + "\n"
         "new_certs_dir = " + dir.string() + "\n"
         "default_md = sha256\npolicy = any\nunique_subject = no\nx509_extensions = ext\n"
         "[any]\ncommonName = supplied\n"
         "[ext]\nbasicConstraints = CA:FALSE\nsubjectAltName = " + kSan + "\n";
}

}  // namespace

Result<CertificateFiles> generateCertificate(const std::filesystem::path& dir, bool expired) {
  CertificateFiles files{dir / "cert.pem", dir / "key.pem"};
  const auto log = dir / "openssl.log";
  if (!expired) {
    auto st = runChecked({{"openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                           files.key.string(), "-out", files.certificate.string(), "-days", "3650",
                           "-subj", kSubject, "-addext", std::string("subjectAltName=") + kSan},
                          {}, dir, log},
                         kOpensslTimeout);
    if (!st) return wrapError(st.error(), "cannot generate the certificate");
    return files;
  }
  const auto ca = dir / "ca";
  std::error_code ec;
  std::filesystem::create_directories(ca, ec);
  if (auto st = writeFile(ca / "ca.cnf", caConfig(ca)); !st) return st.error();
  if (auto st = writeFile(ca / "index.txt", ""); !st) return st.error();
  if (auto st = writeFile(ca / "serial", "01\n"); !st) return st.error();
  const auto csr = ca / "req.csr";
  auto st = runChecked({{"openssl", "req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout",
                         files.key.string(), "-out", csr.string(), "-subj", kSubject},
                        {}, dir, log},
                       kOpensslTimeout);
  if (!st) return st.error();
  st = runChecked({{"openssl", "ca", "-batch", "-config", (ca / "ca.cnf").string(), "-selfsign",
                    "-keyfile", files.key.string(), "-in", csr.string(), "-out",
                    files.certificate.string(), "-startdate", "20200101000000Z", "-enddate",
                    "20210101000000Z", "-notext"},
                   {}, dir, log},
                  kOpensslTimeout);
  if (!st) return wrapError(st.error(), "cannot back-date the certificate");
  return files;
}

std::string rewriteIni(const std::string& text, const std::vector<IniSetting>& settings) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);

  std::vector<bool> applied(settings.size(), false);
  std::vector<std::string> out;
  std::string section;
  auto flushSection = [&]() {
    // Settings of this section that had no line: appended before the next section starts.
    while (!out.empty() && trim(out.back()).empty()) out.pop_back();
    for (std::size_t i = 0; i < settings.size(); ++i) {
      if (!applied[i] && lower(settings[i].section) == lower(section)) {
        out.push_back(settings[i].key + "=" + settings[i].value);
        applied[i] = true;
      }
    }
    out.emplace_back();
  };
  for (const auto& line : lines) {
    const auto t = trim(line);
    if (t.size() >= 2 && t.front() == '[' && t.back() == ']') {
      if (!section.empty() || !out.empty()) flushSection();
      section = t.substr(1, t.size() - 2);
      out.push_back(line);
      continue;
    }
    const auto eq = t.find('=');
    bool replaced = false;
    if (eq != std::string::npos && t[0] != '#' && t[0] != ';') {
      const auto key = lower(trim(t.substr(0, eq)));
      for (std::size_t i = 0; i < settings.size(); ++i) {
        if (lower(settings[i].section) == lower(section) && lower(settings[i].key) == key) {
          out.push_back(settings[i].key + "=" + settings[i].value);
          applied[i] = true;
          replaced = true;
          break;
        }
      }
    }
    if (!replaced) out.push_back(line);
  }
  flushSection();
  for (std::size_t i = 0; i < settings.size(); ++i) {
    if (applied[i]) continue;
    out.push_back("[" + settings[i].section + "]");
    section = settings[i].section;
    flushSection();
  }
  std::string result;
  for (const auto& l : out) result += l + "\n";
  return result;
}

Result<std::string> readFile(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return makeError("io", "cannot read " + file.string());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

Status writeFile(const std::filesystem::path& file, const std::string& text) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) return makeError("io", "cannot write " + file.string());
  return okStatus();
}

}  // namespace rdpdoctor::lab
