#include "cli_common.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>

#include "rdpdoctor/front/cert_store.hpp"
#include "rdpdoctor/front/certificate_question.hpp"
#include "rdpdoctor/front/log_format.hpp"
#include "rdpdoctor/front/rdp_file.hpp"
#include "rdpdoctor/probe/prober.hpp"

namespace rdpdoctor::app {

CLI::Validator secondsValidator(bool zeroAllowed) {
  return CLI::Validator(
      [zeroAllowed](std::string& text) -> std::string {
        double v = 0;
        std::size_t used = 0;
        try {
          v = std::stod(text, &used);
        } catch (const std::exception&) {
          used = 0;
        }
        const bool number = used == text.size() && used > 0 && v == v;  // v == v: not NaN
        if (number && (zeroAllowed ? v >= 0 : v > 0) && v <= 86400) return {};
        return "'" + text + "' is not a number of seconds " + (zeroAllowed ? "from 0" : "above 0") +
               " to 86400";
      },
      "SECONDS");
}

void addCommonOptions(CLI::App& verb, CommonOptions& o, bool hostRequired,
                      Credentials credentials) {
  auto* h = verb.add_option("host", o.host, "HOST, HOST:PORT, IP:PORT, [IPv6]:PORT or FILE.rdp");
  if (hostRequired) h->required();
  // "": hidden from --help (probe keeps accepting them, with a warning, so scripts keep working)
  const std::string group = credentials == Credentials::Used ? "Options" : "";
  verb.add_option("--user,-u", o.user, "user name")->group(group);
  verb.add_option("--domain,-d", o.domain, "domain")->group(group);
  verb.add_option("--password-file", o.passwordFile,
                  "file whose first line is the password (or set RDPDOCTOR_PASSWORD; else a prompt "
                  "on a TTY)")
      ->group(group);
  verb.add_option(
          "--cert", o.cert,
          "certificate policy: deny|accept-once|tofu|replace (default: ask on a TTY, deny "
          "otherwise; a "
          "pinned certificate is accepted in every mode, a changed one refused unless replace)")
      ->check(CLI::IsMember({"deny", "accept-once", "tofu", "replace"}));
  verb.add_option("--security", o.security, "starting security layer: auto|nla|nla-ext|tls|rdp")
      ->check(CLI::IsMember({"auto", "nla", "nla-ext", "tls", "rdp"}))
      ->capture_default_str();
  verb.add_option("--min-security", o.minSecurity, "lowest layer any fallback may use: nla|tls|rdp")
      ->check(CLI::IsMember({"nla", "tls", "rdp"}))
      ->capture_default_str();
  // probe tries no combination: the knobs stay accepted there but out of its --help
  const std::string knobs = credentials == Credentials::Used
                                ? "Combination (what diagnose prints under 'connect now')"
                                : "";
  verb.add_option("--tls-seclevel", o.tlsSecLevel,
                  "OpenSSL security level 0-5 (default: FreeRDP's, 1)")
      ->check(CLI::Range(0u, 5u))
      ->group(knobs);
  verb.add_option("--tls-ciphers", o.tlsCiphers, "OpenSSL cipher list (default: OpenSSL's)")
      ->group(knobs);
  verb.add_option("--tls-min-version", o.tlsMinVersion,
                  "lowest TLS version offered: 1.0|1.1|1.2|1.3 (default: FreeRDP's)")
      ->check(CLI::IsMember({"1.0", "1.1", "1.2", "1.3"}))
      ->group(knobs);
  verb.add_option("--tls-max-version", o.tlsMaxVersion,
                  "highest TLS version offered, for hosts that break on a newer one: "
                  "1.0|1.1|1.2|1.3 (default: OpenSSL's, 1.3)")
      ->check(CLI::IsMember({"1.0", "1.1", "1.2", "1.3"}))
      ->group(knobs);
  verb.add_option("--rdp-mac", o.rdpMac,
                  "standard RDP security MAC: salted|classic (default: salted)")
      ->check(CLI::IsMember({"salted", "classic"}))
      ->group(knobs);
  verb.add_option("--rdp-encryption", o.rdpEncryption,
                  "standard RDP security encryption methods offered: a list of 40,56,128,fips "
                  "(default: all)")
      ->group(knobs);
  verb.add_option("--address", o.address,
                  "dial this IP address; the host's name still names the certificate")
      ->group(knobs);
  verb.add_flag("--ipv6", o.ipv6, "prefer IPv6 when the name has both")->group(knobs);
  verb.add_flag("--no-gfx", o.noGfx, "no graphics pipeline (RDPGFX)")->group(knobs);
  verb.add_flag("--no-compression", o.noCompression, "no bulk compression")->group(knobs);
  verb.add_option("--client-build", o.clientBuild,
                  "client build number sent to the host (default: FreeRDP's)")
      ->check(CLI::Range(1u, 0xffffu))
      ->group(knobs);
  verb.add_option("--timeout", o.timeoutSeconds, "overall time budget in seconds")
      ->check(secondsValidator())
      ->capture_default_str();
  verb.add_option("--json", o.json, "write the JSON report to FILE, or - for stdout");
  verb.add_option("--log-level", o.logLevel, "trace|debug|info|warn|error|off")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}))
      ->capture_default_str();
}

namespace {

/// The combination options over `p` (only those given: an .rdp file's settings stay otherwise).
void applyKnobs(const CommonOptions& o, Profile& p) {
  if (o.tlsSecLevel) p.tlsSecLevel = *o.tlsSecLevel;
  if (!o.tlsCiphers.empty()) p.tlsCiphers = o.tlsCiphers;
  if (!o.tlsMinVersion.empty()) p.tlsMinVersion = *parseTlsVersion(o.tlsMinVersion);
  if (!o.tlsMaxVersion.empty()) p.tlsMaxVersion = *parseTlsVersion(o.tlsMaxVersion);
  if (!o.rdpMac.empty()) p.saltedMac = o.rdpMac != "classic";
  if (!o.rdpEncryption.empty()) {
    auto m = parseEncryptionMethods(o.rdpEncryption);
    if (!m) throw UsageError("--rdp-encryption: " + m.error().message());
    p.rdpEncryptionMethods = *m;
  }
  if (!o.address.empty()) {
    unsigned char buf[sizeof(in6_addr)];
    const bool literal = ::inet_pton(AF_INET, o.address.c_str(), buf) == 1 ||
                         ::inet_pton(AF_INET6, o.address.c_str(), buf) == 1;
    if (!literal)
      throw UsageError("--address '" + o.address +
                       "' is not an IP address (the port comes from HOST)");
    p.dialAddress = o.address;
  }
  if (o.ipv6) p.preferIpv6 = true;
  if (o.noGfx) p.gfx = false;
  if (o.noCompression) p.compression = false;
  if (o.clientBuild != 0) p.clientBuild = o.clientBuild;
}

}  // namespace

Profile profileFrom(const CommonOptions& o) {
  auto spec = parseHostSpec(o.host);
  if (!spec) throw UsageError(spec.error().message());
  Profile p;
  p.target = *spec;
  p.user = o.user;
  p.domain = o.domain;
  auto sec = parseSecurity(o.security);
  if (!sec) throw UsageError(sec.error().message());
  p.security = *sec;
  if (o.cert.empty()) {
    p.cert = ::isatty(STDIN_FILENO) ? CertPolicy::Ask : CertPolicy::Deny;
  } else {
    auto c = parseCertPolicy(o.cert);
    if (!c) throw UsageError(c.error().message());
    p.cert = *c;
  }
  applyKnobs(o, p);
  return p;
}

Secret passwordFrom(const CommonOptions& o, const Profile& p) {
  PasswordSources src;
  src.passwordFile = o.passwordFile;
  src.allowPrompt = !o.user.empty();
  src.promptFor = (o.user.empty() ? std::string("?") : o.user) + "@" + p.target.display();
  auto s = readPassword(src);
  if (!s) throw UsageError(s.error().message());
  return std::move(s).value();
}

bool colourWanted(int fd) {
  const char* noColour = std::getenv("NO_COLOR");
  return ::isatty(fd) != 0 && (noColour == nullptr || *noColour == '\0');
}

std::shared_ptr<spdlog::logger> makeLogger(const std::string& level) {
  auto logger = spdlog::get("rdpdoctor");
  if (!logger)
    logger = spdlog::stderr_color_mt("rdpdoctor", colourWanted(STDERR_FILENO)
                                                      ? spdlog::color_mode::automatic
                                                      : spdlog::color_mode::never);
  logger->set_level(spdlog::level::from_str(level));
  logger->set_formatter(terminalSafeLogFormatter("%^%l%$ %*"));
  return logger;
}

void writeOutput(const std::string& target, const std::string& text) {
  if (target == "-") {
    std::cout << text << std::endl;
    return;
  }
  std::ofstream out(target, std::ios::trunc);
  if (!out || !(out << text << '\n')) throw UsageError("cannot write " + target);
}

bool askCredentials(const HostSpec& target, std::string& user, Secret& password) {
  FILE* tty = std::fopen("/dev/tty", "r+");
  if (tty == nullptr) return false;
  std::string typed = user;
  if (typed.empty()) {
    std::fprintf(tty,
                 "%s requires Network Level Authentication: your credentials are checked before "
                 "the session\n"
                 "user name for %s (DOMAIN\\user or user@domain): ",
                 terminalText(target.display()).c_str(), terminalText(target.display()).c_str());
    std::fflush(tty);
    char line[256] = {};
    if (std::fgets(line, sizeof line, tty) != nullptr) typed = line;
    while (!typed.empty() && std::isspace(static_cast<unsigned char>(typed.back())))
      typed.pop_back();
  }
  std::fclose(tty);
  if (typed.empty()) return false;
  PasswordSources src;
  src.allowPrompt = true;
  src.promptFor = typed + "@" + target.display();
  auto secret = readPassword(src);
  if (!secret || secret->empty()) return false;
  user = typed;
  password = std::move(secret).value();
  return true;
}

bool terminalAvailable() {
  FILE* tty = std::fopen("/dev/tty", "r+");
  if (tty == nullptr) return false;
  std::fclose(tty);
  return true;
}

std::string certificateValidity(const HostSpec& target, const std::string& fingerprint) {
  probe::ProbeOptions po;
  po.requestSets = {0x1};  // PROTOCOL_SSL: the handshake FreeRDP's TLS layer makes
  po.rdpSecurity = false;
  po.totalTimeout = std::chrono::milliseconds(3000);
  const auto result = probe::probeHost(target, po);
  const auto& cert = result.tls.certificate;
  if (!cert) return "(not known)";
  auto norm = [](std::string s) {
    std::string out;
    for (char ch : s)
      if (ch != ':') out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(ch))));
    return out;
  };
  if (norm(cert->sha256) != norm(fingerprint)) return "(not known)";
  return validityLine(cert->notBefore, cert->notAfter, cert->expired, cert->notYetValid,
                      cert->daysLeft);
}

namespace {

/// One line typed on the terminal ("" at end of input), without the line end.
std::string readAnswer(FILE* tty) {
  char answer[64] = {};
  if (std::fgets(answer, sizeof answer, tty) == nullptr) return "";
  std::string a(answer);
  while (!a.empty() && std::isspace(static_cast<unsigned char>(a.back()))) a.pop_back();
  while (!a.empty() && std::isspace(static_cast<unsigned char>(a.front()))) a.erase(a.begin());
  return a;
}

}  // namespace

std::optional<CertPolicy> askCertificateConsent(const CertificateSeen& c,
                                                const std::string& validity) {
  FILE* tty = std::fopen("/dev/tty", "r+");
  if (tty == nullptr) return std::nullopt;
  std::optional<CertPolicy> choice;
  const auto t = [](const std::string& s) {
    return terminalText(s);
  };  // server text: visible, never obeyed
  if (c.decision == CertDecision::ChangedNeedsConsent) {
    std::fprintf(
        tty,
        "WARNING: the certificate of %s:%u has CHANGED since you trusted it.\n"
        "This may be a man in the middle reading everything you send, your password included.\n"
        "  trusted fingerprint: %s\n  new fingerprint:     %s\n  subject:     %s\n  issuer:      "
        "%s\n"
        "  valid:       %s\n"
        "Only if you know the host got a new certificate, type 'replace' to trust the new one "
        "[no]: ",
        t(c.host).c_str(), c.port, t(c.pinnedFingerprint).c_str(), t(c.fingerprint).c_str(),
        t(c.subject).c_str(), t(c.issuer).c_str(), validity.c_str());
    std::fflush(tty);
    if (readAnswer(tty) == "replace") choice = CertPolicy::Replace;
  } else {
    std::fprintf(
        tty,
        "the certificate of %s:%u cannot be verified\n  subject:     %s\n  issuer:      %s\n"
        "  valid:       %s\n  fingerprint: %s\naccept it? [o]nce, [a]lways, [N]o: ",
        t(c.host).c_str(), c.port, t(c.subject).c_str(), t(c.issuer).c_str(), validity.c_str(),
        t(c.fingerprint).c_str());
    std::fflush(tty);
    const std::string a = readAnswer(tty);
    if (!a.empty() && (a[0] == 'o' || a[0] == 'O')) choice = CertPolicy::AcceptOnce;
    if (!a.empty() && (a[0] == 'a' || a[0] == 'A')) choice = CertPolicy::Tofu;
  }
  std::fclose(tty);
  return choice;
}

SecurityFloor floorFor(const CommonOptions& o, const Profile& start) {
  auto floor = parseFloor(o.minSecurity);
  if (!floor) throw UsageError(floor.error().message());
  if (!meetsFloor(start.strongestLayer(), *floor)) {
    const bool fromFile = o.security == "auto";
    throw UsageError(std::string(fromFile ? o.host + " asks for " : "--security ") +
                     std::string(toString(start.security)) + (fromFile ? " security" : "") +
                     " is below your security floor (" + std::string(toString(*floor)) +
                     "): add --min-security " + std::string(toString(start.strongestLayer())) +
                     " to allow it");
  }
  return *floor;
}

bool namesRdpFile(const std::string& host) {
  return host.size() > 4 && host.substr(host.size() - 4) == ".rdp";
}

std::string rdGatewayOf(const CommonOptions& o) {
  if (!namesRdpFile(o.host)) return "";
  auto file = readRdpFile(o.host);
  if (!file) return "";
  // mstsc's gatewayusagemethod: 1 always, 3 the default settings (the gateway), 2 only when the
  // host is not reached directly, 0 and 4 never
  const auto* gw = file->find("gatewayhostname");
  if (gw == nullptr || gw->value.empty()) return "";
  const auto* usage = file->find("gatewayusagemethod");
  const std::string method = usage ? usage->value : "1";
  return method == "1" || method == "3" ? gw->value : "";
}

Profile startingProfile(const CommonOptions& o) {
  // every connection consults the trust store: refuse before connecting when it has no place
  if (auto store = CertStore::defaultPath(); !store)
    throw UsageError(store.error().message() + " (set XDG_STATE_HOME or RDPDOCTOR_STATE_DIR)");
  if (!namesRdpFile(o.host)) return profileFrom(o);
  auto file = readRdpFile(o.host);
  if (!file) throw UsageError(file.error().message());
  for (const auto& w : file->warnings)
    std::cerr << "rdpdoctor: " << terminalText(o.host) << ": " << terminalText(w) << std::endl;
  std::vector<std::string> warnings;
  auto p = profileFromRdp(*file, warnings);
  if (!p) throw UsageError(o.host + ": " + p.error().message());
  for (const auto& w : warnings)
    std::cerr << "rdpdoctor: " << terminalText(o.host) << ": " << terminalText(w) << std::endl;
  CommonOptions fromFile = o;
  fromFile.host = p->target.display();
  Profile merged = profileFrom(fromFile);  // options (cert, security, user) apply on top
  Profile out = *p;
  out.cert = merged.cert;
  if (!o.user.empty()) out.user = o.user;
  if (!o.domain.empty()) out.domain = o.domain;
  if (o.security != "auto") out.security = merged.security;
  applyKnobs(o, out);
  return out;
}

}  // namespace rdpdoctor::app
