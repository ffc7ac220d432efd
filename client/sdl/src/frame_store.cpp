#include "frame_store.hpp"

#include <algorithm>
#include <cstring>

namespace rdpdoctor::sdl {

bool FrameStore::write(const std::uint8_t* bgrx, std::uint32_t stride, std::uint32_t width, std::uint32_t height,
                       DirtyRect d) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (width != width_ || height != height_) {  // a resized desktop: everything is dirty
    width_ = width;
    height_ = height;
    pixels_.assign(static_cast<std::size_t>(width) * height * 4, 0);
    d = {0, 0, width, height};
  }
  d.w = std::min(d.w, width_ - std::min(d.x, width_));
  d.h = std::min(d.h, height_ - std::min(d.y, height_));
  for (std::uint32_t row = d.y; row < d.y + d.h; ++row)
    std::memcpy(pixels_.data() + (static_cast<std::size_t>(row) * width_ + d.x) * 4,
                bgrx + static_cast<std::size_t>(row) * stride + static_cast<std::size_t>(d.x) * 4,
                static_cast<std::size_t>(d.w) * 4);
  if (!pending_ || dirty_.w == 0) {
    dirty_ = d;
  } else {  // union of the rectangles not yet uploaded
    const auto x0 = std::min(dirty_.x, d.x), y0 = std::min(dirty_.y, d.y);
    const auto x1 = std::max(dirty_.x + dirty_.w, d.x + d.w), y1 = std::max(dirty_.y + dirty_.h, d.y + d.h);
    dirty_ = {x0, y0, x1 - x0, y1 - y0};
  }
  const bool wake = !pending_;
  pending_ = true;
  return wake;
}

}  // namespace rdpdoctor::sdl
