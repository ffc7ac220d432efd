#include <unistd.h>

#include <cstdlib>
#include <string>
#include <system_error>

#include "rdpdoctor/lab/lab.hpp"

namespace rdpdoctor::lab {

TempDir::TempDir() {
  const char* base = std::getenv("TMPDIR");
  std::string tmpl = (base != nullptr && *base != '\0') ? base : "/tmp";
  tmpl += "/rdpdoctor-lab-XXXXXX";
  if (::mkdtemp(tmpl.data()) != nullptr) path_ = tmpl;
  owner_ = ::getpid();
}

TempDir::~TempDir() {
  // Only the process that made it removes it (not a fork()ed copy that happens to exit normally).
  if (path_.empty() || ::getpid() != owner_) return;
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

}  // namespace rdpdoctor::lab
