#pragma once
// A FreeRDP session (headless, or live under a window) that connects one Profile up to a Goal and
// returns an Outcome. Its own deadline aborts it: FreeRDP alone waits forever on a server that
// accepts TCP and never answers. Run it in a session process (client/session, session_process.hpp)
// when the host may be hostile: a connection that ignores the abort leaves a worker thread behind
// that only process exit ends.
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "rdpdoctor/core/settings_mapper.hpp"
#include "rdpdoctor/front/session_request.hpp"
#include "rdpdoctor/outcome.hpp"
#include "rdpdoctor/profile.hpp"

struct rdp_input;

namespace rdpdoctor {

/// Input to a live session, usable from any thread while the session runs (FreeRDP serialises
/// writes to the transport). Calls after the session ended are ignored.
class InputSink {
 public:
  virtual ~InputSink() = default;
  /// An RDP scancode (MAKE_RDP_SCANCODE: code | 0x100 when extended).
  virtual void key(std::uint32_t rdpScancode, bool down) = 0;
  /// PTR_FLAGS_* (move, buttons, wheel) at desktop coordinates.
  virtual void mouse(std::uint16_t flags, std::uint16_t x, std::uint16_t y) = 0;
  /// PTR_XFLAGS_* (buttons 4 and 5).
  virtual void extendedMouse(std::uint16_t flags, std::uint16_t x, std::uint16_t y) = 0;
  /// Keyboard toggle states (scroll/num/caps/kana lock) after focus returns.
  virtual void focusIn(std::uint16_t toggleStates) = 0;
  /// The local clipboard now holds this text (UTF-8): offered to the server (cliprdr).
  virtual void clipboardText(std::string utf8) = 0;
  /// The window now has this size: asks the server for a desktop of that size (display control
  /// channel, even width, 200..8192). Servers without the channel keep theirs (the window scales).
  virtual void resizeDesktop(std::uint32_t width, std::uint32_t height) = 0;
};

struct DirtyRect {
  std::uint32_t x = 0, y = 0, w = 0, h = 0;
};

/// The live desktop, read in place in FreeRDP's GDI buffer (no copy of it anywhere), from any
/// thread. The same object for the whole session, reconnections included.
class DesktopView {
 public:
  /// `bgrx`: BGRX32 pixels, `stride` bytes a row, `width` x `height`.
  using Reader = std::function<void(const std::uint8_t* bgrx, std::uint32_t stride,
                                    std::uint32_t width, std::uint32_t height)>;
  virtual ~DesktopView() = default;
  /// Calls `reader` with the desktop locked: the session thread does not paint meanwhile (keep
  /// it short). False, and `reader` not called, while no connection has a desktop.
  virtual bool read(const Reader& reader) = 0;
};

/// A front end watching a live session (client/sdl). Called on the session's thread.
class SessionObserver {
 public:
  virtual ~SessionObserver() = default;
  /// `desktop` stays valid until onEnded() returns (call it from the observer's own thread only
  /// until then, never from inside onFrame).
  virtual void onConnected(InputSink& input, DesktopView& desktop, std::uint32_t width,
                           std::uint32_t height) = 0;
  /// Just before onConnected: the layer the server selected (MS-RDPBCGR selectedProtocol).
  virtual void onSecurityNegotiated(std::uint32_t selectedProtocol) { (void)selectedProtocol; }
  /// The desktop (now `width` x `height`) changed inside `dirty`: read it through the
  /// DesktopView. Called while the session holds the desktop's lock.
  virtual void onFrame(std::uint32_t width, std::uint32_t height, DirtyRect dirty) = 0;
  /// Polled between events: false ends the session (the window was closed).
  [[nodiscard]] virtual bool keepRunning() = 0;
  /// The session is over (input and the desktop view are no longer valid once it returns).
  virtual void onEnded() = 0;
  /// The server's clipboard now holds this text (UTF-8). Called on a channel thread.
  virtual void onRemoteClipboard(std::string utf8) { (void)utf8; }
  /// The connection dropped without the server saying why (no ERRINFO): reconnecting, attempt
  /// `attempt` of `attempts`. Then either onReconnected() or, after the last attempt, onEnded().
  virtual void onReconnecting(unsigned attempt, unsigned attempts) {
    (void)attempt, (void)attempts;
  }
  virtual void onReconnected() {}
  /// The server changed the desktop size (frames of the new size follow).
  virtual void onDesktopResized(std::uint32_t width, std::uint32_t height) {
    (void)width, (void)height;
  }
  /// The server's pointer: `argb` (ARGB8888, width*height pixels) with its hotspot; an empty
  /// `argb` hides the pointer; `systemDefault` asks for the local default arrow.
  virtual void onPointer(std::vector<std::uint32_t> argb, std::uint32_t width, std::uint32_t height,
                         std::uint32_t hotX, std::uint32_t hotY, bool systemDefault) {
    (void)argb, (void)width, (void)height, (void)hotX, (void)hotY, (void)systemDefault;
  }
};

/// Connects, waits for the goal (or failure, or the deadline), disconnects, reports.
/// `abandoned` is set when the worker ignored the abort: the caller's process must then exit.
[[nodiscard]] Outcome runSession(const SessionRequest& request, bool* abandoned = nullptr);

}  // namespace rdpdoctor
