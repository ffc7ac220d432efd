#include "diagnose_facts.hpp"

namespace rdpdoctor::app {

void gatherFacts(Diagnosis& d, std::chrono::milliseconds /*budget*/) {
  d.facts = HostFacts{};  // the probe (diag/probe) fills this once it lands
  d.probe = nullptr;
}

}  // namespace rdpdoctor::app
