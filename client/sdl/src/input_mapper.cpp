#include "input_mapper.hpp"

#include <freerdp/input.h>

#include <algorithm>

#include "rdpdoctor/sdl/keymap.hpp"

namespace rdpdoctor::sdl {
namespace {

std::uint16_t clampCoord(Sint32 v) { return static_cast<std::uint16_t>(std::clamp<Sint32>(v, 0, 0xFFFF)); }

/// One wheel notch is 120 units (WHEEL_DELTA); negative values are 9-bit two's complement.
std::uint16_t wheelFlags(std::uint16_t base, int notches) {
  const int delta = std::clamp(notches * 120, -255, 255);
  if (delta >= 0) return static_cast<std::uint16_t>(base | (delta & 0xFF));
  return static_cast<std::uint16_t>(base | PTR_FLAGS_WHEEL_NEGATIVE | ((0x200 + delta) & 0xFF));
}

}  // namespace

bool InputMapper::onKey(const SDL_KeyboardEvent& e, InputSink& input) {
  const bool down = e.type == SDL_KEYDOWN;
  const SDL_Keymod mod = SDL_GetModState();
  if (down && e.keysym.scancode == SDL_SCANCODE_RETURN && (mod & KMOD_CTRL) && (mod & KMOD_ALT)) return true;
  const std::uint32_t code = rdpScancodeFor(e.keysym.scancode);
  if (code == 0) return false;
  if (down) {
    held_.insert(code);
  } else {
    held_.erase(code);
  }
  input.key(code, down);
  return false;
}

void InputMapper::onMotion(const SDL_MouseMotionEvent& e, InputSink& input) {
  x_ = clampCoord(e.x);
  y_ = clampCoord(e.y);
  input.mouse(PTR_FLAGS_MOVE, x_, y_);
}

void InputMapper::onButton(const SDL_MouseButtonEvent& e, InputSink& input) {
  const bool down = e.type == SDL_MOUSEBUTTONDOWN;
  x_ = clampCoord(e.x);
  y_ = clampCoord(e.y);
  switch (e.button) {
    case SDL_BUTTON_LEFT: input.mouse(PTR_FLAGS_BUTTON1 | (down ? PTR_FLAGS_DOWN : 0), x_, y_); break;
    case SDL_BUTTON_RIGHT: input.mouse(PTR_FLAGS_BUTTON2 | (down ? PTR_FLAGS_DOWN : 0), x_, y_); break;
    case SDL_BUTTON_MIDDLE: input.mouse(PTR_FLAGS_BUTTON3 | (down ? PTR_FLAGS_DOWN : 0), x_, y_); break;
    case SDL_BUTTON_X1: input.extendedMouse(PTR_XFLAGS_BUTTON1 | (down ? PTR_XFLAGS_DOWN : 0), x_, y_); break;
    case SDL_BUTTON_X2: input.extendedMouse(PTR_XFLAGS_BUTTON2 | (down ? PTR_XFLAGS_DOWN : 0), x_, y_); break;
    default: break;
  }
}

void InputMapper::onWheel(const SDL_MouseWheelEvent& e, InputSink& input) {
  const int sign = e.direction == SDL_MOUSEWHEEL_FLIPPED ? -1 : 1;
  if (e.y != 0) input.mouse(wheelFlags(PTR_FLAGS_WHEEL, sign * e.y), x_, y_);
  if (e.x != 0) input.mouse(wheelFlags(PTR_FLAGS_HWHEEL, sign * e.x), x_, y_);
}

void InputMapper::onFocusLost(InputSink& input) {
  for (auto code : held_) input.key(code, false);
  held_.clear();
}

void InputMapper::onFocusGained(InputSink& input) {
  const SDL_Keymod mod = SDL_GetModState();
  std::uint16_t toggles = 0;
  if (mod & KMOD_CAPS) toggles |= KBD_SYNC_CAPS_LOCK;
  if (mod & KMOD_NUM) toggles |= KBD_SYNC_NUM_LOCK;
  input.focusIn(toggles);
}

}  // namespace rdpdoctor::sdl
