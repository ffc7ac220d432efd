#pragma once
// The pure decision that turns a probe's results into the HostFacts the classifier and the
// ladder read (HostFacts field comments say what each fact means). diag/report only renders them.
#include "rdpdoctor/host_facts.hpp"
#include "rdpdoctor/probe_result.hpp"

namespace rdpdoctor {

[[nodiscard]] HostFacts hostFactsFrom(const probe::ProbeResult& r);

}  // namespace rdpdoctor
