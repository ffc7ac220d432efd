#pragma once
// Runs the ladder: one attempt at a time against a host (servers such as xrdp serve one
// connection at a time), each through an AttemptFn (in production: a child process with a hard
// deadline), within a total budget. Stops at once on a credential rejection (no lockouts) or a
// certificate the user did not accept; proves a winner with a second, fresh connection.
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "rdpdoctor/ladder/planner.hpp"
#include "rdpdoctor/outcome.hpp"
#include "rdpdoctor/verdict/verdict.hpp"

namespace rdpdoctor {

struct Attempt {
  Rung rung;
  Outcome outcome;
  Signature signature;
  bool skipped = false;
  std::string skipReason;     // also why nothing was attempted (notAttempted)
  bool confirmation = false;  // the second, fresh connection of a winner
  /// Nothing was dialled: an RD Gateway is needed, or the name does not resolve. The signature
  /// says why; there is no outcome and no time.
  bool notAttempted = false;
};

struct LadderOptions {
  Goal goal = Goal::LoggedOn;
  std::chrono::milliseconds attemptDeadline{15000};
  std::chrono::milliseconds budget{90000};
  bool exhaustive = false;  // diagnose --exhaustive: try every rung, even after a winner
  bool confirm = true;
  /// A success on standard RDP security that the server chose (negotiate) is a winner only when
  /// the floor allows rdp; otherwise it is reported below the floor.
  SecurityFloor floor = SecurityFloor::Rdp;
  /// The first rung's outcome when the caller already ran it (connect: the user's own attempt).
  std::optional<Outcome> knownOriginal;
};

using AttemptFn = std::function<Outcome(const Profile&, Goal, std::chrono::milliseconds deadline)>;

struct LadderObserver {
  std::function<void(const Rung&, std::size_t index)> onStart;
  std::function<void(const Attempt&, std::size_t index)> onDone;
};

/// Why the ladder stopped before its last rung.
enum class StopReason { None, BudgetSpent, Signature };

struct LadderStop {
  StopReason reason = StopReason::None;
  SignatureId signature =
      SignatureId::Unknown;  // with StopReason::Signature: the one that stopped it

  [[nodiscard]] bool by(SignatureId id) const {
    return reason == StopReason::Signature && signature == id;
  }
};
/// JSON's "stopped_by": "" (not stopped), "budget", or the stopping signature's contract id.
[[nodiscard]] std::string_view toString(const LadderStop& s);

struct LadderResult {
  std::vector<Attempt> attempts;  // in the order run (confirmations included)
  std::optional<Rung> winner;
  bool confirmed = false;
  std::vector<Rung> belowFloor;
  LadderStop stoppedBy;
  std::int64_t elapsedMs = 0;     // the ladder's own time: a person's answers are not in it
  std::int64_t answerWaitMs = 0;  // the time a person took to answer the attempts' questions

  [[nodiscard]] const Attempt* original() const {
    return attempts.empty() ? nullptr : &attempts.front();
  }
  /// The floor kept out a combination that might have worked: rungs below it were left untried
  /// and the ladder did not stop on a failure no other combination fixes (a server that denies
  /// the connection, a rejected credential, a refused certificate, TLS stripped).
  [[nodiscard]] bool floorKeptOutACandidate() const {
    return !belowFloor.empty() && stoppedBy.reason != StopReason::Signature;
  }
};

/// `tried` as the server actually ran it: on standard RDP security, which it selected (below a
/// TLS floor: reported, never used).
[[nodiscard]] Rung serverSelectedRdpSecurity(const Rung& tried, bool belowFloor);

[[nodiscard]] LadderResult runLadder(std::vector<Rung> rungs, const HostFacts& facts,
                                     const LadderOptions& options, const AttemptFn& attempt,
                                     const LadderObserver& observer = {});

}  // namespace rdpdoctor
