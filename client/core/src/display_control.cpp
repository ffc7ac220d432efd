#include "display_control.hpp"

#include <algorithm>

namespace rdpdoctor::detail {

void DisplayControl::attach(DispClientContext* disp) {
  std::lock_guard<std::mutex> lock(mutex_);
  disp_ = disp;
  caps_ = false;
  if (disp_ != nullptr) {
    disp_->custom = this;
    disp_->DisplayControlCaps = onCaps;
  }
}

void DisplayControl::detach() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (disp_ != nullptr) disp_->custom = nullptr;
  disp_ = nullptr;
  caps_ = false;
}

UINT DisplayControl::onCaps(DispClientContext* disp, UINT32 /*maxMonitors*/, UINT32 /*maxA*/, UINT32 /*maxB*/) {
  auto* self = disp ? static_cast<DisplayControl*>(disp->custom) : nullptr;
  if (self == nullptr) return CHANNEL_RC_OK;
  std::lock_guard<std::mutex> lock(self->mutex_);
  self->caps_ = true;
  if (self->pending_) {
    const auto [w, h] = *self->pending_;
    self->pending_.reset();
    self->sendLocked(w, h);
  }
  return CHANNEL_RC_OK;
}

void DisplayControl::request(std::uint32_t width, std::uint32_t height) {
  width = std::clamp<std::uint32_t>(width & ~1u, DISPLAY_CONTROL_MIN_MONITOR_WIDTH, DISPLAY_CONTROL_MAX_MONITOR_WIDTH);
  height = std::clamp<std::uint32_t>(height, DISPLAY_CONTROL_MIN_MONITOR_HEIGHT, DISPLAY_CONTROL_MAX_MONITOR_HEIGHT);
  std::lock_guard<std::mutex> lock(mutex_);
  if (disp_ == nullptr || !caps_) {
    pending_ = std::make_pair(width, height);
    return;
  }
  sendLocked(width, height);
}

void DisplayControl::sendLocked(std::uint32_t width, std::uint32_t height) {
  if (disp_ == nullptr || disp_->SendMonitorLayout == nullptr) return;
  DISPLAY_CONTROL_MONITOR_LAYOUT layout{};
  layout.Flags = DISPLAY_CONTROL_MONITOR_PRIMARY;
  layout.Width = width;
  layout.Height = height;
  layout.Orientation = ORIENTATION_LANDSCAPE;
  layout.DesktopScaleFactor = 100;
  layout.DeviceScaleFactor = 100;
  (void)disp_->SendMonitorLayout(disp_, 1, &layout);
}

}  // namespace rdpdoctor::detail
