#pragma once
// What one connection is asked to do (an attempt, or the window's live session). Built by the
// front, run by the session process (client/session) through client/core's runSession.
#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "rdpdoctor/front/cert_store.hpp"
#include "rdpdoctor/front/credentials.hpp"
#include "rdpdoctor/outcome.hpp"
#include "rdpdoctor/profile.hpp"
#include "rdpdoctor/result.hpp"

namespace rdpdoctor {

class SessionObserver;  // client/core: a front end watching a live session

struct SessionRequest {
  Profile profile;
  Secret password;
  Goal goal = Goal::FirstFrame;
  std::chrono::milliseconds deadline{15000};
  /// The user's floor: a Confirm selecting a layer below it ends the attempt before any
  /// credential is sent (Outcome::belowFloor). Safe by default.
  SecurityFloor floor = SecurityFloor::Tls;
  /// After the goal: keep receiving frames this long (to sample the desktop); ends early once
  /// the dominant colour equals `untilColour`.
  std::chrono::milliseconds holdAfterGoal{0};
  std::optional<std::uint32_t> untilColour;
  /// Goal LoggedOn: servers that never send a logon notification (xrdp) end this long after the
  /// first frame, successful but with an empty Outcome::logonProof (the report says "unproven").
  std::chrono::milliseconds logonGrace{3000};
  std::string certStorePath;  // TOFU store; empty: CertStore::defaultPath()
  /// Non-empty: FreeRDP appends this connection's TLS secrets (NSS key log) to this file (FreeRDP
  /// 3's TLS secrets setting; 2.11 writes nothing). Only for a connection without credentials:
  /// the bundle's own (a key log of a logon would let its capture be decrypted to the password).
  std::string tlsSecretsFile;
  /// The connection may end up on NLA with a password: where the library's full connect could
  /// send the credentials more than once (FreeRDP 2.11), the session process checks them alone
  /// first (one authentication-only connect) and stops on a failure, so a wrong password reaches
  /// the server once. FreeRDP 3 sends them once a connect (its silent retry is refused): no check.
  bool credentialsFirst = false;
  /// certStorePath, else CertStore::defaultPath() (an error when nothing names a place).
  [[nodiscard]] Result<std::filesystem::path> certStore() const {
    if (!certStorePath.empty()) return std::filesystem::path(certStorePath);
    return CertStore::defaultPath();
  }
  /// The process holds no sockets but this session's (an attempt child): on the deadline, shut
  /// them all down so a read blocked inside libfreerdp returns (freerdp_abort_connect alone
  /// does not end a read from a silent server in 2.11).
  bool ownsProcessSockets = false;
  /// A live session (the window): after the goal, keep running until the observer says stop or
  /// the server disconnects. The deadline then covers only the way to the goal.
  SessionObserver* observer = nullptr;
  /// The front answers certificate questions in-band (certificate_question.hpp): with policy Ask,
  /// a certificate that needs consent is asked about on this connection (through
  /// `askCertificate`) instead of failing it. Sent in the order.
  bool certificateQuestions = false;
  /// In the session process: asks the front and waits for the answer (nullopt: "no"). Empty:
  /// nobody to ask (the connection fails with the certificate, as without certificateQuestions).
  /// The time it takes does not count against the deadline.
  std::function<std::optional<CertPolicy>(const CertificateSeen&, const std::string& validity)>
      askCertificate;
  /// Live sessions: after a network drop, this many reconnection attempts (0: none), each on a
  /// new FreeRDP instance with its own deadline (`deadline`), `reconnectPause` apart.
  unsigned reconnectAttempts = 10;
  std::chrono::milliseconds reconnectPause{2000};
};

/// The window around a live session (the session process opens it).
struct WindowOptions {
  std::string title;  // "alice@host — rdpdoctor": the negotiated layer is added once known
  std::string note;   // short, after the layer: "changed by rdpdoctor" (details in the terminal)
  bool fullscreen = false;
};

/// What the front sends the session process on its stdin: one request, its log level, and the
/// window when the session is live. The password travels in it: for the pipe only.
struct SessionOrder {
  SessionRequest request;
  std::string logLevel = "warn";
  std::optional<WindowOptions> window;
};

[[nodiscard]] std::string encodeSessionOrder(const SessionOrder& order);
/// A malformed order is an error (the session process then exits 64 without connecting).
[[nodiscard]] Result<SessionOrder> decodeSessionOrder(std::string_view text);

}  // namespace rdpdoctor
