#include "outcome_text.hpp"

#include <cstdio>

#include "cli_common.hpp"

namespace rdpdoctor::app {

int exitCodeOf(ExitClass e) {
  switch (e) {
    case ExitClass::Ok:
      return kExitOk;
    case ExitClass::NoConnection:
    case ExitClass::NotSupported:
      return kExitNoConnection;
    case ExitClass::CredentialsRejected:
      return kExitCredentials;
    case ExitClass::CertificateRefused:
      return kExitCertificate;
    case ExitClass::Timeout:
      return kExitTimeout;
    case ExitClass::CredentialsNeeded:
      return kExitCredentialsNeeded;
  }
  return kExitNoConnection;
}

int reportNotTried(const std::string& host, const Signature& s, std::ostream& out) {
  out << "rdpdoctor: " << terminalText(host) << ": " << terminalText(s.cause) << " ["
      << terminalText(s.id) << "]\n";
  for (const auto& r : s.remedies) out << "  what to do: " << terminalText(r.text) << "\n";
  out.flush();
  return exitCodeOf(s.exit);
}

int exitCodeFor(const Outcome& o, const Signature& s) {
  if (o.success) return kExitOk;
  return exitCodeOf(s.exit);
}

std::string describeOutcome(const Profile& p, const Outcome& o, const Signature& s) {
  std::string line = terminalText(p.target.display()) + " [" + terminalText(p.summary()) + "]: ";
  if (o.success) {
    line += "ok, reached " + std::string(toString(o.reached)) + " in " +
            std::to_string(o.elapsedMs) + " ms";
    if (o.frame)
      line += " (" + std::to_string(o.frame->width) + "x" + std::to_string(o.frame->height) + ", " +
              std::to_string(o.frame->frames) + " frames)";
    if (o.goal == Goal::LoggedOn)
      line += o.logonProof.empty()
                  ? "; logon not proven: the server sent no logon notification (xrdp never does)"
                  : "; logon proven (" + terminalText(o.logonProof) + ")";
    for (const auto& d : p.downgrades(o.selectedProtocol))
      line += "\n  downgrade in use: " + terminalText(d);
    return line;
  }
  char codes[64];
  std::snprintf(codes, sizeof codes, "mstsc 0x%x/0x%x", s.mstsc.disconnectReason,
                s.mstsc.extendedReason);
  line += "failed at " + std::string(toString(s.layer)) + " after " + std::to_string(o.elapsedMs) +
          " ms: " + terminalText(s.cause);
  if (!o.freerdpErrorName.empty()) line += " (" + terminalText(o.freerdpErrorName) + ")";
  line += " [" + terminalText(s.id) + "; " + codes + "]";
  for (const auto& r : s.remedies)
    line += std::string("\n  fix on ") + (r.onThisMachine ? "this machine: " : "the host: ") +
            terminalText(r.text);
  return line;
}

}  // namespace rdpdoctor::app
