#pragma once
// The shared desktop copy between the session thread (writes dirty rectangles) and the SDL
// thread (draws the union of them into the window).
#include <cstdint>
#include <mutex>
#include <vector>

#include "rdpdoctor/core/session.hpp"

namespace rdpdoctor::sdl {

class FrameStore {
 public:
  /// Session thread: copies `dirty` from the GDI surface. True when the SDL thread must be woken.
  bool write(const std::uint8_t* bgrx, std::uint32_t stride, std::uint32_t width, std::uint32_t height,
             DirtyRect dirty);
  /// SDL thread: calls `draw(pixels, pitch, width, height, rect)` with the whole desktop and the
  /// pending dirty union (everything when `all`), then clears it. Nothing before the first frame.
  template <class F>
  void consume(bool all, F&& draw) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (all && width_ > 0 && height_ > 0) dirty_ = {0, 0, width_, height_};
    if ((pending_ || all) && dirty_.w > 0 && dirty_.h > 0)
      draw(pixels_.data(), static_cast<int>(width_ * 4), width_, height_, dirty_);
    pending_ = false;
    dirty_ = {};
  }

 private:
  std::mutex mutex_;
  std::vector<std::uint8_t> pixels_;  // guarded by mutex_
  std::uint32_t width_ = 0, height_ = 0;
  DirtyRect dirty_;
  bool pending_ = false;
};

}  // namespace rdpdoctor::sdl
