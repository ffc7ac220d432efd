#pragma once
// Where and with what a report is made: this program's version, the FreeRDP and OpenSSL it runs
// with, this machine's name, the local date and time.
#include "rdpdoctor/report/diagnosis.hpp"

namespace rdpdoctor::app {

[[nodiscard]] ReportContext reportContext();

}  // namespace rdpdoctor::app
