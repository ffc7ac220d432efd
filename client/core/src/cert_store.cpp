#include "rdpdoctor/core/cert_store.hpp"

#include <sys/stat.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <vector>

namespace rdpdoctor {

std::filesystem::path CertStore::defaultPath() {
  if (const char* d = std::getenv("RDPDOCTOR_STATE_DIR"); d && *d) return std::filesystem::path(d) / "known_hosts";
  if (const char* x = std::getenv("XDG_STATE_HOME"); x && *x) return std::filesystem::path(x) / "rdpdoctor" / "known_hosts";
  const char* home = std::getenv("HOME");
  return std::filesystem::path(home && *home ? home : "/tmp") / ".local/state/rdpdoctor/known_hosts";
}

Result<std::optional<std::string>> CertStore::lookup(const std::string& key) const {
  std::error_code ec;
  if (!std::filesystem::exists(file_, ec)) return std::optional<std::string>{};
  std::ifstream in(file_);
  if (!in) return makeError("io", "cannot read certificate store " + file_.string());
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream ls(line);
    std::string k, fp;
    if (ls >> k >> fp && k == key) return std::optional<std::string>{fp};
  }
  return std::optional<std::string>{};
}

Status CertStore::remember(const std::string& key, const std::string& fingerprint) const {
  std::error_code ec;
  std::filesystem::create_directories(file_.parent_path(), ec);
  if (ec) return makeError("io", "cannot create " + file_.parent_path().string()).because(ec.message());
  std::vector<std::string> lines;
  {
    std::ifstream in(file_);
    std::string line;
    while (std::getline(in, line)) {
      std::istringstream ls(line);
      std::string k;
      if (ls >> k && k == key) continue;  // replaced below
      lines.push_back(line);
    }
  }
  lines.push_back(key + " " + fingerprint);
  const auto tmp = file_.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    if (!out) return makeError("io", "cannot write certificate store " + tmp);
    for (const auto& l : lines) out << l << '\n';
    if (!out.flush()) return makeError("io", "cannot write certificate store " + tmp);
  }
  ::chmod(tmp.c_str(), 0600);
  std::filesystem::rename(tmp, file_, ec);
  if (ec) return makeError("io", "cannot replace " + file_.string()).because(ec.message());
  return okStatus();
}

CertDecision decideCertificate(CertPolicy policy, const std::optional<std::string>& stored,
                               const std::string& fingerprint) {
  switch (policy) {
    case CertPolicy::Deny: return CertDecision::Deny;
    case CertPolicy::AcceptOnce: return CertDecision::AcceptOnce;
    case CertPolicy::Ask: return CertDecision::NeedsConsent;
    case CertPolicy::Tofu:
      if (!stored) return CertDecision::TofuNew;
      return *stored == fingerprint ? CertDecision::TofuMatch : CertDecision::TofuChanged;
  }
  return CertDecision::Deny;
}

const char* toString(CertDecision d) {
  switch (d) {
    case CertDecision::Deny: return "deny";
    case CertDecision::AcceptOnce: return "accept-once";
    case CertDecision::TofuNew: return "tofu-new";
    case CertDecision::TofuMatch: return "tofu-match";
    case CertDecision::TofuChanged: return "tofu-changed";
    case CertDecision::NeedsConsent: return "needs-consent";
  }
  return "?";
}

bool accepts(CertDecision d) {
  return d == CertDecision::AcceptOnce || d == CertDecision::TofuNew || d == CertDecision::TofuMatch;
}

}  // namespace rdpdoctor
