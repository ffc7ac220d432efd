#include "rdpdoctor/core/session.hpp"

#include <arpa/inet.h>
#include <freerdp/error.h>
#include <freerdp/gdi/gdi.h>
#include <freerdp/primitives.h>
#include <freerdp/settings.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <optional>
#include <thread>

#include "freerdp_compat.hpp"
#include "rdpdoctor/core/wlog_bridge.hpp"
#include "rdpdoctor/front/local_crypto.hpp"
#include "session_state.hpp"

namespace rdpdoctor {
namespace {

using Clock = std::chrono::steady_clock;
using detail::SessionState;

/// A private FreeRDP ConfigPath for one attempt (FreeRDP's known_hosts2 lands there, not in HOME).
class PrivateConfigDir {
 public:
  PrivateConfigDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "rdpdoctor-frdp-XXXXXX").string();
    if (::mkdtemp(tmpl.data()) != nullptr) path_ = tmpl;
  }
  ~PrivateConfigDir() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
  }
  PrivateConfigDir(const PrivateConfigDir&) = delete;
  PrivateConfigDir& operator=(const PrivateConfigDir&) = delete;
  [[nodiscard]] const std::string& path() const { return path_; }

 private:
  std::string path_;
};

/// A logon is proven by the server's logon notification, or by a frame after NLA (CredSSP
/// checked the credentials before the session existed). A frame alone proves nothing: xrdp
/// paints its login screen for any password.
std::string logonProof(const SessionState& st) {
  if (st.loggedOn) return "logon-info";
  const auto sel = st.selectedProtocol.load();
  if (st.frames > 0 && sel >= 0 && isNla(static_cast<std::uint32_t>(sel))) return "nla-frame";
  return "";
}

bool goalReached(const SessionState& st, Goal goal) {
  switch (goal) {
    case Goal::Authenticated:
    case Goal::Connected:
      return true;  // freerdp_connect returned TRUE
    case Goal::FirstFrame:
      return st.frames > 0;
    case Goal::LoggedOn: {
      if (!logonProof(st).empty()) return true;
      const auto first = st.firstFrameMs.load();
      return first >= 0 && st.elapsedMs() - first >= st.request->logonGrace.count();
    }
  }
  return false;
}

/// Shuts down this process's sockets, or with `peerPort` only those connected to that port (the
/// window's process also holds its X11 socket). Unblocks a read libfreerdp would otherwise never
/// leave (freerdp_abort_connect alone does not in 2.11).
void shutdownSockets(std::optional<std::uint16_t> peerPort) {
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd", ec)) {
    std::error_code lec;
    const auto target = std::filesystem::read_symlink(entry.path(), lec).string();
    if (lec || target.rfind("socket:", 0) != 0) continue;
    const int fd = std::atoi(entry.path().filename().c_str());
    if (peerPort) {
      sockaddr_storage peer{};
      socklen_t len = sizeof peer;
      if (::getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &len) != 0) continue;
      std::uint16_t port = 0;
      if (peer.ss_family == AF_INET)
        port = ntohs(reinterpret_cast<const sockaddr_in*>(&peer)->sin_port);
      if (peer.ss_family == AF_INET6)
        port = ntohs(reinterpret_cast<const sockaddr_in6*>(&peer)->sin6_port);
      if (port != *peerPort) continue;
    }
    ::shutdown(fd, SHUT_RDWR);
  }
}

/// A new FreeRDP instance for one connection of `st`'s request. Every connection, and every
/// reconnection of a live session, starts from one: a failed connect changes its settings in
/// place. nullptr (and `why`) when FreeRDP refuses.
freerdp* newInstance(SessionState& st, std::string& why) {
  freerdp* instance = freerdp_new();
  if (instance == nullptr) {
    why = "freerdp_new failed";
    return nullptr;
  }
  instance->ContextSize = sizeof(detail::DoctorContext);
  detail::installCallbacks(instance);
  if (!freerdp_context_new(instance)) {
    freerdp_free(instance);
    why = "freerdp_context_new failed";
    return nullptr;
  }
  reinterpret_cast<detail::DoctorContext*>(instance->context)->state = &st;
  const auto& req = *st.request;
  auto applied = applyProfile(req.profile, req.password.reveal(),
                              ConnectOptions{req.goal, st.configDir, req.floor, req.tlsSecretsFile},
                              instance->context->settings);
  if (!applied.ok()) {
    freerdp_context_free(instance);
    freerdp_free(instance);
    why = applied.error().message();
    return nullptr;
  }
  compat::refuseSilentRetry(instance);
  // the in-band certificate question shows the certificate's dates: 3.x hands over the
  // certificate itself (2.11 cannot: the front then asks after the attempt, as before)
  if (req.certificateQuestions && req.askCertificate)
    st.pemCertificates = compat::preferPemCertificates(instance->context->settings);
  return instance;
}

void freeInstance(freerdp* instance) {
  if (auto* st = detail::stateOf(instance->context)) st->desktop.detach();  // before its GDI goes
  freerdp_disconnect(instance);
  if (instance->context && instance->context->gdi) gdi_free(instance);
  freerdp_context_free(instance);
  freerdp_free(instance);
}

/// The server's auto-reconnect cookie (when it gave one) goes with the reconnection, as
/// freerdp_reconnect would present it: the server may then resume the session without a logon.
void keepReconnectCookie(freerdp* from, freerdp* to) {
  const void* cookie =
      freerdp_settings_get_pointer(from->context->settings, FreeRDP_ServerAutoReconnectCookie);
  const void* into =
      freerdp_settings_get_pointer(to->context->settings, FreeRDP_ServerAutoReconnectCookie);
  if (cookie != nullptr && into != nullptr)
    std::memcpy(const_cast<void*>(into), cookie, sizeof(ARC_SC_PRIVATE_PACKET));
}

/// One reconnection attempt with a deadline, on a new instance that replaces `instance`: a
/// watchdog aborts it (and shuts the socket down) when the deadline passes or the window is
/// closed meanwhile.
bool reconnectOnce(freerdp*& instance, SessionState& st) {
  auto& obs = *st.request->observer;
  std::string why;
  freerdp* fresh = newInstance(st, why);
  if (fresh == nullptr) {
    std::lock_guard<std::mutex> lock(st.mutex);
    st.outcome.detail = why;
    return false;
  }
  keepReconnectCookie(instance, fresh);
  freeInstance(instance);  // the dropped connection: its channels and GDI go with it
  instance = fresh;
  std::mutex m;
  std::condition_variable cv;
  bool finished = false;
  std::thread watchdog([&] {
    const auto until = Clock::now() + st.request->deadline;
    std::unique_lock<std::mutex> lock(m);
    while (!finished) {
      if (Clock::now() >= until || !obs.keepRunning() || st.stop) {
        compat::abortConnect(fresh);
        shutdownSockets(st.request->profile.target.port);
        break;
      }
      cv.wait_for(lock, std::chrono::milliseconds(100));
    }
  });
  const bool ok = compat::connect(fresh, false);
  {
    std::lock_guard<std::mutex> lock(m);
    finished = true;
  }
  cv.notify_all();
  watchdog.join();
  return ok && obs.keepRunning() && !st.stop;
}

/// The connection dropped and the server gave no reason (ERRINFO): reconnect, as mstsc does.
bool reconnect(freerdp*& instance, SessionState& st) {
  auto& obs = *st.request->observer;
  const unsigned attempts = st.request->reconnectAttempts;
  if (freerdp_error_info(instance) != 0) return false;  // the server said why: not a network drop
  for (unsigned attempt = 1; attempt <= attempts && obs.keepRunning() && !st.stop; ++attempt) {
    obs.onReconnecting(attempt, attempts);
    if (reconnectOnce(instance, st)) {
      obs.onReconnected();
      return true;
    }
    if (attempt == attempts) break;
    for (auto until = Clock::now() + st.request->reconnectPause;
         Clock::now() < until && obs.keepRunning() && !st.stop;)
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  if (obs.keepRunning() && !st.stop) {
    std::lock_guard<std::mutex> lock(st.mutex);
    st.outcome.connectionLost = true;
    st.outcome.detail = attempts == 0
                            ? std::string("the network connection dropped (reconnecting is off)")
                            : "the network connection dropped and " + std::to_string(attempts) +
                                  " reconnection attempt" + (attempts == 1 ? "" : "s") + " failed";
  }
  return false;
}

/// A live session: events and the window's input until the window closes or the server ends it.
/// A network drop after the goal is followed by reconnection attempts.
bool pumpLive(freerdp*& instance, SessionState& st, Clock::time_point deadline) {
  auto& obs = *st.request->observer;
  while (!st.stop && obs.keepRunning()) {
    if (!st.goalReached && goalReached(st, st.request->goal)) st.goalReached = true;
    if (!st.goalReached && Clock::now() >= deadline) return false;
    bool alive = !compat::shallDisconnect(instance);
    if (alive) {
      HANDLE handles[MAXIMUM_WAIT_OBJECTS] = {};
      DWORD n = freerdp_get_event_handles(instance->context, handles, ARRAYSIZE(handles) - 1);
      if (n == 0) return false;
      handles[n++] = st.input.event();
      if (WaitForMultipleObjects(n, handles, FALSE, 100) == WAIT_FAILED) return false;
      alive =
          st.input.drain(compat::input(instance)) && freerdp_check_event_handles(instance->context);
    }
    if (!alive && (!st.goalReached || !obs.keepRunning() || !reconnect(instance, st))) break;
  }
  return st.goalReached.load();
}

/// After freerdp_connect: pump events until the goal, a disconnect, `stop`, or the deadline.
bool pumpEvents(freerdp*& instance, SessionState& st, Clock::time_point deadline) {
  const auto& req = *st.request;
  if (req.observer != nullptr) return pumpLive(instance, st, deadline);
  std::optional<Clock::time_point> holdUntil;
  while (!st.stop && !compat::shallDisconnect(instance)) {
    if (Clock::now() >= deadline) return goalReached(st, req.goal);
    if (goalReached(st, req.goal)) {
      if (!holdUntil) holdUntil = Clock::now() + req.holdAfterGoal;
      if (Clock::now() >= *holdUntil) return true;
      if (req.untilColour && st.frames > 0 &&
          detail::sampleFrame(instance->context, st.frames).dominantRgb == *req.untilColour)
        return true;
    }
    HANDLE handles[MAXIMUM_WAIT_OBJECTS] = {};
    const DWORD n = freerdp_get_event_handles(instance->context, handles, ARRAYSIZE(handles));
    if (n == 0) return false;
    if (WaitForMultipleObjects(n, handles, FALSE, 100) == WAIT_FAILED) return false;
    if (!freerdp_check_event_handles(instance->context))
      return goalReached(st, req.goal) && holdUntil.has_value();
  }
  return goalReached(st, req.goal) && !st.stop;
}

void fillErrors(freerdp* instance, Outcome& o) {
  o.freerdpError = freerdp_get_last_error(instance->context);
  if (o.freerdpError != 0) {
    auto s = [](const char* p) { return std::string(p ? p : ""); };
    o.freerdpErrorName = s(freerdp_get_last_error_name(o.freerdpError));
    o.freerdpErrorText = s(freerdp_get_last_error_string(o.freerdpError));
    o.freerdpErrorCategory = s(freerdp_get_last_error_category(o.freerdpError));
  }
  o.errinfo = freerdp_error_info(instance);
  constexpr std::uint32_t kErrinfoClass =
      0x10000;  // FREERDP_ERROR_ERRINFO_CLASS: last error carries it
  if (o.errinfo == 0 && (o.freerdpError & 0xFFFF0000u) == kErrinfoClass)
    o.errinfo = o.freerdpError & 0xFFFFu;
  if (o.errinfo != 0) {
    const char* n = freerdp_get_error_info_name(o.errinfo);
    o.errinfoName = n ? n : "";
  }
}

bool tcpRefused(const Profile& p);

/// A failed connect: was it FreeRDP dropping a Confirm that selected a layer below the floor?
/// (Those layers were left disabled, so nothing but the X.224 request went out.)
void noteFloorRefusal(const SessionRequest& req, Outcome& o) {
  const NegotiationSeen seen = negotiationSeen();
  if (!seen.selected && !seen.noNegotiationData) return;
  if (o.selectedProtocol < 0) o.selectedProtocol = seen.noNegotiationData ? 0 : *seen.selected;
  o.noNegotiationData = seen.noNegotiationData;
  const SecurityFloor layer =
      seen.noNegotiationData ? SecurityFloor::Rdp : layerOfSelectedProtocol(*seen.selected);
  if (meetsFloor(layer, req.floor)) return;
  o.belowFloor = true;
  // a host reached over TLS before (our store holds its certificate) that now offers less
  const auto store = req.certStore();
  if (!store) return;
  const auto pinned = CertStore(*store).lookup(pinKey(req.profile.target));
  o.pinnedOverTls = pinned && pinned->has_value();
}

/// The worker: connect, pump, disconnect, free. Owns `instance` (a reconnection replaces it).
void work(freerdp* instance, SessionState* st) {
  const bool connected = compat::connect(instance, st->request->goal == Goal::Authenticated);
  bool ok = connected;
  // the deadline as the certificate question (inside the connect) left it
  if (connected && st->request->goal != Goal::Authenticated && st->request->goal != Goal::Connected)
    ok = pumpEvents(instance, *st, st->deadline());
  {
    std::lock_guard<std::mutex> lock(st->mutex);
    st->outcome.success = ok && !st->stop;
    st->outcome.selectedProtocol = st->selectedProtocol;
    if (st->outcome.selectedProtocol < 0 && st->outcome.certificate)  // negotiation done, TLS began
      st->outcome.selectedProtocol =
          freerdp_settings_get_uint32(instance->context->settings, FreeRDP_SelectedProtocol);
    st->outcome.logonProof = logonProof(*st);
    fillErrors(instance, st->outcome);
    if (st->frames > 0) st->outcome.frame = detail::sampleFrame(instance->context, st->frames);
    if (!connected) noteFloorRefusal(*st->request, st->outcome);
    if (!ok && st->outcome.reached <= Stage::Started && !st->outcome.certificate &&
        st->outcome.freerdpErrorName == "ERRCONNECT_CONNECT_TRANSPORT_FAILED")
      st->outcome.tcpRefused = tcpRefused(st->request->profile);
  }
  st->input.close();
  if (st->request->observer != nullptr) st->request->observer->onEnded();
  freeInstance(instance);
}

/// FreeRDP 2.11 connects without waiting and reports a refused port only as a failed first write
/// (EPIPE, CONNECT_TRANSPORT_FAILED): ask the port once more, with a short deadline.
bool tcpRefused(const Profile& p) {
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  if (::getaddrinfo(p.dialHost().c_str(), std::to_string(p.dialPortNumber()).c_str(), &hints,
                    &res) != 0)
    return false;
  bool refused = res != nullptr;
  for (addrinfo* ai = res; ai != nullptr && refused; ai = ai->ai_next) {
    const int fd =
        ::socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol);
    if (fd < 0) continue;
    int rc = ::connect(fd, ai->ai_addr, ai->ai_addrlen);
    int err = rc == 0 ? 0 : errno;
    if (err == EINPROGRESS) {
      pollfd pfd{fd, POLLOUT, 0};
      err = ETIMEDOUT;
      if (::poll(&pfd, 1, 1000) == 1) {
        socklen_t len = sizeof err;
        ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
      }
    }
    ::close(fd);
    refused = err == ECONNREFUSED;
  }
  ::freeaddrinfo(res);
  return refused;
}

}  // namespace

Outcome runSession(const SessionRequest& request, bool* abandoned) {
  if (abandoned) *abandoned = false;
  if (request.credentialsFirst && compat::connectMaySendCredentialsTwice()) {
    // the credentials alone first (one CredSSP exchange), then the connection on what is left
    SessionRequest auth = request;
    auth.goal = Goal::Authenticated;
    auth.observer = nullptr;
    auth.credentialsFirst = false;
    const auto start = Clock::now();
    Outcome checked = runSession(auth, abandoned);
    if (!checked.success || (abandoned && *abandoned)) return checked;
    SessionRequest rest = request;
    rest.credentialsFirst = false;
    rest.deadline =
        std::max(std::chrono::milliseconds(0),
                 request.deadline -
                     std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start));
    return runSession(rest, abandoned);
  }
  // FreeRDP 2.11 benchmarks its generic against its CPU-optimised pixel primitives the first time
  // a process needs them: ~0.3 s of CPU before every connection (xfreerdp's too), to pick the
  // optimised ones wherever they exist. Ask for those directly (same routines, no benchmark).
  static std::once_flag primitivesChosen;
  std::call_once(primitivesChosen, [] { primitives_set_hints(PRIMITIVES_ONLY_CPU); });
  auto* st = new SessionState();  // deleted below unless the worker is abandoned
  st->request = &request;
  st->start = Clock::now();
  st->outcome.goal = request.goal;

  auto fail = [&](std::string detailText) {
    Outcome o = st->outcome;
    o.detail = std::move(detailText);
    o.elapsedMs = st->elapsedMs();
    delete st;
    return o;
  };

  PrivateConfigDir configDir;
  st->configDir = configDir.path();
  std::string why;
  freerdp* instance = newInstance(*st, why);
  if (instance == nullptr) return fail(why);
  (void)takeWlogTail();
  watchNegotiation();

  auto done = std::make_shared<std::pair<std::mutex, std::condition_variable>>();
  auto finished = std::make_shared<bool>(false);
  std::thread worker([instance, st, done, finished] {
    work(instance, st);
    std::lock_guard<std::mutex> lock(done->first);
    *finished = true;
    done->second.notify_all();
  });

  std::unique_lock<std::mutex> lock(done->first);
  // until `pred` or the deadline; while the front is asked about the certificate the deadline
  // waits (it then moves on by the time the answer took)
  const auto waitForDeadline = [&](const auto& pred) {
    for (;;) {
      if (done->second.wait_until(lock, st->deadline(), pred)) return true;
      if (!st->asking) return false;
      if (done->second.wait_for(lock, std::chrono::milliseconds(100), pred)) return true;
    }
  };
  const auto finishedOrLive = [&] { return *finished || st->goalReached.load(); };
  if (request.observer != nullptr && waitForDeadline(finishedOrLive) && !*finished) {
    done->second.wait(lock, [&] { return *finished; });  // live: the session runs until it ends
  }
  if (!waitForDeadline([&] { return *finished; })) {
    st->stop = true;
    {
      std::lock_guard<std::mutex> sl(st->mutex);
      st->outcome.timedOut = true;
      st->outcome.detail = "deadline of " + std::to_string(request.deadline.count()) + " ms passed";
    }
    compat::abortConnect(instance);
    if (request.ownsProcessSockets) shutdownSockets(std::nullopt);
    // short: the parent's kill grace (IsolationOptions::grace) is only a little longer
    if (!done->second.wait_for(lock, std::chrono::milliseconds(250), [&] { return *finished; })) {
      // libfreerdp ignores the abort (blocking read): leave the worker, the process must exit
      lock.unlock();
      worker.detach();
      if (abandoned) *abandoned = true;
      std::lock_guard<std::mutex> sl(st->mutex);
      Outcome o = st->outcome;
      o.success = false;
      o.elapsedMs = st->elapsedMs();
      o.logTail = takeWlogTail();
      return o;  // st and instance leak on purpose: the worker still uses them
    }
  }
  lock.unlock();
  worker.join();
  Outcome o = st->outcome;
  o.elapsedMs = st->elapsedMs();
  o.logTail = takeWlogTail();
  if (o.timedOut) o.success = false;
  // after freerdp_connect WinPR has tried to load OpenSSL's legacy provider: say what is missing
  if (!o.success && o.reached != Stage::None) o.localCryptoMissing = missingLegacyAlgorithms();
  delete st;
  return o;
}

}  // namespace rdpdoctor
