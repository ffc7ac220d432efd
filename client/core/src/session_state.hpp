#pragma once
// Private: the state one session's callbacks share (reached through the extended rdpContext).
#include <freerdp/freerdp.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "clipboard.hpp"
#include "display_control.hpp"
#include "gdi_desktop.hpp"
#include "input_queue.hpp"
#include "rdpdoctor/core/session.hpp"

namespace rdpdoctor::detail {

struct SessionState {
  const SessionRequest* request = nullptr;
  std::string configDir;  // FreeRDP's ConfigPath for every instance of this session
  std::chrono::steady_clock::time_point start;
  std::mutex mutex;
  Outcome outcome;  // guarded by mutex
  pEndPaint gdiEndPaint = nullptr;
  std::atomic<bool> loggedOn{false};
  std::atomic<std::uint32_t> frames{0};
  std::atomic<bool> stop{false};
  std::atomic<std::int64_t> selectedProtocol{-1};
  std::atomic<std::int64_t> firstFrameMs{-1};
  std::atomic<bool> goalReached{false};  // live sessions: the deadline no longer applies
  InputQueue input;                      // live sessions: the window's input
  std::unique_ptr<Clipboard> clipboard;  // live sessions: cliprdr
  DisplayControl display;                // live sessions: the display control channel
  GdiDesktop desktop;                    // live sessions: the window reads the GDI buffer here
  // the certificate question (certificate_question.hpp): asked at most once per process, its
  // answer then holds for every connection of it (reconnections); the time the front took does
  // not count against the deadline
  bool pemCertificates = false;          // the callback gets the certificate itself (3.x)
  std::atomic<bool> asking{false};       // waiting for the front's answer
  std::atomic<std::int64_t> askedMs{0};  // how long the front took
  bool asked = false;                    // worker thread only
  std::optional<CertPolicy> answer;      // worker thread only; nullopt: "no"

  void mark(Stage s);
  /// Since the start, less the time the front took to answer (askedMs).
  [[nodiscard]] std::int64_t elapsedMs() const;
  /// The request's deadline, moved on by the time spent waiting for an answer.
  [[nodiscard]] std::chrono::steady_clock::time_point deadline() const {
    return start + request->deadline + std::chrono::milliseconds(askedMs.load());
  }
};

struct DoctorContext {
  rdpContext base;  // must stay first: FreeRDP allocates ContextSize bytes and casts
  SessionState* state;
};

[[nodiscard]] inline SessionState* stateOf(rdpContext* c) {
  return c ? reinterpret_cast<DoctorContext*>(c)->state : nullptr;
}

/// Installs PreConnect/PostConnect/certificate/authenticate/logon callbacks on `instance`.
void installCallbacks(freerdp* instance);
/// Live sessions: the server's pointer shapes go to the observer (pointer.cpp).
void registerPointer(rdpContext* context);
/// Samples the GDI primary surface: size and dominant colour.
[[nodiscard]] FrameSample sampleFrame(rdpContext* context, std::uint32_t frames);

}  // namespace rdpdoctor::detail
