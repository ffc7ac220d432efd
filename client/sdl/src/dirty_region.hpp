#pragma once
// What changed on the desktop since the window last drew it: a union of rectangles the session
// thread adds to and the SDL thread takes. No pixels: the window reads them in place in the
// session's GDI buffer (DesktopView).
#include <cstdint>
#include <mutex>

#include "rdpdoctor/core/session.hpp"

namespace rdpdoctor::sdl {

class DirtyRegion {
 public:
  /// Session thread: `dirty` changed on a `width` x `height` desktop. True when the SDL thread
  /// must be woken (nothing was pending).
  bool add(std::uint32_t width, std::uint32_t height, DirtyRect dirty);
  /// SDL thread: the pending union (clipped to the desktop last added to), then none. Empty
  /// (w == 0) when nothing changed.
  [[nodiscard]] DirtyRect take();

 private:
  std::mutex mutex_;
  DirtyRect dirty_;  // guarded by mutex_
  std::uint32_t width_ = 0, height_ = 0;
  bool pending_ = false;
};

}  // namespace rdpdoctor::sdl
