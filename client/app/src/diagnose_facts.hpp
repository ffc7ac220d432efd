#pragma once
// The probe's facts for the doctor (fills Diagnosis::facts and ::probe).
#include <chrono>

#include "rdpdoctor/report/diagnosis.hpp"

namespace rdpdoctor::app {

void gatherFacts(Diagnosis& d, std::chrono::milliseconds budget);

}  // namespace rdpdoctor::app
