#include "dirty_region.hpp"

#include <algorithm>

namespace rdpdoctor::sdl {

bool DirtyRegion::add(std::uint32_t width, std::uint32_t height, DirtyRect d) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (width != width_ || height != height_) {  // a resized desktop: everything is dirty
    width_ = width;
    height_ = height;
    d = {0, 0, width, height};
    pending_ = false;
  }
  d.x = std::min(d.x, width_);
  d.y = std::min(d.y, height_);
  d.w = std::min(d.w, width_ - d.x);
  d.h = std::min(d.h, height_ - d.y);
  if (d.w == 0 || d.h == 0) return false;
  if (!pending_) {
    dirty_ = d;
  } else {  // union of the rectangles not yet drawn
    const auto x0 = std::min(dirty_.x, d.x), y0 = std::min(dirty_.y, d.y);
    const auto x1 = std::max(dirty_.x + dirty_.w, d.x + d.w);
    const auto y1 = std::max(dirty_.y + dirty_.h, d.y + d.h);
    dirty_ = {x0, y0, x1 - x0, y1 - y0};
  }
  const bool wake = !pending_;
  pending_ = true;
  return wake;
}

DirtyRect DirtyRegion::take() {
  std::lock_guard<std::mutex> lock(mutex_);
  const DirtyRect d = pending_ ? dirty_ : DirtyRect{};
  pending_ = false;
  dirty_ = {};
  return d;
}

}  // namespace rdpdoctor::sdl
