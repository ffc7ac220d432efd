#pragma once
#include <SDL.h>

#include <string>

namespace rdpdoctor::sdl {

/// SDL_SetWindowTitle, plus a UTF-8 _NET_WM_NAME (and WM_NAME) on X11 in any locale.
void setUtf8Title(SDL_Window* window, const std::string& title);

}  // namespace rdpdoctor::sdl
