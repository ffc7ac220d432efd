#pragma once
// Input from the window's thread, queued and sent on the session's own thread (the pump loop
// wakes on `event()`), so FreeRDP's transport is only ever written from one thread.
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>

#include <freerdp/freerdp.h>

#include "rdpdoctor/core/session.hpp"

namespace rdpdoctor::detail {

class InputQueue final : public InputSink {
 public:
  InputQueue();
  ~InputQueue() override;
  InputQueue(const InputQueue&) = delete;
  InputQueue& operator=(const InputQueue&) = delete;

  void key(std::uint32_t rdpScancode, bool down) override;
  void mouse(std::uint16_t flags, std::uint16_t x, std::uint16_t y) override;
  void extendedMouse(std::uint16_t flags, std::uint16_t x, std::uint16_t y) override;
  void focusIn(std::uint16_t toggleStates) override;
  void clipboardText(std::string utf8) override;
  void resizeDesktop(std::uint32_t width, std::uint32_t height) override;
  /// Where clipboard text goes when drained (set before the session runs).
  std::function<void(std::string)> onClipboard;
  /// Where desktop size requests go when drained (the display control channel).
  std::function<void(std::uint32_t, std::uint32_t)> onResize;

  [[nodiscard]] HANDLE event() const { return event_; }
  /// Sends everything queued (session thread only). False when FreeRDP refused a write.
  bool drain(rdpInput* input);
  /// After the session: later calls are dropped.
  void close();

 private:
  enum class Kind { Key, Mouse, ExtendedMouse, Focus, Clipboard, Resize };
  struct Item {
    Kind kind;
    std::uint32_t a;
    std::uint16_t flags, x, y;
    std::string text;
  };
  void push(Item item);

  std::mutex mutex_;
  std::deque<Item> items_;  // guarded by mutex_
  bool closed_ = false;     // guarded by mutex_
  HANDLE event_;
};

}  // namespace rdpdoctor::detail
