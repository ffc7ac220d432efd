// FreeRDP callbacks of the headless session: noexcept trampolines into SessionState.
#include <freerdp/addin.h>
#include <freerdp/channels/cliprdr.h>
#include <freerdp/channels/disp.h>
#include <freerdp/client/channels.h>
#include <freerdp/client/cmdline.h>
#include <freerdp/event.h>
#include <freerdp/gdi/gdi.h>
#include <freerdp/session.h>
#include <freerdp/settings.h>

#include <algorithm>
#include <cstring>
#include <unordered_map>

#include "freerdp_compat.hpp"
#include "rdpdoctor/front/certificate_question.hpp"
#include "session_state.hpp"

namespace rdpdoctor::detail {

void SessionState::mark(Stage s) {
  std::lock_guard<std::mutex> lock(mutex);
  if (static_cast<int>(s) > static_cast<int>(outcome.reached)) outcome.reached = s;
  for (const auto& t : outcome.timeline)
    if (t.stage == s) return;
  outcome.timeline.push_back({s, elapsedMs()});
}

std::int64_t SessionState::elapsedMs() const {
  // the connection's time: a person's time answering the certificate question is not in it
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                               start)
             .count() -
         askedMs.load();
}

namespace {

BOOL onSaveSessionInfo(rdpContext* context, UINT32 type, void* /*data*/) noexcept {
  auto* st = stateOf(context);
  if (st == nullptr) return FALSE;
  if (type <= INFO_TYPE_LOGON_EXTENDED_INF) {
    st->loggedOn = true;
    st->mark(Stage::LoggedOn);
  }
  return TRUE;
}

/// Hands the painted region to a live session's observer, then clears it (as xfreerdp does).
/// Runs inside FreeRDP's EndPaint, under its update lock: the observer reads the pixels later,
/// in place, through the session's DesktopView.
void forwardDirtyRegion(rdpContext* context, SessionObserver& observer) {
  rdpGdi* gdi = context->gdi;
  if (gdi == nullptr || gdi->primary == nullptr || gdi->primary->hdc == nullptr ||
      gdi->primary->hdc->hwnd == nullptr)
    return;
  HGDI_RGN invalid = gdi->primary->hdc->hwnd->invalid;
  if (invalid == nullptr || invalid->null) return;
  const auto clamp = [](INT32 v, INT32 hi) {
    return static_cast<std::uint32_t>(std::max(0, std::min(v, hi)));
  };
  const std::uint32_t x = clamp(invalid->x, gdi->width), y = clamp(invalid->y, gdi->height);
  const std::uint32_t w = clamp(invalid->x + invalid->w, gdi->width) - x;
  const std::uint32_t h = clamp(invalid->y + invalid->h, gdi->height) - y;
  if (w > 0 && h > 0)
    observer.onFrame(static_cast<std::uint32_t>(gdi->width),
                     static_cast<std::uint32_t>(gdi->height), DirtyRect{x, y, w, h});
  invalid->null = TRUE;
  gdi->primary->hdc->hwnd->ninvalid = 0;
}

BOOL onEndPaint(rdpContext* context) noexcept {
  auto* st = stateOf(context);
  if (st == nullptr) return FALSE;
  const BOOL rc = st->gdiEndPaint ? st->gdiEndPaint(context) : TRUE;
  if (st->request->observer != nullptr) {
    try {
      forwardDirtyRegion(context, *st->request->observer);
    } catch (...) {
      return FALSE;
    }
  }
  if (st->frames++ == 0) st->firstFrameMs = st->elapsedMs();
  st->mark(Stage::Frame);
  return rc;
}

/// The server changed the desktop size (after a display control request, or on reactivation).
BOOL onDesktopResize(rdpContext* context) noexcept {
  auto* st = stateOf(context);
  if (st == nullptr || context->gdi == nullptr) return FALSE;
  const auto w = freerdp_settings_get_uint32(context->settings, FreeRDP_DesktopWidth);
  const auto h = freerdp_settings_get_uint32(context->settings, FreeRDP_DesktopHeight);
  {
    const UpdateLock paint(context);  // gdi_resize replaces the buffer the window reads
    if (!gdi_resize(context->gdi, w, h)) return FALSE;
  }
  if (auto* obs = st->request->observer) {
    try {
      obs->onDesktopResized(w, h);
    } catch (...) {
      return FALSE;
    }
  }
  return TRUE;
}

void onChannelConnected(void* context, compat::ChannelConnectedArgs* e) noexcept {
  auto* st = stateOf(static_cast<rdpContext*>(context));
  if (st == nullptr || e == nullptr || st->clipboard == nullptr) return;
  if (std::strcmp(e->name, CLIPRDR_SVC_CHANNEL_NAME) == 0)
    st->clipboard->attach(static_cast<CliprdrClientContext*>(e->pInterface));
  if (std::strcmp(e->name, DISP_DVC_CHANNEL_NAME) == 0)
    st->display.attach(static_cast<DispClientContext*>(e->pInterface));
}

void onChannelDisconnected(void* context, compat::ChannelDisconnectedArgs* e) noexcept {
  auto* st = stateOf(static_cast<rdpContext*>(context));
  if (st == nullptr || e == nullptr || st->clipboard == nullptr) return;
  if (std::strcmp(e->name, CLIPRDR_SVC_CHANNEL_NAME) == 0) st->clipboard->detach();
  if (std::strcmp(e->name, DISP_DVC_CHANNEL_NAME) == 0) st->display.detach();
}

/// Live sessions load the clipboard and display control channels; headless attempts load no
/// channels (faster). PreConnect sets them up; the addins load where the major expects them.
bool prepareChannels(freerdp* instance, SessionState& st) {
  if (st.request->observer == nullptr) return true;
  st.clipboard = std::make_unique<Clipboard>(*st.request->observer);
  st.input.onClipboard = [cb = st.clipboard.get()](std::string text) {
    cb->setLocalText(std::move(text));
  };
  st.input.onResize = [dc = &st.display](std::uint32_t w, std::uint32_t h) { dc->request(w, h); };
  rdpSettings* settings = instance->context->settings;
  if (!freerdp_settings_set_bool(settings, FreeRDP_RedirectClipboard, TRUE)) return false;
  if (!freerdp_settings_set_bool(settings, FreeRDP_SupportDisplayControl, TRUE)) return false;
  // a reconnection presents the server's auto-reconnect cookie when it gave one
  if (!freerdp_settings_set_bool(settings, FreeRDP_AutoReconnectionEnabled,
                                 st.request->reconnectAttempts > 0))
    return false;
  PubSub_SubscribeChannelConnected(instance->context->pubSub, onChannelConnected);
  PubSub_SubscribeChannelDisconnected(instance->context->pubSub, onChannelDisconnected);
  return true;
}

bool gLibraryLoadsChannels = false;  // set once by installCallbacks: the major decides

BOOL onLoadChannels(freerdp* instance) noexcept {
  auto* st = stateOf(instance->context);
  if (st == nullptr) return FALSE;
  if (st->request->observer == nullptr) return TRUE;
  static const int registered =
      freerdp_register_addin_provider(freerdp_channels_load_static_addin_entry, 0);
  (void)registered;  // the channels built into libfreerdp-client (cliprdr, drdynvc, ...)
  return freerdp_client_load_addins(instance->context->channels, instance->context->settings);
}

BOOL onPreConnect(freerdp* instance) noexcept {
  auto* st = stateOf(instance->context);
  if (st == nullptr) return FALSE;
  st->mark(Stage::Started);
  compat::update(instance)->SaveSessionInfo = onSaveSessionInfo;
  try {
    if (!prepareChannels(instance, *st)) return FALSE;
  } catch (...) {
    return FALSE;
  }
  return gLibraryLoadsChannels ? TRUE : onLoadChannels(instance);
}

BOOL onPostConnect(freerdp* instance) noexcept {
  auto* st = stateOf(instance->context);
  if (st == nullptr) return FALSE;
  st->mark(Stage::Connected);
  st->selectedProtocol =
      freerdp_settings_get_uint32(instance->context->settings, FreeRDP_SelectedProtocol);
  if (st->request->goal == Goal::Authenticated) return TRUE;
  if (!gdi_init(instance, PIXEL_FORMAT_BGRX32)) return FALSE;
  rdpUpdate* update = compat::update(instance);
  st->gdiEndPaint = update->EndPaint;
  update->EndPaint = onEndPaint;
  update->DesktopResize = onDesktopResize;
  if (auto* obs = st->request->observer) {
    registerPointer(instance->context);
    st->desktop.attach(instance->context);
    try {
      obs->onSecurityNegotiated(static_cast<std::uint32_t>(st->selectedProtocol.load()));
      obs->onConnected(st->input, st->desktop,
                       static_cast<std::uint32_t>(instance->context->gdi->width),
                       static_cast<std::uint32_t>(instance->context->gdi->height));
    } catch (...) {
      return FALSE;
    }
  }
  return TRUE;
}

/// Consults our trust store in every --cert mode: a matching pin is accepted, a changed one
/// refused unless the policy is Replace; a new certificate is pinned under the store's lock
/// (a pin another process wrote meanwhile wins and is compared as any pin).
void decide(const SessionRequest& request, CertPolicy policy, CertificateSeen& seen) {
  const std::string key = pinKey(request.profile.target);
  auto path = request.certStore();
  auto refuse = [&](const Error& e) {
    seen.decision = CertDecision::StoreError;
    seen.storeError = e.message();
    seen.accepted = false;
  };
  if (!path) return refuse(path.error());
  const CertStore store(*path);
  auto pinned = store.lookup(key);
  if (!pinned) return refuse(pinned.error());
  seen.decision = decideCertificate(policy, *pinned, seen.fingerprint);
  seen.pinnedFingerprint =
      seen.decision != CertDecision::TofuMatch && pinned->has_value() ? **pinned : std::string();
  seen.accepted = accepts(seen.decision);
  if (seen.decision == CertDecision::Replaced) {
    if (auto st = store.remember(key, seen.fingerprint); !st.ok()) refuse(st.error());
  } else if (seen.decision == CertDecision::TofuNew) {
    auto raced = store.pinIfAbsent(key, seen.fingerprint);
    if (!raced) return refuse(raced.error());
    if (raced->has_value()) {  // another process pinned this host first
      seen.decision = decideCertificate(CertPolicy::Tofu, *raced, seen.fingerprint);
      seen.pinnedFingerprint = seen.decision == CertDecision::TofuMatch ? "" : **raced;
      seen.accepted = accepts(seen.decision);
    }
  }
}

/// A certificate that needs consent, and a front that answers in-band: ask it on this
/// connection (once per process; the answer then holds for its other connections), then decide
/// again with the answer as the policy, as the connection the front used to start with it would.
/// The time the answer takes moves the deadline on.
void askFront(SessionState& st, const std::string& validity, CertificateSeen& seen) {
  const auto& request = *st.request;
  if (!st.asked) {
    st.asked = true;
    const auto asked = std::chrono::steady_clock::now();
    st.asking = true;
    try {
      st.answer = request.askCertificate(seen, validity);
    } catch (...) {
      st.answer.reset();
    }
    st.askedMs += std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::steady_clock::now() - asked)
                      .count();
    st.asking = false;
  }
  if (st.answer) decide(request, *st.answer, seen);  // "no": it stays refused, needing consent
}

DWORD onVerifyCertificate(freerdp* instance, const char* host, UINT16 port, const char* commonName,
                          const char* subject, const char* issuer, const char* fingerprint,
                          DWORD flags) noexcept {
  auto* st = stateOf(instance->context);
  if (st == nullptr) return 0;
  try {
    st->mark(Stage::Certificate);
    CertificateSeen seen{host ? host : "",
                         port,
                         commonName ? commonName : "",
                         subject ? subject : "",
                         issuer ? issuer : "",
                         fingerprint ? fingerprint : "",
                         flags,
                         false,
                         CertDecision::None,
                         "",
                         ""};
    std::string validity;
    if (compat::certificateIsPem(flags)) {  // 3.x, asked for it: the certificate itself
      const auto pem = readPemCertificate(seen.fingerprint);
      seen.flags = flags & ~compat::certificateIsPemFlag();
      seen.fingerprint = pem ? pem->fingerprint : "";
      if (!pem) {  // unreadable: no fingerprint to decide on, refused
        std::lock_guard<std::mutex> lock(st->mutex);
        st->outcome.certificate = seen;
        return 0;
      }
      validity = pem->validity;
    }
    decide(*st->request, st->request->profile.cert, seen);
    if (needsConsent(seen.decision) && st->pemCertificates && st->request->askCertificate &&
        !seen.fingerprint.empty())
      askFront(*st, validity, seen);
    std::lock_guard<std::mutex> lock(st->mutex);
    st->outcome.certificate = seen;
    return seen.accepted ? 2 : 0;  // 2: accept for this session only; FreeRDP stores nothing
  } catch (...) {
    return 0;
  }
}

DWORD onVerifyChangedCertificate(freerdp* instance, const char* host, UINT16 port,
                                 const char* commonName, const char* subject, const char* issuer,
                                 const char* fingerprint, const char* /*oldSubject*/,
                                 const char* /*oldIssuer*/, const char* /*oldFingerprint*/,
                                 DWORD flags) noexcept {
  // FreeRDP's own store lives in a private, empty directory: treat as a new certificate.
  return onVerifyCertificate(instance, host, port, commonName, subject, issuer, fingerprint, flags);
}

BOOL onAuthenticate(freerdp* instance, char** username, char** password,
                    char** /*domain*/) noexcept {
  auto* st = stateOf(instance->context);
  // never prompt from inside an attempt: credentials were given up front or not at all
  return st && username && *username && password && *password ? TRUE : FALSE;
}

}  // namespace

void installCallbacks(freerdp* instance) {
  instance->PreConnect = onPreConnect;
  instance->PostConnect = onPostConnect;
  instance->VerifyCertificateEx = onVerifyCertificate;
  instance->VerifyChangedCertificateEx = onVerifyChangedCertificate;
  compat::installAuthenticate(instance, onAuthenticate);
  gLibraryLoadsChannels = compat::installLoadChannels(instance, onLoadChannels);
}

FrameSample sampleFrame(rdpContext* context, std::uint32_t frames) {
  FrameSample f;
  f.frames = frames;
  rdpGdi* gdi = context ? context->gdi : nullptr;
  if (gdi == nullptr || gdi->primary_buffer == nullptr || gdi->width <= 0 || gdi->height <= 0)
    return f;
  f.width = static_cast<std::uint32_t>(gdi->width);
  f.height = static_cast<std::uint32_t>(gdi->height);
  std::unordered_map<std::uint32_t, std::uint32_t> counts;
  std::uint32_t total = 0;
  for (std::uint32_t y = 0; y < f.height; y += 4) {
    const BYTE* row = gdi->primary_buffer + static_cast<size_t>(y) * gdi->stride;
    for (std::uint32_t x = 0; x < f.width; x += 4) {
      const BYTE* px = row + static_cast<size_t>(x) * 4;  // BGRX32
      const std::uint32_t rgb = (static_cast<std::uint32_t>(px[2]) << 16) |
                                (static_cast<std::uint32_t>(px[1]) << 8) | px[0];
      counts[rgb]++;
      total++;
    }
  }
  std::uint32_t best = 0;
  for (const auto& [rgb, n] : counts)
    if (n > best) {
      best = n;
      f.dominantRgb = rgb;
    }
  f.dominantShare = total ? static_cast<double>(best) / total : 0.0;
  return f;
}

}  // namespace rdpdoctor::detail
