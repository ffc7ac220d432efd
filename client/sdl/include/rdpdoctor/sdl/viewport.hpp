#pragma once
// Where the remote desktop sits in the window: 1:1 when the sizes match, otherwise scaled with
// its aspect kept and centred (black bars). Pure arithmetic, shared by drawing and the mouse.
#include <algorithm>
#include <cmath>
#include <utility>

namespace rdpdoctor::sdl {

struct PixelRect {
  int x = 0, y = 0, w = 0, h = 0;
  friend bool operator==(const PixelRect&, const PixelRect&) = default;
};

class Viewport {
 public:
  Viewport() = default;
  Viewport(int desktopW, int desktopH, int windowW, int windowH)
      : dw_(std::max(desktopW, 1)), dh_(std::max(desktopH, 1)), ww_(std::max(windowW, 1)), wh_(std::max(windowH, 1)) {
    const double scale = std::min(static_cast<double>(ww_) / dw_, static_cast<double>(wh_) / dh_);
    iw_ = std::max(1, static_cast<int>(std::lround(dw_ * scale)));
    ih_ = std::max(1, static_cast<int>(std::lround(dh_ * scale)));
    ox_ = (ww_ - iw_) / 2;
    oy_ = (wh_ - ih_) / 2;
  }

  [[nodiscard]] bool identity() const { return dw_ == ww_ && dh_ == wh_; }
  /// The desktop's image inside the window.
  [[nodiscard]] PixelRect image() const { return {ox_, oy_, iw_, ih_}; }

  /// A window pixel on the desktop, by its centre (points on the black bars go to the nearest edge).
  [[nodiscard]] std::pair<int, int> toDesktop(int x, int y) const {
    const int dx = static_cast<int>(std::floor((x - ox_ + 0.5) * static_cast<double>(dw_) / iw_));
    const int dy = static_cast<int>(std::floor((y - oy_ + 0.5) * static_cast<double>(dh_) / ih_));
    return {std::clamp(dx, 0, dw_ - 1), std::clamp(dy, 0, dh_ - 1)};
  }

  /// The window pixels a desktop rectangle covers (rounded outwards, inside the image).
  [[nodiscard]] PixelRect toWindow(const PixelRect& r) const {
    const double sx = static_cast<double>(iw_) / dw_, sy = static_cast<double>(ih_) / dh_;
    const int x0 = std::clamp(static_cast<int>(std::floor(r.x * sx)), 0, iw_);
    const int y0 = std::clamp(static_cast<int>(std::floor(r.y * sy)), 0, ih_);
    const int x1 = std::clamp(static_cast<int>(std::ceil((r.x + r.w) * sx)), 0, iw_);
    const int y1 = std::clamp(static_cast<int>(std::ceil((r.y + r.h) * sy)), 0, ih_);
    return {ox_ + x0, oy_ + y0, x1 - x0, y1 - y0};
  }

 private:
  int dw_ = 1, dh_ = 1, ww_ = 1, wh_ = 1;
  int iw_ = 1, ih_ = 1, ox_ = 0, oy_ = 0;
};

}  // namespace rdpdoctor::sdl
