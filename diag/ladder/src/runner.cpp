#include "rdpdoctor/ladder/runner.hpp"

namespace rdpdoctor {
namespace {

using Clock = std::chrono::steady_clock;

class Run {
 public:
  Run(const HostFacts& f, const LadderOptions& o, const AttemptFn& a, const LadderObserver& obs)
      : facts_(f), opt_(o), attempt_(a), obs_(obs), start_(Clock::now()) {}

  LadderResult go(std::vector<Rung> rungs) {
    bool variantsAdded = false;
    for (std::size_t i = 0; i < rungs.size(); ++i) {
      const Rung rung = rungs[i];
      if (rung.belowFloor) {
        noteBelowFloor(rung);
        continue;
      }
      if (winnerFound_) continue;  // nothing left to prove
      if (stopped()) {
        result_.attempts.push_back({rung,
                                    {},
                                    {},
                                    true,
                                    "ladder stopped: " + std::string(toString(result_.stoppedBy)),
                                    false});
        continue;
      }
      const auto left = remaining();
      if (left.count() < 1000) {
        result_.stoppedBy = {StopReason::BudgetSpent};
        result_.attempts.push_back({rung, {}, {}, true, "time budget spent", false});
        continue;
      }
      const Attempt& a = tryRung(rung, i, false);
      if (a.signature.stopsLadder || (i == 0 && !a.signature.retryable && !a.outcome.success)) {
        result_.stoppedBy = {StopReason::Signature, a.signature.kind};
        continue;
      }
      if (a.outcome.belowFloor) {
        // dropped at the Confirm before any credential: what the server selected is reported
        noteBelowFloor(serverSelectedRdpSecurity(rung, true));
        continue;
      }
      if (a.outcome.success && a.outcome.selectedProtocol == 0 &&
          rung.profile.security != Security::Rdp) {
        // the server chose standard RDP security (allowed: the floor is rdp): that is the layer in
        // use
        const Rung chosen = serverSelectedRdpSecurity(rung, false);
        if (!result_.winner && confirmWinner(chosen, i) && !opt_.exhaustive) winnerFound_ = true;
        continue;
      }
      if (a.outcome.success && !result_.winner) {
        if (confirmWinner(rung, i) && !opt_.exhaustive) winnerFound_ = true;
        continue;
      }
      if (!a.outcome.success && a.outcome.reached >= Stage::Connected && !variantsAdded) {
        auto v = sessionVariants(rung.profile);
        rungs.insert(rungs.begin() + static_cast<std::ptrdiff_t>(i) + 1, v.begin(), v.end());
        variantsAdded = true;
      }
    }
    result_.elapsedMs =
        std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start_).count();
    return std::move(result_);
  }

 private:
  [[nodiscard]] bool stopped() const { return result_.stoppedBy.reason != StopReason::None; }
  void noteBelowFloor(const Rung& r) {
    for (const auto& b : result_.belowFloor)
      if (b.profile.summary() == r.profile.summary()) return;
    result_.belowFloor.push_back(r);
  }
  [[nodiscard]] std::chrono::milliseconds remaining() const {
    return opt_.budget -
           std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start_);
  }

  const Attempt& tryRung(const Rung& rung, std::size_t index, bool confirmation) {
    if (obs_.onStart) obs_.onStart(rung, index);
    const auto deadline = std::min(opt_.attemptDeadline, remaining());
    const bool known =
        index == 0 && !confirmation && opt_.knownOriginal && result_.attempts.empty();
    const auto called = Clock::now();
    Attempt a{rung, known ? *opt_.knownOriginal : attempt_(rung.profile, opt_.goal, deadline),
              {},   false,
              "",   confirmation};
    if (!known) {
      // the time a person took to answer its question is neither ours nor the budget's: the
      // budget's clock moves on by it (never by more than the call took)
      const auto waited = std::min<Clock::duration>(
          std::chrono::milliseconds(std::max<std::int64_t>(0, a.outcome.answerWaitMs)),
          Clock::now() - called);
      start_ += waited;
      result_.answerWaitMs += std::chrono::duration_cast<std::chrono::milliseconds>(waited).count();
    }
    a.signature = classify(a.outcome, rung.profile, facts_);
    result_.attempts.push_back(std::move(a));
    if (obs_.onDone) obs_.onDone(result_.attempts.back(), index);
    return result_.attempts.back();
  }

  /// A rung works only if a second, fresh connection works too.
  bool confirmWinner(const Rung& rung, std::size_t index) {
    if (!opt_.confirm) {
      result_.winner = rung;
      return true;
    }
    const Attempt& again = tryRung(rung, index, true);
    if (!again.outcome.success) return false;  // flaky: not a winner, keep climbing
    result_.winner = rung;
    result_.confirmed = true;
    return true;
  }

  const HostFacts& facts_;
  const LadderOptions& opt_;
  const AttemptFn& attempt_;
  const LadderObserver& obs_;
  Clock::time_point start_;
  LadderResult result_;
  bool winnerFound_ = false;  // and not --exhaustive: the remaining rungs are not run
};

}  // namespace

std::string_view toString(const LadderStop& s) {
  switch (s.reason) {
    case StopReason::None:
      return "";
    case StopReason::BudgetSpent:
      return "budget";
    case StopReason::Signature:
      return toString(s.signature);
  }
  return "";
}

Rung serverSelectedRdpSecurity(const Rung& tried, bool belowFloor) {
  Rung r = tried;
  r.profile.security = Security::Rdp;
  r.why = "the server selected standard RDP security (" + tried.why + ")";
  r.belowFloor = belowFloor;
  return r;
}

LadderResult runLadder(std::vector<Rung> rungs, const HostFacts& facts,
                       const LadderOptions& options, const AttemptFn& attempt,
                       const LadderObserver& observer) {
  return Run(facts, options, attempt, observer).go(std::move(rungs));
}

}  // namespace rdpdoctor
