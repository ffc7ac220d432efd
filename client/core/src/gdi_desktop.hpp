#pragma once
// Private: the DesktopView of a live session, FreeRDP's GDI primary buffer read in place under
// the library's update lock (the lock FreeRDP holds from BeginPaint to EndPaint).
#include <freerdp/freerdp.h>

#include <mutex>

#include "rdpdoctor/core/session.hpp"

namespace rdpdoctor::detail {

class GdiDesktop final : public DesktopView {
 public:
  /// PostConnect, after gdi_init: reads now see this connection's desktop.
  void attach(rdpContext* context);
  /// Before the connection's GDI is freed (its instance is replaced or the session ends).
  void detach();
  bool read(const Reader& reader) override;

 private:
  std::mutex mutex_;
  rdpContext* context_ = nullptr;  // guarded by mutex_
};

/// Holds the update lock of `context` for a scope: the session thread's own changes to the GDI
/// buffer outside FreeRDP's paint (a desktop resize) are then never seen half done.
class UpdateLock {
 public:
  explicit UpdateLock(rdpContext* context);
  ~UpdateLock();
  UpdateLock(const UpdateLock&) = delete;
  UpdateLock& operator=(const UpdateLock&) = delete;

 private:
  rdpContext* context_;
};

}  // namespace rdpdoctor::detail
