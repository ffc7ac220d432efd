// Live sessions: the server's pointer shapes (MS-RDPBCGR 2.2.9.1.1.4), converted to ARGB8888 once
// when the server defines them and handed to the observer when the server selects them.
#include <freerdp/codec/color.h>
#include <freerdp/gdi/gdi.h>
#include <freerdp/graphics.h>

#include <cstring>
#include <memory>
#include <vector>

#include "freerdp_compat.hpp"
#include "session_state.hpp"

namespace rdpdoctor::detail {
namespace {

/// FreeRDP allocates `size` bytes per pointer and copies the prototype: base must stay first.
struct ShapedPointer {
  rdpPointer base;
  std::vector<std::uint32_t>* argb;  // owned; freed in pointerFree
};

SessionObserver* observerOf(rdpContext* context) {
  auto* st = stateOf(context);
  return st && st->request ? st->request->observer : nullptr;
}

BOOL pointerNew(rdpContext* context, rdpPointer* pointer) noexcept {
  auto* p = reinterpret_cast<ShapedPointer*>(pointer);
  p->argb = nullptr;
  if (context == nullptr || context->gdi == nullptr || pointer->width == 0 ||
      pointer->height == 0 || pointer->width > 384 || pointer->height > 384)
    return TRUE;  // an empty or absurd shape: shown as the default arrow
  try {
    auto pixels = std::make_unique<std::vector<std::uint32_t>>(
        static_cast<std::size_t>(pointer->width) * pointer->height);
    // BGRA32 in memory is 0xAARRGGBB in a little-endian word: SDL's ARGB8888
    if (!freerdp_image_copy_from_pointer_data(
            reinterpret_cast<BYTE*>(pixels->data()), PIXEL_FORMAT_BGRA32, 0, 0, 0, pointer->width,
            pointer->height, pointer->xorMaskData, pointer->lengthXorMask, pointer->andMaskData,
            pointer->lengthAndMask, pointer->xorBpp, &context->gdi->palette))
      return TRUE;
    p->argb = pixels.release();
  } catch (...) {
    p->argb = nullptr;
  }
  return TRUE;
}

void pointerFree(rdpContext* /*context*/, rdpPointer* pointer) noexcept {
  auto* p = reinterpret_cast<ShapedPointer*>(pointer);
  delete p->argb;
  p->argb = nullptr;
}

/// Hands a shape to the live session's observer: `shape` null is the local default arrow, an
/// empty ShapedPointer image hides the pointer.
BOOL tellObserver(rdpContext* context, const rdpPointer* shape, bool systemDefault) noexcept {
  auto* obs = observerOf(context);
  if (obs == nullptr) return TRUE;
  try {
    const auto* p = reinterpret_cast<const ShapedPointer*>(shape);
    if (p == nullptr || p->argb == nullptr) {
      obs->onPointer({}, 0, 0, 0, 0, systemDefault);
    } else {
      obs->onPointer(*p->argb, shape->width, shape->height, shape->xPos, shape->yPos, false);
    }
  } catch (...) {
    return FALSE;
  }
  return TRUE;
}

/// A shape that could not be converted shows as the default arrow.
BOOL pointerSet(rdpContext* context, compat::PointerSetArg pointer) noexcept {
  return tellObserver(context, pointer, true);
}
BOOL pointerSetNull(rdpContext* context) noexcept { return tellObserver(context, nullptr, false); }
BOOL pointerSetDefault(rdpContext* context) noexcept {
  return tellObserver(context, nullptr, true);
}

BOOL pointerSetPosition(rdpContext* /*context*/, UINT32 /*x*/, UINT32 /*y*/) noexcept {
  return TRUE;  // the server moving the local pointer (rare): not followed
}

}  // namespace

void registerPointer(rdpContext* context) {
  rdpPointer prototype;
  std::memset(&prototype, 0, sizeof(prototype));
  prototype.size = sizeof(ShapedPointer);
  prototype.New = pointerNew;
  prototype.Free = pointerFree;
  prototype.Set = pointerSet;
  prototype.SetNull = pointerSetNull;
  prototype.SetDefault = pointerSetDefault;
  prototype.SetPosition = pointerSetPosition;
  graphics_register_pointer(context->graphics, &prototype);
}

}  // namespace rdpdoctor::detail
