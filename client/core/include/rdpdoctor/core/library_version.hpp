#pragma once
// The FreeRDP this process runs with (the session process answers the front's reports with it).
#include <string>

namespace rdpdoctor {

/// freerdp_get_version_string() of the library loaded at run time ("2.11.7"), "?" when unknown.
[[nodiscard]] std::string linkedFreerdpVersion();

}  // namespace rdpdoctor
