#pragma once
// The shared desktop copy between the session thread (writes dirty rectangles) and the SDL
// thread (uploads the union of them to the texture).
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
  /// SDL thread: calls `upload(pixels, pitch, rect)` for the pending dirty union, then clears it.
  template <class F>
  void consume(F&& upload) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (pending_ && dirty_.w > 0 && dirty_.h > 0) {
      const std::uint8_t* first = pixels_.data() + (static_cast<std::size_t>(dirty_.y) * width_ + dirty_.x) * 4;
      upload(first, static_cast<int>(width_ * 4), dirty_);
    }
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
