#include "report_context.hpp"

#include <openssl/crypto.h>
#include <unistd.h>

#include <climits>
#include <ctime>

#include "rdpdoctor/core/freerdp_version.hpp"

#ifndef RDPDOCTOR_VERSION
#define RDPDOCTOR_VERSION "0.0.0"
#endif

namespace rdpdoctor::app {

ReportContext reportContext() {
  ReportContext c;
  c.rdpdoctorVersion = RDPDOCTOR_VERSION;
  c.freerdpVersion = freerdpRuntimeVersion();
  c.opensslVersion = OpenSSL_version(OPENSSL_VERSION);
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
