#include "diagnose_facts.hpp"

#include "rdpdoctor/probe/prober.hpp"
#include "rdpdoctor/report/probe_report.hpp"
#include "rdpdoctor/verdict/host_facts_from.hpp"

namespace rdpdoctor::app {

void gatherFacts(Diagnosis& d, std::chrono::milliseconds budget) {
  probe::ProbeOptions options;
  options.totalTimeout = budget;
  options.stepTimeout = std::min(options.stepTimeout, budget);
  const auto result = probe::probeHost(d.original.target, options);
  d.probe = probeToJson(result);
  d.facts = hostFactsFrom(result);
}

}  // namespace rdpdoctor::app
