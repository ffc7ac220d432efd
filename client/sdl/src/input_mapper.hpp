#pragma once
// SDL keyboard/mouse events -> RDP input. Remembers held keys so they are released when the
// window loses focus (no stuck Alt on the server).
#include <SDL2/SDL.h>

#include <set>

#include "rdpdoctor/core/session.hpp"

namespace rdpdoctor::sdl {

class InputMapper {
 public:
  /// Returns true when the event was the fullscreen toggle (Ctrl+Alt+Enter, as in mstsc).
  bool onKey(const SDL_KeyboardEvent& e, InputSink& input);
  void onMotion(const SDL_MouseMotionEvent& e, InputSink& input);
  void onButton(const SDL_MouseButtonEvent& e, InputSink& input);
  void onWheel(const SDL_MouseWheelEvent& e, InputSink& input);
  void onFocusLost(InputSink& input);
  void onFocusGained(InputSink& input);

 private:
  std::set<std::uint32_t> held_;
  std::uint16_t x_ = 0, y_ = 0;
};

}  // namespace rdpdoctor::sdl
