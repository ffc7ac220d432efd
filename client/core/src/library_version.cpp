#include "rdpdoctor/core/library_version.hpp"

#include <freerdp/freerdp.h>

namespace rdpdoctor {

std::string linkedFreerdpVersion() {
  const char* v = freerdp_get_version_string();
  return v != nullptr ? v : "?";
}

}  // namespace rdpdoctor
