#include "rdpdoctor/front/cert_store.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <sstream>
#include <vector>

#include "rdpdoctor/front/state_file.hpp"

namespace rdpdoctor {
namespace {

using statefile::checkDirectory;
using statefile::errnoText;
using statefile::Fd;
using statefile::writeAll;
constexpr std::string_view kWhat = "the certificate store";

/// The store's lines, read without following a symbolic link (none when the file is missing).
Result<std::vector<std::string>> readLines(const std::filesystem::path& file) {
  std::vector<std::string> lines;
  const int raw = ::open(file.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (raw < 0) {
    if (errno == ENOENT) return lines;
    if (errno == ELOOP)
      return makeError("unsafe",
                       "the certificate store " + file.string() + " is a symbolic link: refused");
    return makeError("io", "cannot read certificate store " + file.string()).because(errnoText());
  }
  Fd fd(raw);
  struct stat st {};
  if (::fstat(fd.fd, &st) != 0 || !S_ISREG(st.st_mode))
    return makeError("unsafe", "the certificate store " + file.string() + " is not a regular file");
  if (st.st_uid != ::geteuid() || (st.st_mode & (S_IWGRP | S_IWOTH)) != 0)
    return makeError("unsafe",
                     "the certificate store " + file.string() + " is not yours alone: refused");
  std::string text;
  char buf[4096];
  for (;;) {
    const ssize_t n = ::read(fd.fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0)
      return makeError("io", "cannot read certificate store " + file.string()).because(errnoText());
    if (n == 0) break;
    text.append(buf, static_cast<std::size_t>(n));
  }
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) lines.push_back(line);
  return lines;
}

std::optional<std::string> pinIn(const std::vector<std::string>& lines, const std::string& key) {
  for (const auto& line : lines) {
    std::istringstream ls(line);
    std::string k, fp;
    if (ls >> k >> fp && k == key) return fp;
  }
  return std::nullopt;
}

/// "AB:cd:.." and "abcd.." are the same fingerprint.
std::string normalized(const std::string& fingerprint) {
  std::string out;
  for (char ch : fingerprint)
    if (ch != ':') out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(ch))));
  return out;
}

}  // namespace

Result<std::filesystem::path> CertStore::defaultPath() {
  return statefile::pathOf("known_hosts", kWhat);
}

Result<std::optional<std::string>> CertStore::lookup(const std::string& key) const {
  std::error_code ec;
  if (!std::filesystem::is_directory(file_.parent_path(), ec)) return std::optional<std::string>{};
  if (auto st = checkDirectory(file_.parent_path(), kWhat); !st.ok()) return st.error();
  auto lines = readLines(file_);
  if (!lines) return lines.error();
  return pinIn(*lines, key);
}

Status CertStore::remember(const std::string& key, const std::string& fingerprint) const {
  auto r = write(key, fingerprint, true);
  if (!r) return r.error();
  return okStatus();
}

Result<std::optional<std::string>> CertStore::pinIfAbsent(const std::string& key,
                                                          const std::string& fingerprint) const {
  return write(key, fingerprint, false);
}

Result<std::optional<std::string>> CertStore::write(const std::string& key,
                                                    const std::string& fingerprint,
                                                    bool replace) const {
  const auto dir = file_.parent_path();
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    std::filesystem::create_directories(dir.parent_path(), ec);
    if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST)
      return makeError("io", "cannot create " + dir.string()).because(errnoText());
  }
  if (auto st = checkDirectory(dir, kWhat); !st.ok()) return st.error();

  const auto lockPath = file_.string() + ".lock";
  Fd lock(::open(lockPath.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600));
  if (lock.fd < 0)
    return makeError(errno == ELOOP ? "unsafe" : "io", "cannot open the lock " + lockPath)
        .because(errnoText());
  while (::flock(lock.fd, LOCK_EX) != 0)
    if (errno != EINTR) return makeError("io", "cannot lock " + lockPath).because(errnoText());

  auto lines = readLines(file_);
  if (!lines) return lines.error();
  if (auto existing = pinIn(*lines, key); existing && !replace) return existing;

  std::string text;
  for (const auto& line : *lines) {
    std::istringstream ls(line);
    std::string k;
    if (ls >> k && k == key) continue;  // replaced below
    text += line + '\n';
  }
  text += key + " " + fingerprint + "\n";

  std::string tmp = file_.string() + ".tmp.XXXXXX";  // mkostemp: O_CREAT|O_EXCL, mode 0600
  Fd out(::mkostemp(tmp.data(), O_CLOEXEC));
  if (out.fd < 0)
    return makeError("io", "cannot create a temporary file next to " + file_.string())
        .because(errnoText());
  auto fail = [&](Error e) {
    ::unlink(tmp.c_str());
    return e;
  };
  if (auto st = writeAll(out.fd, text); !st.ok()) return fail(st.error());
  if (::fchmod(out.fd, 0600) != 0 || ::fsync(out.fd) != 0)
    return fail(makeError("io", "cannot write certificate store " + tmp).because(errnoText()));
  if (::rename(tmp.c_str(), file_.c_str()) != 0)
    return fail(makeError("io", "cannot replace " + file_.string()).because(errnoText()));
  Fd dirFd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dirFd.fd >= 0) (void)::fsync(dirFd.fd);  // the rename itself survives a crash
  return std::optional<std::string>{};
}

CertDecision decideCertificate(CertPolicy policy, const std::optional<std::string>& pinned,
                               const std::string& fingerprint) {
  if (pinned && normalized(*pinned) == normalized(fingerprint)) return CertDecision::TofuMatch;
  if (pinned) {
    if (policy == CertPolicy::Replace) return CertDecision::Replaced;
    if (policy == CertPolicy::Ask) return CertDecision::ChangedNeedsConsent;
    return CertDecision::TofuChanged;  // deny, accept-once and tofu never override a pin
  }
  switch (policy) {
    case CertPolicy::Deny:
      return CertDecision::Deny;
    case CertPolicy::AcceptOnce:
      return CertDecision::AcceptOnce;
    case CertPolicy::Ask:
      return CertDecision::NeedsConsent;
    case CertPolicy::Tofu:
    case CertPolicy::Replace:
      return CertDecision::TofuNew;
  }
  return CertDecision::Deny;
}

bool accepts(CertDecision d) {
  return d == CertDecision::AcceptOnce || d == CertDecision::TofuNew ||
         d == CertDecision::TofuMatch || d == CertDecision::Replaced;
}

}  // namespace rdpdoctor
