#pragma once
// The probe of one host as a coroutine: what probeHost runs on its own io_context and what a scan
// runs, many at once, on one shared io_context.
#include "io.hpp"
#include "rdpdoctor/probe/prober.hpp"

namespace rdpdoctor::probe {

[[nodiscard]] Task<ProbeResult> probeHostTask(HostSpec target, ProbeOptions options);

}  // namespace rdpdoctor::probe
