#include "rdpdoctor/front/session_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>

#include "rdpdoctor/front/local_crypto.hpp"
#include "rdpdoctor/text_safety.hpp"

extern char** environ;

namespace rdpdoctor {

bool writeAll(int fd, const std::string& data) {
  size_t off = 0;
  while (off < data.size()) {
    const ssize_t n = ::write(fd, data.data() + off, data.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    off += static_cast<size_t>(n);
  }
  return true;
}

namespace {

using Clock = std::chrono::steady_clock;

struct Child {
  pid_t pid = -1;
  int requestFd = -1;
  int resultFd = -1;
};

/// The modes of rdpdoctor-forms (no FreeRDP): the windows and the keyring of a run without a
/// terminal.
bool isFormsMode(const char* mode) {
  return std::strcmp(mode, kCredentialsMode) == 0 || std::strcmp(mode, kRememberMode) == 0 ||
         std::strcmp(mode, kMessageMode) == 0;
}

/// The program that serves `mode` (session_process.hpp).
const char* programOf(const char* mode) {
  if (isFormsMode(mode)) return "rdpdoctor-forms";
  const bool headless =
      std::strcmp(mode, kAttemptMode) == 0 || std::strcmp(mode, kVersionMode) == 0;
  return headless ? "rdpdoctor-attempt" : "rdpdoctor-session";
}

Result<Child> spawnChild(const std::string& exe, const char* mode) {
  int in[2], out[2];
  if (::pipe2(in, O_CLOEXEC) != 0)
    return makeError("io", "pipe failed").because(std::strerror(errno));
  if (::pipe2(out, O_CLOEXEC) != 0) {
    ::close(in[0]);
    ::close(in[1]);
    return makeError("io", "pipe failed").because(std::strerror(errno));
  }
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, in[0], STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&fa, out[1], kResultFd);
  std::string arg0 = programOf(mode), arg1 = mode;
  char* argv[] = {arg0.data(), arg1.data(), nullptr};
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, exe.c_str(), &fa, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&fa);
  ::close(in[0]);
  ::close(out[1]);
  if (rc != 0) {
    ::close(in[1]);
    ::close(out[0]);
    return makeError("io", "cannot start the session process " + exe).because(std::strerror(rc));
  }
  return Child{pid, in[1], out[0]};
}

/// At most this many questions are answered per process (it asks once; a second one is a bug or
/// a hostile process): the rest get "no" without asking anyone.
constexpr std::size_t kMaxQuestions = 2;

/// The question frames at the front of `buf` (certificate_question.hpp): each complete one is
/// taken out of `buf` and answered on `requestFd` (a malformed one gets "no", nobody asked); the
/// deadline moves on by the time each answer took. Returns false once `buf` holds the result
/// (no frame can follow), true while more bytes may still be a frame.
bool answerFrames(std::string& buf, const CertificateAnswerer& answer, int requestFd,
                  std::size_t& questions, std::optional<Clock::time_point>& deadline,
                  Clock::duration& waited) {
  for (;;) {
    const std::size_t n = std::min(buf.size(), kQuestionMark.size());
    if (buf.compare(0, n, kQuestionMark, 0, n) != 0) return false;  // the result
    const auto nl = buf.find('\n');
    if (nl == std::string::npos) return buf.size() <= kMaxQuestionBytes;  // more to come
    const std::string line = buf.substr(0, nl);
    buf.erase(0, nl + 1);
    const auto q = decodeQuestion(line);
    std::optional<CertPolicy> a;
    if (q && ++questions <= kMaxQuestions) {
      const auto asked = Clock::now();
      a = answer(*q);
      const auto took = Clock::now() - asked;
      waited += took;
      if (deadline) *deadline += took;  // a person's time is not the attempt's
    }
    (void)writeAll(requestFd, encodeAnswer(a));  // a process that left does not hear it
  }
}

/// Reads the child's result pipe until EOF or the deadline (none: until EOF). With `answer`,
/// the question frames before the result are answered on `requestFd` and are not part of it.
bool readUntil(int fd, std::string& buf, std::optional<Clock::time_point> deadline,
               const CertificateAnswerer* answer, int requestFd, Clock::duration& waited) {
  char chunk[4096];
  bool framing = answer != nullptr && *answer;
  std::size_t questions = 0;
  for (;;) {
    int timeout = -1;
    if (deadline) {
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(*deadline - Clock::now()).count();
      if (left <= 0) return false;
      timeout = static_cast<int>(left);
    }
    pollfd p{fd, POLLIN, 0};
    const int r = ::poll(&p, 1, timeout);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return false;
    const ssize_t n = ::read(fd, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return true;  // EOF
    buf.append(chunk, static_cast<size_t>(n));
    if (framing) framing = answerFrames(buf, *answer, requestFd, questions, deadline, waited);
  }
}

/// While a window runs: SIGTERM, SIGINT and SIGHUP sent to this process close the window (the
/// session process ends the session, reports, exits) instead of ending us before the report.
volatile sig_atomic_t gWindowPid = 0;

void forwardToWindow(int sig) {
  if (gWindowPid > 0) ::kill(static_cast<pid_t>(gWindowPid), sig);
}

class ForwardSignals {
 public:
  explicit ForwardSignals(pid_t child) {
    gWindowPid = child;
    struct sigaction sa {};
    sa.sa_handler = forwardToWindow;
    sigemptyset(&sa.sa_mask);
    for (std::size_t i = 0; i < kSignals.size(); ++i) ::sigaction(kSignals[i], &sa, &old_[i]);
  }
  ~ForwardSignals() {
    for (std::size_t i = 0; i < kSignals.size(); ++i) ::sigaction(kSignals[i], &old_[i], nullptr);
    gWindowPid = 0;
  }
  ForwardSignals(const ForwardSignals&) = delete;
  ForwardSignals& operator=(const ForwardSignals&) = delete;

 private:
  static constexpr std::array<int, 3> kSignals{SIGTERM, SIGINT, SIGHUP};
  std::array<struct sigaction, 3> old_{};
};

/// One exchange with a session process: the order in, the result out.
struct Exchange {
  std::string startError;  // the process could not be started
  bool complete = false;   // its result pipe reached EOF before the deadline
  std::string result;
  int status = 0;            // waitpid's
  Clock::duration waited{};  // a person answering its questions
};

/// With a deadline the child is killed once its result is in (FreeRDP's teardown is not waited
/// for: a caller's budget has no room for it) or the deadline passed; without one (the window, a
/// question to a person) its own exit is waited for.
/// `order` is made once the process runs: what the caller does there overlaps its start.
Exchange exchange(const IsolationOptions& options, const char* mode,
                  const std::function<std::string()>& order,
                  std::optional<Clock::time_point> deadline, bool forwardSignals = false,
                  const CertificateAnswerer* answer = nullptr) {
  Exchange e;
  const std::string exe = !options.sessionExe.empty() && !isFormsMode(mode)
                              ? options.sessionExe
                              : sessionExecutable(programOf(mode));
  auto child = spawnChild(exe, mode);
  if (!child) {
    e.startError = child.error().message();
    return e;
  }
  ::signal(SIGPIPE, SIG_IGN);
  std::optional<ForwardSignals> forwarding;
  if (forwardSignals) forwarding.emplace(child->pid);
  // the order is one line; with questions to answer stdin stays open for the answers
  const bool asks = answer != nullptr && *answer;
  const bool sent = writeAll(child->requestFd, order() + "\n");
  if (!asks) ::close(child->requestFd);
  e.complete =
      sent && readUntil(child->resultFd, e.result, deadline, answer, child->requestFd, e.waited);
  if (asks) ::close(child->requestFd);
  ::close(child->resultFd);
  if (deadline && (!e.complete || ::waitpid(child->pid, &e.status, WNOHANG) != child->pid))
    ::kill(child->pid, SIGKILL);
  while (::waitpid(child->pid, &e.status, 0) < 0 && errno == EINTR) {
  }
  return e;
}

Exchange exchange(const IsolationOptions& options, const char* mode, const std::string& order,
                  std::optional<Clock::time_point> deadline) {
  return exchange(
      options, mode, [&] { return order; }, deadline);
}

Outcome outcomeOf(const Exchange& e, const SessionRequest& request, Clock::time_point start) {
  Outcome o;
  o.goal = request.goal;
  if (!e.startError.empty()) {
    o.detail = e.startError;
    o.notStarted = true;
    return o;
  }
  if (e.complete && !e.result.empty()) {
    try {
      auto parsed = nlohmann::json::parse(e.result).get<Outcome>();
      parsed.answerWaitMs = std::chrono::duration_cast<std::chrono::milliseconds>(e.waited).count();
      return parsed;
    } catch (const std::exception& ex) {
      o.detail = std::string("session process wrote a broken result: ") + ex.what();
    }
  }
  o.elapsedMs = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
  if (!e.complete) {
    o.timedOut = true;
    o.detail = "attempt process killed after the deadline of " +
               std::to_string(request.deadline.count()) + " ms";
  } else if (WIFSIGNALED(e.status)) {
    o.crashed = true;
    o.detail = std::string("attempt process died: ") + strsignal(WTERMSIG(e.status));
    // FreeRDP 2.11's NTLM dies without RC4/MD4: this machine's OpenSSL answers for the child
    o.localCryptoMissing = missingLegacyAlgorithms();
  } else if (o.detail.empty()) {
    o.crashed = true;
    o.detail = "attempt process exited with status " + std::to_string(WEXITSTATUS(e.status)) +
               " and no result";
  }
  return o;
}

bool executable(const std::filesystem::path& p) { return ::access(p.c_str(), X_OK) == 0; }

}  // namespace

std::string sessionExecutable(const std::string& name) {
  if (const char* env = std::getenv("RDPDOCTOR_SESSION_EXE");
      env != nullptr && *env != '\0' && name != "rdpdoctor-forms")
    return env;
  std::error_code ec;
  const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  const auto dir = ec ? std::filesystem::path(".") : self.parent_path();
  const auto installed = dir / ".." / "libexec" / "rdpdoctor" / name;
  if (executable(installed)) return installed.lexically_normal().string();
  return (dir / name).string();
}

/// The order, telling the process whether it may ask about a certificate in-band.
std::string orderFor(const SessionRequest& request, const IsolationOptions& options,
                     std::optional<WindowOptions> window) {
  SessionOrder order{request, options.logLevel, std::move(window)};
  // only a policy that asks has questions
  order.request.certificateQuestions =
      options.askCertificate && request.profile.cert == CertPolicy::Ask;
  return encodeSessionOrder(order);
}

namespace {

/// The order of a connection: the request once `options.prepare` (if any) has had its say,
/// while the session process starts.
std::function<std::string()> connectionOrder(SessionRequest& request,
                                             const IsolationOptions& options,
                                             std::optional<WindowOptions> window) {
  return [&request, &options, window = std::move(window)] {
    if (options.prepare) options.prepare(request);
    return orderFor(request, options, window);
  };
}

}  // namespace

Outcome runIsolated(const SessionRequest& request, const IsolationOptions& options) {
  const auto start = Clock::now();
  SessionRequest r = request;
  const auto e = exchange(options, kAttemptMode, connectionOrder(r, options, std::nullopt),
                          start + request.deadline + options.grace, false, &options.askCertificate);
  return outcomeOf(e, r, start);
}

Outcome runWindow(const SessionRequest& request, const WindowOptions& window,
                  const IsolationOptions& options) {
  const auto start = Clock::now();
  SessionRequest r = request;
  const auto e = exchange(options, kWindowMode, connectionOrder(r, options, window), std::nullopt,
                          true, &options.askCertificate);
  return outcomeOf(e, r, start);
}

bool windowAvailable(std::string& why, const IsolationOptions& options) {
  const auto e = exchange(options, kDisplayMode, "{}", Clock::now() + std::chrono::seconds(10));
  if (!e.startError.empty()) {
    why = e.startError;
    return false;
  }
  try {
    const auto j = nlohmann::json::parse(e.result);
    why = j.value("why", "");
    return j.value("available", false);
  } catch (const std::exception&) {
    why = "the session process did not answer";
    return false;
  }
}

std::string sessionFreerdpVersion(const IsolationOptions& options) {
  const auto e = exchange(options, kVersionMode, "{}", Clock::now() + std::chrono::seconds(10));
  try {
    return nlohmann::json::parse(e.result).value("freerdp", "?");
  } catch (const std::exception&) {
    return "?";
  }
}

std::optional<CertPolicy> askCertificateInWindow(const CertificateSeen& seen,
                                                 const std::string& validity,
                                                 const IsolationOptions& options) {
  Outcome carrier;  // CertificateSeen's JSON is the Outcome's "certificate"
  carrier.certificate = seen;
  const nlohmann::json order{{"outcome", carrier}, {"validity", validity}};
  const auto e = exchange(options, kCertificateMode, order.dump(), std::nullopt);
  try {
    const auto j = nlohmann::json::parse(e.result);
    if (!j.contains("choice") || j["choice"].is_null()) return std::nullopt;
    auto choice = parseCertPolicy(j["choice"].get<std::string>());
    if (!choice) return std::nullopt;
    return *choice;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

namespace {

nlohmann::json accountOrder(const HostSpec& target, const std::string& user,
                            const std::string& domain, const IsolationOptions& options) {
  return {{"where", target.display()},
          {"user", user},
          {"domain", domain},
          {"log_level", options.logLevel}};
}

void wipe(std::string& s) { std::fill(s.begin(), s.end(), '\0'); }

}  // namespace

std::optional<GivenCredentials> askCredentialsInWindow(const HostSpec& target,
                                                       const std::string& user,
                                                       const std::string& domain, bool keyring,
                                                       const std::string& note,
                                                       const IsolationOptions& options) {
  auto order = accountOrder(target, user, domain, options);
  order["keyring"] = keyring;
  order["note"] = note;
  auto e = exchange(options, kCredentialsMode, order.dump(), std::nullopt);  // a person answers
  std::optional<GivenCredentials> given;
  try {
    auto j = nlohmann::json::parse(e.result);
    wipe(e.result);
    if (j.contains("answer") && j["answer"].is_object()) {
      auto& a = j["answer"];
      given = GivenCredentials{a.value("user", ""), a.value("domain", ""),
                               Secret(a.value("password", "")), a.value("remember", false),
                               a.value("from", "") == "keyring"};
      a["password"] = "";
      if (given->user.empty() || given->password.empty()) given.reset();
    }
  } catch (const std::exception&) {
    wipe(e.result);
  }
  return given;
}

bool rememberPasswordInKeyring(const HostSpec& target, const std::string& user,
                               const std::string& domain, const Secret& password, std::string& why,
                               const IsolationOptions& options) {
  auto order = accountOrder(target, user, domain, options);
  order["password"] = password.reveal();
  std::string text = order.dump();
  order["password"] = "";
  // the Secret Service may show its own unlock prompt: a person's time, but not forever
  const auto e = exchange(options, kRememberMode, text, Clock::now() + std::chrono::seconds(120));
  wipe(text);
  try {
    const auto j = nlohmann::json::parse(e.result);
    why = j.value("why", "");
    return j.value("stored", false);
  } catch (const std::exception&) {
    why = "the session process did not answer";
    return false;
  }
}

void showMessageInWindow(const std::string& title, const std::string& text,
                         const IsolationOptions& options) {
  const nlohmann::json order{{"title", title}, {"text", text}, {"log_level", options.logLevel}};
  (void)exchange(options, kMessageMode, order.dump(), std::nullopt);
}

}  // namespace rdpdoctor
