#pragma once
// The SDL2 window on a live session: SDL owns the calling (main) thread, the RDP session runs on
// its own thread; they talk through the observer callbacks, a shared frame buffer and
// SDL_PushEvent. The desktop goes from the GDI buffer into the X11 window (1:1) or the window's
// surface (scaled, Wayland); only dirty rectangles are pushed.
#include <optional>
#include <string>

#include "rdpdoctor/core/session.hpp"

namespace rdpdoctor::sdl {

struct ViewerOptions {
  std::string title;  // "alice@host — rdpdoctor": the negotiated layer is added once known
  std::string note;   // short, after the layer: "changed by rdpdoctor" (details in the terminal)
  bool fullscreen = false;
};

/// True when SDL can open a window here (a display is reachable).
[[nodiscard]] bool displayAvailable(std::string& why);

/// Asks about an unverifiable certificate in a message box (accept once / always / no); nullopt
/// is "no" (also when the box cannot be shown). `validity`: the line to show for its dates.
[[nodiscard]] std::optional<CertPolicy> askCertificate(const CertificateSeen& c,
                                                       const std::string& validity);

/// Runs the window until it is closed or the server ends the session; returns the session's
/// Outcome (request.observer is set by this function).
[[nodiscard]] Outcome runViewer(SessionRequest request, const ViewerOptions& options);

}  // namespace rdpdoctor::sdl
