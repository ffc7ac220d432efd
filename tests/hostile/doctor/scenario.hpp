#pragma once
// A hostile-server case as data (curl's tests/data style): tests/hostile/scenarios/NAME.scenario.
//
//   # comment
//   args: --security tls              extra `rdpdoctor diagnose` arguments (HOST and --json - are
//   added) expect-exit: 1                    the exit code rdpdoctor must end with
//   expect-signature: a|b             the original settings' signature (one of)
//   expect-layer: negotiation         the original settings' failing layer (a|b: either)
//   expect-cause-mentions: X          the original settings' cause names X (e.g. a failure code)
//   expect-remedy-mentions: X        some remedy shown reads X (repeatable)
//   expect-no-remedy-mentions: X     no remedy shown, nor the cause, reads X (repeatable)
//   expect-verdict-lacks: X          the verdict does not read X (repeatable)
//   expect-rung: rdp                  some rung (tried or below the floor) uses this security layer
//   expect-no-winner                  winner is null
//   expect-within-ms: 30000           the whole run ends within this many milliseconds
//   expect-attempts-within-ms: 8000   every attempt ends within this many milliseconds
//   step: read-request                then the stub's script for every connection, in order:
//   step: send-confirm SSL            RDP_NEG_RSP selecting RDP|SSL|HYBRID|requested (best offered)
//   step: send-failure 5              RDP_NEG_FAILURE with this failureCode
//   step: send-no-negotiation         a Connection Confirm without rdpNegData (pre-Vista)
//   step: send-garbage 64             bytes that are no TPKT
//   step: send-tpkt-length 65535      a TPKT header announcing this length, then 3 bytes, then
//   nothing step: truncate 9                  the next send-* sends only its first 9 bytes step:
//   drip 200                    the next send-* goes out one byte every 200 ms step: read-any wait
//   for the client's next bytes (TLS ClientHello, MCS ...) step: tls-accept                  TLS
//   server handshake with the stub's certificate (StubServer::start's
//                                     `tls`); later read-any / close / hold go through TLS
//   step: sleep 500                   wait
//   step: reset | close | hold        end with RST, with FIN, or keep the socket open until the
//   client leaves
//   after tls-accept, the connection sequence (MS-RDPBCGR 1.3.1.1) over TLS:
//   step: mcs-connect                 read the MCS Connect Initial, send a Connect Response
//   step: mcs-join                    answer Attach User and every Channel Join, read Client Info
//   step: send-license-valid-client   License Error PDU STATUS_VALID_CLIENT (licensing done)
//   step: send-license-error 0x2 1    License Error PDU with this dwErrorCode, dwStateTransition
//   step: send-demand-active          a Demand Active PDU (no capability set)
//   step: read-font-list              read the client's Confirm Active and finalization
//   step: send-finalization           Synchronize, Control (cooperate, granted), Font Map
//   step: send-error-info 0x7         a Set Error Info PDU with this ERRINFO code
//   step: send-ultimatum 1            an MCS Disconnect Provider Ultimatum with this reason
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "rdpdoctor/result.hpp"

namespace rdpdoctor::hostile {

struct Step {
  std::string verb;  // "read-request", "send-confirm", ...
  std::string arg;   // the rest of the line
};

struct Scenario {
  std::string name;  // file stem
  std::vector<std::string> args;
  int expectExit = -1;
  std::vector<std::string> expectSignatures;
  std::vector<std::string> expectLayers;  // any of them
  std::string expectCauseMentions;
  std::vector<std::string> expectRemedyMentions;
  std::vector<std::string> expectNoRemedyMentions;
  std::vector<std::string> expectVerdictLacks;
  std::string expectRung;
  bool expectNoWinner = false;
  std::optional<std::chrono::milliseconds> expectWithin;
  std::optional<std::chrono::milliseconds> expectAttemptsWithin;
  std::vector<Step> steps;
};

[[nodiscard]] Result<Scenario> parseScenario(const std::string& name, const std::string& text);
[[nodiscard]] Result<Scenario> loadScenario(const std::filesystem::path& file);
/// Every *.scenario in `dir`, sorted by name.
[[nodiscard]] std::vector<std::filesystem::path> scenarioFiles(const std::filesystem::path& dir);

}  // namespace rdpdoctor::hostile
