#pragma once
// The doctor as the verbs use it: probe facts, plan, climb the ladder in child processes.
#include <chrono>
#include <functional>
#include <mutex>
#include <optional>
#include <set>
#include <string>

#include "cli_common.hpp"
#include "rdpdoctor/front/session_process.hpp"
#include "rdpdoctor/report/diagnosis.hpp"

namespace rdpdoctor::app {

/// Asks the person about a certificate (terminal question or the window's box); nullopt: no.
using ConsentAsker =
    std::function<std::optional<CertPolicy>(const CertificateSeen&, const std::string& validity)>;

/// One account's password shared by the doctors of many hosts (scan --diagnose). Until a host
/// has accepted it, the attempts that send it run one at a time, across every host; once a host
/// has rejected it, no attempt sends it again: a wrong password meets one host once, not the whole
/// fleet (no lockout multiplied by the number of hosts).
class CredentialGate {
 public:
  /// Held for the length of one attempt that would send the password.
  class Turn {
   public:
    Turn(CredentialGate& gate, const std::string& host);
    /// False: another host rejected the password; send none.
    [[nodiscard]] bool send() const { return send_; }
    /// What the attempt showed: accepted (the password works: no more turns), rejected (it is
    /// withheld from every host from now on), or neither (the attempt never got to it).
    void settle(bool accepted, bool rejected, const std::string& host);

   private:
    CredentialGate& gate_;
    std::unique_lock<std::mutex> serial_;
    bool send_ = true;
  };
  /// "host:port" of the host that rejected the password; empty while none did.
  [[nodiscard]] std::string rejectedBy() const;
  /// Hosts ("host:port") an attempt ran against without the password because of a rejection.
  [[nodiscard]] bool withheldFrom(const std::string& host) const;

 private:
  mutable std::mutex state_;
  std::mutex serial_;  // held by the one attempt in flight while the password is unproven
  bool proven_ = false;
  std::string rejectedBy_;
  std::set<std::string> withheld_;
};

struct DoctorRun {
  bool exhaustive = false;
  bool probe = true;
  std::chrono::milliseconds attemptDeadline{15000};
  std::chrono::milliseconds budget{120000};
  std::string logLevel = "warn";
  std::optional<Outcome> knownOriginal;  // connect: the user's own attempt, already run
  /// Who answers when an attempt meets a certificate that needs consent (policy Ask): asked once
  /// per run, on whichever attempt meets it first; the ladder goes on with the answer. Empty:
  /// the terminal question when there is a terminal.
  ConsentAsker askConsent;
  /// Print each attempt's progress line on stderr (scan --diagnose: off, many hosts at once).
  bool progress = true;
  /// scan --diagnose: the password's state across hosts (nullptr: this host alone).
  CredentialGate* credentials = nullptr;
};

/// Runs the whole diagnosis of `d.original` (d.floor and d.haveCredentials set by the caller)
/// and summarizes it. Asks for certificate consent (DoctorRun::askConsent) when the policy is Ask.
void runDoctor(Diagnosis& d, const Secret& password, const DoctorRun& run);
/// NLA: a request with a password that may end up on NLA asks its session process to check the
/// credentials alone first where a full connect of the linked FreeRDP could send them twice
/// (SessionRequest::credentialsFirst): a wrong password reaches the server once.
void markCredentialsFirst(SessionRequest& req, const HostFacts& facts);

/// Exit code of a diagnosis (DESIGN.md's public contract).
[[nodiscard]] int exitCodeFor(const Diagnosis& d);
/// --save-rdp: the winner as an mstsc .rdp file (nothing when there is no winner). When `host`
/// names an .rdp file, the saved file keeps its lines and never carries a weaker security setting
/// than it, unless the winner needs it: then a warning line names the key, the old and new value.
void saveWinnerRdp(const Diagnosis& d, const std::string& path, const std::string& host);

}  // namespace rdpdoctor::app
