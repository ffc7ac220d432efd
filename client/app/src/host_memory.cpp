#include "host_memory.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <nlohmann/json.hpp>

#include "rdpdoctor/front/state_file.hpp"

namespace rdpdoctor::app {
namespace {

constexpr const char* kSchema = "rdpdoctor/hosts@1";
constexpr std::string_view kWhat = "the remembered hosts";
using statefile::checkDirectory;
using statefile::errnoText;
using statefile::Fd;
using statefile::writeAll;

/// The file's bytes without following a link; nullopt when it does not exist.
Result<std::optional<std::string>> readText(const std::filesystem::path& file) {
  const int raw = ::open(file.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (raw < 0) {
    if (errno == ENOENT) return std::optional<std::string>{};
    if (errno == ELOOP) return makeError("unsafe", file.string() + " is a symbolic link: refused");
    return makeError("io", "cannot read " + file.string()).because(errnoText());
  }
  Fd fd(raw);
  struct stat st {};
  if (::fstat(fd.fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_uid != ::geteuid() ||
      (st.st_mode & (S_IWGRP | S_IWOTH)) != 0)
    return makeError("unsafe", file.string() + " is not a regular file of yours alone: refused");
  std::string text;
  char buf[8192];
  for (;;) {
    const ssize_t n = ::read(fd.fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return makeError("io", "cannot read " + file.string()).because(errnoText());
    if (n == 0) break;
    text.append(buf, static_cast<std::size_t>(n));
  }
  return std::optional<std::string>(std::move(text));
}

using Hosts = std::map<std::string, RememberedHost>;

/// Parses the store; nullopt when it is damaged (not our JSON).
std::optional<Hosts> parse(const std::string& text) {
  try {
    const auto j = nlohmann::json::parse(text);
    if (!j.is_object() || j.value("schema", "") != kSchema || !j["hosts"].is_object())
      return std::nullopt;
    Hosts hosts;
    for (const auto& [key, v] : j["hosts"].items()) {
      RememberedHost h;
      h.profile = v.at("profile").get<Profile>();
      h.when = v.at("when").get<std::string>();
      h.downgrades = v.at("downgrades").get<std::vector<std::string>>();
      h.fingerprint = v.value("fingerprint", "");
      h.why = v.value("why", "");
      auto layer = parseFloor(v.at("layer").get<std::string>());
      if (!layer) return std::nullopt;
      h.layer = *layer;
      hosts.emplace(key, std::move(h));
    }
    return hosts;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

std::string serialize(const Hosts& hosts) {
  nlohmann::json list = nlohmann::json::object();
  for (const auto& [key, h] : hosts)
    list[key] = {{"profile", h.profile},         {"when", h.when}, {"downgrades", h.downgrades},
                 {"fingerprint", h.fingerprint}, {"why", h.why},   {"layer", toString(h.layer)}};
  return nlohmann::json{{"schema", kSchema}, {"hosts", list}}.dump(2) + "\n";
}

/// Renames a damaged store aside and says where: never emptied, never lost.
Error keptAside(const std::filesystem::path& file) {
  const std::string aside = file.string() + ".damaged-" + std::to_string(std::time(nullptr));
  if (::rename(file.c_str(), aside.c_str()) != 0)
    return makeError("damaged", file.string() + " is damaged and could not be moved aside")
        .because(errnoText());
  return makeError("damaged", file.string() +
                                  " was damaged (not rdpdoctor/hosts@1 JSON): kept as " + aside +
                                  "; starting a new list");
}

/// Runs `change` on the store's hosts under the lock and writes the result atomically. A damaged
/// store is moved aside first (reported through `aside`).
template <typename Change>
Status update(const std::filesystem::path& file, Change change) {
  const auto dir = file.parent_path();
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    std::filesystem::create_directories(dir.parent_path(), ec);
    if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST)
      return makeError("io", "cannot create " + dir.string()).because(errnoText());
  }
  if (auto st = checkDirectory(dir, kWhat); !st.ok()) return st.error();
  const auto lockPath = file.string() + ".lock";
  Fd lock(::open(lockPath.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600));
  if (lock.fd < 0)
    return makeError(errno == ELOOP ? "unsafe" : "io", "cannot open the lock " + lockPath)
        .because(errnoText());
  while (::flock(lock.fd, LOCK_EX) != 0)
    if (errno != EINTR) return makeError("io", "cannot lock " + lockPath).because(errnoText());
  auto text = readText(file);
  if (!text) return text.error();
  Hosts hosts;
  std::optional<Error> damaged;
  if (*text) {
    auto parsed = parse(**text);
    if (parsed)
      hosts = std::move(*parsed);
    else
      damaged = keptAside(file);
  }
  if (!change(hosts)) return damaged ? Status(*damaged) : okStatus();
  std::string tmp = file.string() + ".tmp.XXXXXX";  // O_CREAT|O_EXCL, mode 0600
  Fd out(::mkostemp(tmp.data(), O_CLOEXEC));
  if (out.fd < 0)
    return makeError("io", "cannot create a temporary file next to " + file.string())
        .because(errnoText());
  auto fail = [&](Error e) {
    ::unlink(tmp.c_str());
    return e;
  };
  if (auto st = writeAll(out.fd, serialize(hosts)); !st.ok()) return fail(st.error());
  if (::fchmod(out.fd, 0600) != 0 || ::fsync(out.fd) != 0)
    return fail(makeError("io", "cannot write " + tmp).because(errnoText()));
  if (::rename(tmp.c_str(), file.c_str()) != 0)
    return fail(makeError("io", "cannot replace " + file.string()).because(errnoText()));
  Fd dirFd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dirFd.fd >= 0) (void)::fsync(dirFd.fd);
  if (damaged) return *damaged;  // written, and the old file is kept aside: say so
  return okStatus();
}

}  // namespace

Result<std::filesystem::path> HostMemory::defaultPath() {
  return statefile::pathOf("hosts.json", kWhat);
}

Result<std::map<std::string, RememberedHost>> HostMemory::all() const {
  std::error_code ec;
  if (!std::filesystem::is_directory(file_.parent_path(), ec)) return Hosts{};
  if (auto st = checkDirectory(file_.parent_path(), kWhat); !st.ok()) return st.error();
  auto text = readText(file_);
  if (!text) return text.error();
  if (!*text) return Hosts{};
  auto parsed = parse(**text);
  if (parsed) return std::move(*parsed);
  // moved aside under the writers' lock (the error says where); a writer that replaced it
  // meanwhile wins
  auto st = update(file_, [](Hosts&) { return false; });
  if (!st.ok()) return st.error();
  return Hosts{};
}

Result<std::optional<RememberedHost>> HostMemory::lookup(const std::string& key) const {
  auto hosts = all();
  if (!hosts) return hosts.error();
  const auto it = hosts->find(key);
  if (it == hosts->end()) return std::optional<RememberedHost>{};
  return std::optional<RememberedHost>(it->second);
}

Status HostMemory::remember(const std::string& key, const RememberedHost& host) const {
  RememberedHost stored = host;
  stored.profile.cert = CertPolicy::Deny;  // consent is never remembered here (the trust store is)
  return update(file_, [&](Hosts& hosts) {
    hosts[key] = stored;
    return true;
  });
}

Result<bool> HostMemory::forget(const std::string& key) const {
  bool found = false;
  auto st = update(file_, [&](Hosts& hosts) {
    found = hosts.erase(key) > 0;
    return found;
  });
  if (!st.ok()) return st.error();
  return found;
}

void applyCombination(const Profile& w, Profile& into) {
  into.security = w.security;
  into.tlsSecLevel = w.tlsSecLevel;
  into.tlsCiphers = w.tlsCiphers;
  into.tlsMinVersion = w.tlsMinVersion;
  into.tlsMaxVersion = w.tlsMaxVersion;
  into.saltedMac = w.saltedMac;
  into.rdpEncryptionMethods = w.rdpEncryptionMethods;
  into.preferIpv6 = w.preferIpv6;
  into.dialAddress = w.dialAddress;
  into.gfx = w.gfx;
  into.compression = w.compression;
  into.clientBuild = w.clientBuild;
}

bool asksForNoCombination(const Profile& p) {
  Profile plain;
  applyCombination(p, plain);
  Profile defaults;
  applyCombination(Profile{}, defaults);
  return plain == defaults;
}

std::string utcNow() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace rdpdoctor::app
