#include "input_mapper.hpp"

#include <algorithm>

#include "rdpdoctor/core/input_flags.hpp"
#include "rdpdoctor/sdl/keymap.hpp"

namespace rdpdoctor::sdl {
namespace {

std::uint16_t clampCoord(Sint32 v) {
  return static_cast<std::uint16_t>(std::clamp<Sint32>(v, 0, 0xFFFF));
}

/// One wheel notch is 120 units (WHEEL_DELTA); negative values are 9-bit two's complement.
std::uint16_t wheelFlags(std::uint16_t base, int notches) {
  const int delta = std::clamp(notches * 120, -255, 255);
  if (delta >= 0) return static_cast<std::uint16_t>(base | (delta & 0xFF));
  return static_cast<std::uint16_t>(base | input::kPtrWheelNegative | ((0x200 + delta) & 0xFF));
}

}  // namespace

bool InputMapper::onKey(const SDL_KeyboardEvent& e, InputSink& input) {
  const bool down = e.type == SDL_KEYDOWN;
  const SDL_Keymod mod = SDL_GetModState();
  if (down && e.keysym.scancode == SDL_SCANCODE_RETURN && (mod & KMOD_CTRL) && (mod & KMOD_ALT))
    return true;
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
  input.mouse(input::kPtrMove, x_, y_);
}

void InputMapper::onButton(const SDL_MouseButtonEvent& e, InputSink& input) {
  const bool down = e.type == SDL_MOUSEBUTTONDOWN;
  x_ = clampCoord(e.x);
  y_ = clampCoord(e.y);
  switch (e.button) {
    case SDL_BUTTON_LEFT:
      input.mouse(input::kPtrButton1 | (down ? input::kPtrDown : 0), x_, y_);
      break;
    case SDL_BUTTON_RIGHT:
      input.mouse(input::kPtrButton2 | (down ? input::kPtrDown : 0), x_, y_);
      break;
    case SDL_BUTTON_MIDDLE:
      input.mouse(input::kPtrButton3 | (down ? input::kPtrDown : 0), x_, y_);
      break;
    case SDL_BUTTON_X1:
      input.extendedMouse(input::kPtrXButton1 | (down ? input::kPtrXDown : 0), x_, y_);
      break;
    case SDL_BUTTON_X2:
      input.extendedMouse(input::kPtrXButton2 | (down ? input::kPtrXDown : 0), x_, y_);
      break;
    default:
      break;
  }
}

void InputMapper::onWheel(const SDL_MouseWheelEvent& e, InputSink& input) {
  const int sign = e.direction == SDL_MOUSEWHEEL_FLIPPED ? -1 : 1;
  if (e.y != 0) input.mouse(wheelFlags(input::kPtrWheel, sign * e.y), x_, y_);
  if (e.x != 0) input.mouse(wheelFlags(input::kPtrHWheel, sign * e.x), x_, y_);
}

void InputMapper::onFocusLost(InputSink& input) {
  for (auto code : held_) input.key(code, false);
  held_.clear();
}

void InputMapper::onFocusGained(InputSink& input) {
  const SDL_Keymod mod = SDL_GetModState();
  std::uint16_t toggles = 0;
  if (mod & KMOD_CAPS) toggles |= input::kSyncCapsLock;
  if (mod & KMOD_NUM) toggles |= input::kSyncNumLock;
  input.focusIn(toggles);
}

}  // namespace rdpdoctor::sdl
