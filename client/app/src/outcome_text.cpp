#include "outcome_text.hpp"

#include <array>
#include <string_view>

#include "cli_common.hpp"

namespace rdpdoctor::app {

bool credentialsRejected(const Outcome& o) {
  static constexpr std::array<std::string_view, 9> kNames = {
      "FREERDP_ERROR_AUTHENTICATION_FAILED",    "FREERDP_ERROR_CONNECT_LOGON_FAILURE",
      "FREERDP_ERROR_CONNECT_WRONG_PASSWORD",   "FREERDP_ERROR_CONNECT_ACCOUNT_RESTRICTION",
      "FREERDP_ERROR_CONNECT_ACCOUNT_LOCKED_OUT", "FREERDP_ERROR_CONNECT_ACCOUNT_DISABLED",
      "FREERDP_ERROR_CONNECT_PASSWORD_EXPIRED", "FREERDP_ERROR_CONNECT_PASSWORD_MUST_CHANGE",
      "FREERDP_ERROR_CONNECT_NO_OR_MISSING_CREDENTIALS"};
  for (auto n : kNames)
    if (o.freerdpErrorName == n) return true;
  return false;
}

int exitCodeFor(const Outcome& o) {
  if (o.success) return kExitOk;
  if (o.timedOut) return kExitTimeout;
  if (o.certificate && !o.certificate->accepted) return kExitCertificate;
  if (credentialsRejected(o)) return kExitCredentials;
  return kExitNoConnection;
}

std::string describeOutcome(const Profile& p, const Outcome& o) {
  std::string s = p.target.display() + " [" + p.summary() + "]: ";
  if (o.success) {
    s += "ok, reached " + std::string(toString(o.reached)) + " in " + std::to_string(o.elapsedMs) + " ms";
    if (o.frame)
      s += " (" + std::to_string(o.frame->width) + "x" + std::to_string(o.frame->height) + ", " +
           std::to_string(o.frame->frames) + " frames)";
    for (const auto& d : p.downgrades()) s += "\n  downgrade in use: " + d;
    return s;
  }
  s += "failed after " + std::string(toString(o.reached)) + " in " + std::to_string(o.elapsedMs) + " ms";
  if (o.timedOut) s += ": server silent, " + o.detail;
  if (o.certificate && !o.certificate->accepted)
    s += ": certificate not accepted (" + o.certificate->decision + "; subject " + o.certificate->subject +
         "; use --cert accept-once or --cert tofu to accept it)";
  if (!o.freerdpErrorName.empty()) s += ": " + o.freerdpErrorName + " (" + o.freerdpErrorText + ")";
  if (o.errinfo != 0) s += ": server error info " + o.errinfoName;
  if (!o.timedOut && !o.detail.empty()) s += ": " + o.detail;
  return s;
}

}  // namespace rdpdoctor::app
