#pragma once
// Internal to diag/report: the pieces the text, Markdown and HTML renderings share.
#include <string>
#include <utility>
#include <vector>

#include "rdpdoctor/report/diagnosis.hpp"

namespace rdpdoctor::detail {

/// "works", "fails", "skipped" or "below-floor".
[[nodiscard]] std::string attemptResult(const Attempt& a);
/// The server's certificate as the report shows it: the probe's reading (subject, issuer, SANs,
/// SHA-256, dates), else what FreeRDP saw on the first attempt. Raw, server-controlled text: every
/// renderer escapes it for its own medium.
[[nodiscard]] std::vector<std::pair<std::string, std::string>> certificateFacts(const Diagnosis& d);

}  // namespace rdpdoctor::detail
