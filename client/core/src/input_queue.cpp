#include "input_queue.hpp"

#include <winpr/synch.h>

#include "freerdp_compat.hpp"

namespace rdpdoctor::detail {

InputQueue::InputQueue() : event_(CreateEvent(nullptr, TRUE, FALSE, nullptr)) {}

InputQueue::~InputQueue() {
  if (event_ != nullptr) CloseHandle(event_);
}

void InputQueue::push(Item item) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (closed_ || items_.size() > 4096) return;  // a stuck session must not grow without bound
  items_.push_back(item);
  SetEvent(event_);
}

void InputQueue::key(std::uint32_t rdpScancode, bool down) {
  push({Kind::Key, rdpScancode, down ? std::uint16_t{1} : std::uint16_t{0}, 0, 0, {}});
}
void InputQueue::mouse(std::uint16_t flags, std::uint16_t x, std::uint16_t y) {
  push({Kind::Mouse, 0, flags, x, y, {}});
}
void InputQueue::extendedMouse(std::uint16_t flags, std::uint16_t x, std::uint16_t y) {
  push({Kind::ExtendedMouse, 0, flags, x, y, {}});
}
void InputQueue::focusIn(std::uint16_t toggleStates) {
  push({Kind::Focus, 0, toggleStates, 0, 0, {}});
}
void InputQueue::clipboardText(std::string utf8) {
  push({Kind::Clipboard, 0, 0, 0, 0, std::move(utf8)});
}
void InputQueue::resizeDesktop(std::uint32_t width, std::uint32_t height) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (closed_) return;
  for (auto& i : items_)  // only the newest size matters
    if (i.kind == Kind::Resize) {
      i.a = width;
      i.x = static_cast<std::uint16_t>(height);
      return;
    }
  items_.push_back({Kind::Resize, width, 0, static_cast<std::uint16_t>(height), 0, {}});
  SetEvent(event_);
}

bool InputQueue::drain(rdpInput* input) {
  std::deque<Item> batch;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    batch.swap(items_);
    ResetEvent(event_);
  }
  for (const auto& i : batch) {
    BOOL ok = TRUE;
    switch (i.kind) {
      case Kind::Key:
        ok = compat::sendKey(input, i.flags != 0, i.a);
        break;
      case Kind::Mouse:
        ok = freerdp_input_send_mouse_event(input, i.flags, i.x, i.y);
        break;
      case Kind::ExtendedMouse:
        ok = freerdp_input_send_extended_mouse_event(input, i.flags, i.x, i.y);
        break;
      case Kind::Focus:
        ok = freerdp_input_send_focus_in_event(input, i.flags);
        break;
      case Kind::Clipboard:
        if (onClipboard) onClipboard(i.text);
        break;
      case Kind::Resize:
        if (onResize) onResize(i.a, i.x);
        break;
    }
    if (!ok) return false;
  }
  return true;
}

void InputQueue::close() {
  std::lock_guard<std::mutex> lock(mutex_);
  closed_ = true;
  items_.clear();
}

}  // namespace rdpdoctor::detail
