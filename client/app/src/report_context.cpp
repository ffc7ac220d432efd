#include "report_context.hpp"

#include <openssl/crypto.h>
#include <unistd.h>

#include <climits>
#include <cstdlib>
#include <ctime>
#include <string_view>

#include "rdpdoctor/front/session_process.hpp"

#ifndef RDPDOCTOR_VERSION
#define RDPDOCTOR_VERSION "0.0.0"
#endif

namespace rdpdoctor::app {

namespace {

/// An executable of that name in a directory of PATH.
bool onPath(const std::string& name) {
  const char* path = std::getenv("PATH");
  if (path == nullptr) return false;
  std::string_view rest(path);
  while (true) {
    const auto colon = rest.find(':');
    const std::string dir(rest.substr(0, colon));
    if (!dir.empty() && ::access((dir + "/" + name).c_str(), X_OK) == 0) return true;
    if (colon == std::string_view::npos) return false;
    rest.remove_prefix(colon + 1);
  }
}

}  // namespace

ReportContext reportContext() {
  ReportContext c;
  c.rdpdoctorVersion = RDPDOCTOR_VERSION;
  c.freerdpVersion = sessionFreerdpVersion();  // the library attempts ran with
  c.opensslVersion = OpenSSL_version(OPENSSL_VERSION);
  c.xfreerdp2Installed = onPath("xfreerdp");
  c.xfreerdp3Installed = onPath("xfreerdp3") || onPath("sdl-freerdp3");
  char host[HOST_NAME_MAX + 1] = {};
  if (::gethostname(host, sizeof host - 1) == 0) c.clientHost = host;
  const std::time_t now = std::time(nullptr);
  std::tm local{};
  char when[64] = {};
  if (::localtime_r(&now, &local) != nullptr &&
      std::strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S %Z", &local) > 0)
    c.generatedAt = when;
  return c;
}

}  // namespace rdpdoctor::app
