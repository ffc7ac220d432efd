#pragma once
// The desktop straight from FreeRDP's GDI buffer into the SDL window's X11 window (XPutImage, as
// xfreerdp draws): SDL's window surface, a second copy of the whole desktop (an XShm segment of
// the window's size), is then never made. Only for a visual whose 32-bit pixels are laid out as the
// GDI's BGRX32 (as SDL's framebuffer, by the visual's masks); otherwise (Wayland, other visuals)
// the window draws through its surface.
#include <SDL.h>

#include <cstdint>

#include "rdpdoctor/sdl/viewport.hpp"

namespace rdpdoctor::sdl {

class X11Put {
 public:
  X11Put() = default;
  ~X11Put();
  X11Put(const X11Put&) = delete;
  X11Put& operator=(const X11Put&) = delete;

  /// True when `window` is an X11 window whose visual takes the GDI's pixels as they are.
  bool attach(SDL_Window* window);
  [[nodiscard]] bool attached() const { return gc_ != nullptr; }
  /// Puts `area` of the desktop (`pixels`, `stride` bytes a row, w x h) at the same place in the
  /// window (1:1, the window has the desktop's size).
  void put(const std::uint8_t* pixels, int stride, int w, int h, const PixelRect& area) const;

 private:
  void* display_ = nullptr;  // Display*, Visual*, GC: Xlib's types stay in the .cpp
  unsigned long window_ = 0;
  void* visual_ = nullptr;
  int depth_ = 0;
  void* gc_ = nullptr;
};

}  // namespace rdpdoctor::sdl
