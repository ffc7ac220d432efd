#pragma once
// SDL2 scancodes (USB HID usage ids, layout independent) -> RDP scancodes (PC/AT set 1, with
// KBDEXT 0x100 for extended keys). The server applies the keyboard layout, as with mstsc.
#include <cstdint>

namespace rdpdoctor::sdl {

/// 0 when the key has no RDP equivalent.
[[nodiscard]] std::uint32_t rdpScancodeFor(int sdlScancode);

}  // namespace rdpdoctor::sdl
