#pragma once
// Which FreeRDP this binary runs on: the library's own answer at run time, not the headers'.
#include <string>

namespace rdpdoctor {

/// freerdp_get_version_string() of the libfreerdp loaded now, e.g. "3.10.3" ("?" when it says
/// nothing).
[[nodiscard]] std::string freerdpRuntimeVersion();
/// The major the code was compiled for (RDPDOCTOR_FREERDP): 2 or 3.
[[nodiscard]] int freerdpBuildMajor();

}  // namespace rdpdoctor
