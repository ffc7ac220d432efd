#pragma once
// Private: the display control channel (MS-RDPEDISP) of a live session. The window asks for a
// desktop size; the request goes out once the server announced its capabilities (the channel
// opens a moment after the session starts). Servers without the channel never call attach().
#include <cstdint>
#include <mutex>
#include <optional>
#include <utility>

#include <freerdp/client/disp.h>

namespace rdpdoctor::detail {

class DisplayControl {
 public:
  /// Channel thread: the channel opened.
  void attach(DispClientContext* disp);
  void detach();
  /// Session thread: the window wants this desktop size (even width, clamped to 200..8192).
  void request(std::uint32_t width, std::uint32_t height);

 private:
  static UINT onCaps(DispClientContext* disp, UINT32 maxMonitors, UINT32 maxA, UINT32 maxB);
  void sendLocked(std::uint32_t width, std::uint32_t height);

  std::mutex mutex_;
  DispClientContext* disp_ = nullptr;  // guarded by mutex_
  bool caps_ = false;                  // guarded by mutex_
  std::optional<std::pair<std::uint32_t, std::uint32_t>> pending_;  // guarded by mutex_
};

}  // namespace rdpdoctor::detail
