#pragma once
// The front's side of the process split: every FreeRDP connection (an attempt, the window) and
// every SDL window runs in a session program (client/session): `rdpdoctor-session` (client/core
// and client/sdl), `rdpdoctor-attempt` (client/core only) or, for the credentials window, the
// keyring and the message box, `rdpdoctor-forms` (SDL, no FreeRDP); this process links neither.
// Each connection is a new process, so a new FreeRDP instance, with a hard deadline: a hang or a
// crash inside libfreerdp cannot take the caller down. The order (password included) goes to the
// child over a pipe on its stdin, never in argv or the environment; the result comes back as JSON
// on the child's fd 3.
#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "rdpdoctor/front/certificate_question.hpp"
#include "rdpdoctor/front/session_request.hpp"

namespace rdpdoctor {

/// The session program's end of its result pipe: the result (and its questions) go there.
inline constexpr int kResultFd = 3;

/// All of `data` to `fd`, through EINTR and short writes; false once the other end is gone.
/// Both ends of the session programs' pipes write with it.
bool writeAll(int fd, const std::string& data);

/// The session programs' modes (their argv[1]): rdpdoctor-attempt serves attempt and version,
/// rdpdoctor-session every connection mode, rdpdoctor-forms (no FreeRDP) the last three.
inline constexpr const char* kAttemptMode = "attempt";              // headless, up to the goal
inline constexpr const char* kWindowMode = "window";                // the window, until closed
inline constexpr const char* kDisplayMode = "display";              // can a window open here?
inline constexpr const char* kCertificateMode = "ask-certificate";  // the window's message box
inline constexpr const char* kVersionMode = "version";              // the FreeRDP it runs with
inline constexpr const char* kCredentialsMode = "ask-credentials";  // window or keyring
inline constexpr const char* kRememberMode = "remember-password";   // into the keyring
inline constexpr const char* kMessageMode = "message";              // an error's box

/// Where a session program is: $RDPDOCTOR_SESSION_EXE when set and `name` is not
/// rdpdoctor-forms (tests: it serves every connection mode), else
/// <dir of this executable>/../libexec/rdpdoctor/<name> (installed), else
/// <dir of this executable>/<name> (the build tree). `name`: "rdpdoctor-session" (every
/// connection mode), "rdpdoctor-attempt" (attempt and version: the same program without SDL) or
/// "rdpdoctor-forms" (credentials, keyring, message box: SDL2_ttf and libsecret, no FreeRDP).
[[nodiscard]] std::string sessionExecutable(const std::string& name);

struct IsolationOptions {
  std::string sessionExe;  // empty: sessionExecutable() of the mode's program (forms: always)
  /// Beyond the request's own deadline before SIGKILL: the child stops itself at its deadline
  /// (it waits 250 ms for FreeRDP to unwind), so a caller's budget holds within this.
  std::chrono::milliseconds grace{400};
  std::string logLevel = "warn";  // the child's log level (it logs to our stderr)
  /// Set: a connection (attempt or window) with policy Ask that meets a certificate needing
  /// consent asks this on the same connection and goes on with the answer
  /// (certificate_question.hpp); the time it takes does not count against the deadline. Empty:
  /// such a connection fails with the certificate in its Outcome (the caller may ask and connect
  /// again). FreeRDP 2.11's session process never asks (its callback has no certificate dates).
  CertificateAnswerer askCertificate;
  /// Set: called on the connection's request once its session process has been started and
  /// before the order is written, so the caller's last look at the host (connect's X.224
  /// exchange) overlaps the process's start (FreeRDP's libraries loading). It may change the
  /// request (its deadline too: the kill deadline runs from before the process started).
  std::function<void(SessionRequest&)> prepare;
};

/// One headless attempt in a new session process, killed at deadline + grace.
[[nodiscard]] Outcome runIsolated(const SessionRequest& request,
                                  const IsolationOptions& options = {});

/// The window on a live session, in a new session process, until it is closed or the server ends
/// the session (the request's deadline covers the way to the first frame; reconnections after a
/// network drop are the session process's). Returns the session's Outcome.
[[nodiscard]] Outcome runWindow(const SessionRequest& request, const WindowOptions& window,
                                const IsolationOptions& options = {});

/// True when the session process can open a window here (a display is reachable).
[[nodiscard]] bool windowAvailable(std::string& why, const IsolationOptions& options = {});

/// Asks about an unverifiable certificate in the session process's message box (accept once /
/// always / no): for a window started without a terminal. nullopt is "no" (also when the box
/// cannot be shown). `validity`: the line to show for its dates.
[[nodiscard]] std::optional<CertPolicy> askCertificateInWindow(
    const CertificateSeen& seen, const std::string& validity, const IsolationOptions& options = {});

/// What the credentials window (or the keyring) gave.
struct GivenCredentials {
  std::string user;
  std::string domain;
  Secret password;
  bool remember = false;     // the person ticked "remember the password in the keyring"
  bool fromKeyring = false;  // looked up, no window shown
};

/// For a run without a terminal: the password of user@target from the desktop's Secret Service
/// when one is running and holds it (`keyring`), else a window of the session process asking for
/// user name, domain and password (with "remember" when a Secret Service is there). nullopt:
/// cancelled, or no window could open. `note`: an extra line in the window ("" for none).
[[nodiscard]] std::optional<GivenCredentials> askCredentialsInWindow(
    const HostSpec& target, const std::string& user, const std::string& domain, bool keyring,
    const std::string& note, const IsolationOptions& options = {});

/// Keeps the password in the Secret Service (only after the person asked to); false on failure
/// (`why` says why).
bool rememberPasswordInKeyring(const HostSpec& target, const std::string& user,
                               const std::string& domain, const Secret& password, std::string& why,
                               const IsolationOptions& options = {});

/// A message box with `text` (already escaped, lines kept) for a run without a terminal.
void showMessageInWindow(const std::string& title, const std::string& text,
                         const IsolationOptions& options = {});

/// The FreeRDP version the session process runs with ("2.11.7"), "?" when it cannot say.
[[nodiscard]] std::string sessionFreerdpVersion(const IsolationOptions& options = {});

}  // namespace rdpdoctor
