#include "gdi_desktop.hpp"

#include <freerdp/gdi/gdi.h>

#include "freerdp_compat.hpp"

namespace rdpdoctor::detail {

UpdateLock::UpdateLock(rdpContext* context) : context_(context) { compat::lockUpdate(context_); }
UpdateLock::~UpdateLock() { compat::unlockUpdate(context_); }

void GdiDesktop::attach(rdpContext* context) {
  std::lock_guard<std::mutex> lock(mutex_);
  context_ = context;
}

void GdiDesktop::detach() {
  std::lock_guard<std::mutex> lock(mutex_);  // waits for a read in progress
  context_ = nullptr;
}

bool GdiDesktop::read(const Reader& reader) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (context_ == nullptr) return false;
  const UpdateLock paint(context_);
  const rdpGdi* gdi = context_->gdi;
  if (gdi == nullptr || gdi->primary_buffer == nullptr || gdi->width <= 0 || gdi->height <= 0)
    return false;
  reader(gdi->primary_buffer, gdi->stride, static_cast<std::uint32_t>(gdi->width),
         static_cast<std::uint32_t>(gdi->height));
  return true;
}

}  // namespace rdpdoctor::detail
