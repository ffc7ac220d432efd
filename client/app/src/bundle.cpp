#include "bundle.hpp"

#include <openssl/conf.h>
#include <openssl/evp.h>
#include <openssl/provider.h>
#include <openssl/ssl.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "cli_common.hpp"
#include "rdpdoctor/text_safety.hpp"
#include "tar_gz.hpp"

#ifndef RDPDOCTOR_VERSION
#define RDPDOCTOR_VERSION "0.0.0"
#endif

namespace rdpdoctor::app {
namespace {

std::vector<std::string>& commandLine() {
  static std::vector<std::string> args;
  return args;
}

std::string fileText(const std::string& path) {
  std::ifstream in(path);
  if (!in) return {};
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void replaceAll(std::string& s, const std::string& what, const std::string& with) {
  if (what.empty()) return;
  for (std::size_t at = s.find(what); at != std::string::npos; at = s.find(what, at + with.size()))
    s.replace(at, what.size(), with);
}

std::string base64(const std::string& s) {
  std::string out(4 * ((s.size() + 2) / 3) + 1, '\0');
  const int n =
      EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                      reinterpret_cast<const unsigned char*>(s.data()), static_cast<int>(s.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

std::string utf16le(const std::string& s) {
  std::string out;
  for (char c : s) {
    out.push_back(c);
    out.push_back('\0');
  }
  return out;
}

/// The forms a password could take in a file: plain, UTF-16LE (CredSSP, .rdp), and base64 of
/// both (the full-block part, which appears whatever precedes it in a base64 stream at 3 offsets).
std::vector<std::string> passwordForms(const std::string& p) {
  std::vector<std::string> forms = {p, utf16le(p)};
  for (const auto& raw : {p, utf16le(p)})
    for (const char* format : {"%02x", "%02X", "%02x ", "%02X "}) {  // hex dumps in trace logs
      std::string hex;
      char b[4];
      for (unsigned char c : raw) {
        std::snprintf(b, sizeof b, format, c);
        hex += b;
      }
      forms.push_back(hex.back() == ' ' ? hex.substr(0, hex.size() - 1) : hex);
    }
  for (const auto& raw : {p, utf16le(p)})
    for (std::size_t pad = 0; pad < 3; ++pad) {
      std::string b = base64(std::string(pad, '\0') + raw);
      const std::size_t skip = pad == 0 ? 0 : 4;  // the block mixing the unknown prefix
      const std::size_t keep = (b.size() > skip + 8) ? b.size() - skip - 4 : 0;
      if (keep >= 4) forms.push_back(b.substr(skip, keep));
    }
  return forms;
}

std::string redactedCommandLine(const std::vector<std::string>& args, bool keepUsers) {
  std::string out;
  bool hideNext = false;
  for (const auto& a : args) {
    std::string shown = a;
    if (hideNext && !keepUsers) shown = "<user>";
    hideNext = false;
    if (a == "--user" || a == "-u" || a == "--domain") hideNext = true;
    if (!keepUsers && (a.rfind("--user=", 0) == 0 || a.rfind("/u:", 0) == 0))
      shown = a.substr(0, a.find_first_of("=:") + 1) + "<user>";
    out += (out.empty() ? "" : " ") + shown;
  }
  return out + "\n";
}

std::string versions(const Diagnosis& d) {
  utsname u{};
  ::uname(&u);
  std::string os = "unknown";
  std::istringstream rel(fileText("/etc/os-release"));
  for (std::string line; std::getline(rel, line);)
    if (line.rfind("PRETTY_NAME=", 0) == 0) os = line.substr(12);
  return "rdpdoctor " + std::string(RDPDOCTOR_VERSION) + "\nFreeRDP " + d.context.freerdpVersion +
         "\nOpenSSL " + OpenSSL_version(OPENSSL_VERSION) + "\nOS " + os + "\nkernel " + u.sysname +
         " " + u.release + " " + u.machine + "\n";
}

std::string opensslConfig() {
  std::string out = "version: " + std::string(OpenSSL_version(OPENSSL_VERSION)) + "\n";
  out += std::string("directory: ") + OpenSSL_version(OPENSSL_DIR) + "\n";
  if (SSL_CTX* ctx = SSL_CTX_new(TLS_client_method())) {
    out += "default security level (client): " + std::to_string(SSL_CTX_get_security_level(ctx)) +
           "\n";
    SSL_CTX_free(ctx);
  }
  out += "providers loaded:";
  OSSL_PROVIDER_do_all(
      nullptr,
      [](OSSL_PROVIDER* p, void* arg) {
        *static_cast<std::string*>(arg) += std::string(" ") + OSSL_PROVIDER_get0_name(p);
        return 1;
      },
      &out);
  out += "\n";
  const char* env = std::getenv("OPENSSL_CONF");
  char* defaultConf = CONF_get1_default_config_file();
  const std::string confPath = env != nullptr           ? std::string(env)
                               : defaultConf != nullptr ? std::string(defaultConf)
                                                        : std::string();
  OPENSSL_free(defaultConf);
  out += "OPENSSL_CONF: " + std::string(env != nullptr ? env : "(not set)") + "\n";
  out += "configuration file: " + confPath + "\n";
  const std::string policy = fileText("/etc/crypto-policies/config");
  out += "system crypto policy (/etc/crypto-policies/config): " +
         (policy.empty() ? std::string("(none: not a crypto-policies system)\n") : policy);
  out += "\n--- the lines of " + confPath +
         " that change TLS (sections, MinProtocol, CipherString, providers) ---\n";
  std::istringstream cnf(fileText(confPath));
  for (std::string line; std::getline(cnf, line);) {
    const bool matters =
        line.find('[') != std::string::npos || line.find("MinProtocol") != std::string::npos ||
        line.find("MaxProtocol") != std::string::npos ||
        line.find("CipherString") != std::string::npos ||
        line.find("Ciphersuites") != std::string::npos ||
        line.find("provider") != std::string::npos || line.find("activate") != std::string::npos ||
        line.find("ssl_conf") != std::string::npos ||
        line.find("system_default") != std::string::npos;
    const auto first = line.find_first_not_of(" \t");
    if (matters && first != std::string::npos && line[first] != '#') out += line + "\n";
  }
  return out;
}

std::string attemptsLog(const nlohmann::json& report) {
  std::string out;
  int n = 0;
  for (const auto& a : report.value("attempts", nlohmann::json::array())) {
    out += "=== attempt " + std::to_string(++n) + ": " + a.value("result", "") + " " +
           (a["signature"].is_string() ? a["signature"].get<std::string>() : "") + "\n";
    out += a.dump(2) + "\n";
  }
  return out;
}

/// Which connections the capture holds, and which have keys (the issue's rule: a connection
/// that carried credentials is never in it, and no key material of one exists).
std::string captureScope(const probe::Capture& c, const BundleSession& s) {
  const bool freerdp2 = s.freerdp.rfind("2.", 0) == 0;
  std::string r =
      "Connections in capture.pcapng:\n"
      "  1. the probe's own connections (X.224 negotiation, TLS handshakes, standard RDP\n"
      "     security checks), keys included: the probe never sends credentials, and its X.224\n"
      "     cookie carries no user name;\n";
  if (s.made) {
    r +=
        "  2. one connection rdpdoctor made for this bundle with the winning combination and NO\n"
        "     credentials (no user name, no password), so that the capture shows a session: it " +
        s.what +
        ".\n"
        "     Its bytes were recorded by a relay inside rdpdoctor on 127.0.0.1 (the capture shows\n"
        "     rdpdoctor's connection to the server, as the server saw it). ";
    if (s.keyLines > 0)
      r += "Its TLS keys are in\n     capture-keys.log (" + std::to_string(s.keyLines) +
           " lines, FreeRDP " + s.freerdp + "'s TLS secrets setting).\n";
    else if (freerdp2)
      r += "It has no keys: FreeRDP 2.11\n     has no TLS secrets setting, so attempt captures "
           "have no keys on this build (only\n     the probe's connections decrypt).\n";
    else
      r += "FreeRDP exported no TLS keys for it\n     (no TLS handshake took place).\n";
  } else {
    r += "  2. no connection of rdpdoctor's own with the winner: " + s.what + ".\n";
  }
  r += "Left out: every attempt of the diagnosis (they carried the credentials). Their bytes are\n"
       "not in the capture and their key material was never written, so nothing here decrypts\n"
       "them. Every file was checked for the password (plain, UTF-16LE, base64, hex) before it\n"
       "was written.\n\n";
  r += "Connections in the capture: " + std::to_string(c.connections.size()) +
       "; key log lines: " + std::to_string(std::count(c.keyLog.begin(), c.keyLog.end(), '\n')) +
       "\n";
  return r;
}

std::string readme(const probe::Capture& c, const BundleSession& s, bool keepUsers) {
  std::string r =
      "rdpdoctor escalation bundle\n"
      "===========================\n\n"
      "report.json, report.html, report.md  the diagnosis (rdpdoctor/diagnose@1 and its "
      "renderings)\n"
      "probe.json                           the probe document (rdpdoctor/probe@1)\n"
      "attempts.log                         every attempt: its combination, result, signature, "
      "stage,\n"
      "                                     FreeRDP's error and its warning/error lines "
      "(log_tail)\n"
      "trace.log                            the diagnosis's own log, every attempt at trace level\n"
      "                                     (FreeRDP's WLog lines included), user names removed\n"
      "capture.pcapng                       the connections listed below, synthesised from the "
      "bytes\n"
      "                                     rdpdoctor's sockets sent and received (no root, no "
      "libpcap)\n"
      "capture-keys.log                     the TLS key log (NSS format) of those connections\n"
      "versions.txt                         rdpdoctor, FreeRDP, OpenSSL, the OS\n"
      "openssl.txt                          the OpenSSL configuration that matters (security "
      "level,\n"
      "                                     providers, system crypto policy, TLS lines of "
      "openssl.cnf)\n"
      "command-line.txt                     the command line, user names removed (no password is "
      "ever\n"
      "                                     on rdpdoctor's command line)\n\n"
      "Open the capture with its keys:\n"
      "  tshark -r capture.pcapng -o tls.keylog_file:capture-keys.log\n"
      "  (Wireshark: Preferences > Protocols > TLS > (Pre)-Master-Secret log filename)\n\n";
  r += captureScope(c, s);
  r += keepUsers ? "User names are kept (--keep-user-names).\n"
                 : "User names are replaced by <user> in every file.\n";
  return r;
}

}  // namespace

void rememberCommandLine(int argc, char** argv) { commandLine().assign(argv, argv + argc); }

void writeBundle(const BundleRequest& r, const Diagnosis& d, const probe::Capture& capture,
                 const BundleSession& session, const Secret& password,
                 const std::string& traceLog) {
  const nlohmann::json report = toJson(d);
  std::vector<TarEntry> files = {
      {"README.txt", readme(capture, session, r.keepUserNames)},
      {"report.json", jsonText(report, 2) + "\n"},
      {"report.html", renderHtml(d)},
      {"report.md", renderMarkdown(d)},
      {"probe.json", d.probe.is_null() ? "null\n" : jsonText(d.probe, 2) + "\n"},
      {"attempts.log", attemptsLog(report)},
      {"trace.log",
       traceLog.empty() ? "(not recorded: connect --bundle keeps only attempts.log)\n" : traceLog},
      {"capture.pcapng",
       [&] {
         const auto b = probe::toPcapng(capture);
         return std::string(b.begin(), b.end());
       }()},
      {"capture-keys.log", capture.keyLog},
      {"versions.txt", versions(d)},
      {"openssl.txt", opensslConfig()},
      {"command-line.txt", redactedCommandLine(commandLine(), r.keepUserNames)},
  };
  const auto forms =
      password.empty() ? std::vector<std::string>{} : passwordForms(password.reveal());
  for (auto& f : files) {
    if (!r.keepUserNames && f.name != "capture.pcapng") {
      // the longest spellings first: DOMAIN\user, user@domain, then user
      if (!r.domain.empty() && !r.user.empty()) {
        replaceAll(f.data, r.domain + "\\\\" + r.user, "<user>");  // JSON-escaped
        replaceAll(f.data, r.domain + "\\" + r.user, "<user>");
        replaceAll(f.data, r.user + "@" + r.domain, "<user>");
      }
      replaceAll(f.data, r.user, "<user>");
    }
    for (const auto& form : forms)
      if (f.data.find(form) != std::string::npos) {
        f.data = "(left out: this file would have contained the password)\n";
        break;
      }
  }
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  const std::string tmp = r.path + ".tmp" + std::to_string(::getpid());
  if (!writeTarGz(tmp, files, now) || std::rename(tmp.c_str(), r.path.c_str()) != 0) {
    ::unlink(tmp.c_str());
    throw UsageError("cannot write the bundle " + r.path);
  }
}

}  // namespace rdpdoctor::app
