// Pieces every rendering of a Diagnosis shares.
#include "render_parts.hpp"

namespace rdpdoctor::detail {

std::string attemptResult(const Attempt& a) {
  if (a.notAttempted) return "not attempted";
  if (a.skipped) return "skipped";
  if (a.outcome.belowFloor) return "below-floor";
  return a.outcome.success ? "works" : "fails";
}

/// The server's certificate as the report shows it: the probe's reading (subject, issuer, SANs,
/// SHA-256), else what FreeRDP saw on the first attempt. Raw, server-controlled text: every
/// renderer escapes it for its own medium.
std::vector<std::pair<std::string, std::string>> certificateFacts(const Diagnosis& d) {
  std::vector<std::pair<std::string, std::string>> out;
  const auto text = [](const nlohmann::json& j, const char* key) {
    return j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : std::string();
  };
  if (d.probe.is_object() && d.probe.contains("tls") && d.probe["tls"].is_object() &&
      d.probe["tls"].contains("certificate") && d.probe["tls"]["certificate"].is_object()) {
    const auto& c = d.probe["tls"]["certificate"];
    out.emplace_back("subject", text(c, "subject"));
    out.emplace_back("issuer", text(c, "issuer"));
    if (c.contains("subject_alt_names") && c["subject_alt_names"].is_array())
      for (const auto& n : c["subject_alt_names"])
        if (n.is_string()) out.emplace_back("subject alt name", n.get<std::string>());
    out.emplace_back("sha256", text(c, "sha256"));
    if (!text(c, "not_before").empty()) out.emplace_back("valid from", text(c, "not_before"));
    if (!text(c, "not_after").empty()) {
      const long days = c.contains("days_left") && c["days_left"].is_number_integer()
                            ? c["days_left"].get<long>()
                            : 0;
      const bool expired = c.contains("expired") && c["expired"] == true;
      out.emplace_back(
          "valid until",
          text(c, "not_after") + (expired ? " (EXPIRED " + std::to_string(-days) + " days ago)"
                                          : " (" + std::to_string(days) + " days left)"));
    }
    return out;
  }
  const Attempt* first = d.ladder.original();
  if (first != nullptr && first->outcome.certificate) {
    const auto& c = *first->outcome.certificate;
    out.emplace_back("subject", c.subject);
    out.emplace_back("issuer", c.issuer);
    out.emplace_back("fingerprint", c.fingerprint);
  }
  return out;
}

}  // namespace rdpdoctor::detail
