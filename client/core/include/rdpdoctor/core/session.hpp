#pragma once
// A headless FreeRDP 2.11 session that connects one Profile up to a Goal and returns an Outcome.
// Its own deadline aborts it: FreeRDP alone waits forever on a server that accepts TCP and never
// answers. Run it in a child process (isolated_session.hpp) when the host may be hostile: a
// connection that ignores the abort leaves a worker thread behind that only process exit ends.
#include <chrono>
#include <optional>
#include <string>

#include "rdpdoctor/core/cert_store.hpp"
#include "rdpdoctor/core/credentials.hpp"
#include "rdpdoctor/outcome.hpp"
#include "rdpdoctor/core/settings_mapper.hpp"
#include "rdpdoctor/profile.hpp"

namespace rdpdoctor {

struct SessionRequest {
  Profile profile;
  Secret password;
  Goal goal = Goal::FirstFrame;
  std::chrono::milliseconds deadline{15000};
  /// After the goal: keep receiving frames this long (to sample the desktop); ends early once
  /// the dominant colour equals `untilColour`.
  std::chrono::milliseconds holdAfterGoal{0};
  std::optional<std::uint32_t> untilColour;
  /// Goal LoggedOn: servers that never send a logon notification (xrdp) end this long after the
  /// first frame, successful but with an empty Outcome::logonProof (the report says "unproven").
  std::chrono::milliseconds logonGrace{3000};
  std::string certStorePath;  // TOFU store; empty: CertStore::defaultPath()
  /// The process holds no sockets but this session's (an attempt child): on the deadline, shut
  /// them all down so a read blocked inside libfreerdp returns (freerdp_abort_connect alone
  /// does not end a read from a silent server in 2.11).
  bool ownsProcessSockets = false;
};

/// Connects, waits for the goal (or failure, or the deadline), disconnects, reports.
/// `abandoned` is set when the worker ignored the abort: the caller's process must then exit.
[[nodiscard]] Outcome runSession(const SessionRequest& request, bool* abandoned = nullptr);


}  // namespace rdpdoctor
