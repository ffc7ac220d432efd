// The window's title as a UTF-8 _NET_WM_NAME on X11, whatever the locale: SDL 2.26 converts the
// title to the locale's charset for WM_NAME and skips _NET_WM_NAME when Xlib does not support the
// locale (e.g. LANG=C), so "alice@host — rdpdoctor · TLS" would show as mojibake.
#include "x11_title.hpp"

#include <SDL_syswm.h>
#include <X11/Xatom.h>
#include <X11/Xlib.h>

namespace rdpdoctor::sdl {

void setUtf8Title(SDL_Window* window, const std::string& title) {
  if (window == nullptr) return;
  SDL_SetWindowTitle(window, title.c_str());
  SDL_SysWMinfo info;
  SDL_VERSION(&info.version);
  if (SDL_GetWindowWMInfo(window, &info) != SDL_TRUE || info.subsystem != SDL_SYSWM_X11) return;
  Display* display = info.info.x11.display;
  const ::Window xwindow = info.info.x11.window;
  const Atom netWmName = XInternAtom(display, "_NET_WM_NAME", False);
  const Atom utf8 = XInternAtom(display, "UTF8_STRING", False);
  const auto* bytes = reinterpret_cast<const unsigned char*>(title.data());
  const int length = static_cast<int>(title.size());
  XChangeProperty(display, xwindow, netWmName, utf8, 8, PropModeReplace, bytes, length);
  // WM_NAME too, as UTF8_STRING (ICCCM allows it; window managers and xdotool read it)
  XChangeProperty(display, xwindow, XA_WM_NAME, utf8, 8, PropModeReplace, bytes, length);
  XFlush(display);
}

}  // namespace rdpdoctor::sdl
