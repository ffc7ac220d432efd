#include "x11_put.hpp"

#include <SDL_syswm.h>
#include <X11/Xlib.h>
#include <X11/Xutil.h>

namespace rdpdoctor::sdl {
namespace {

/// 32 bits a pixel at `depth` (the layout XPutImage expects for a ZPixmap of that depth).
bool thirtyTwoBitPixels(Display* display, int depth) {
  int count = 0;
  XPixmapFormatValues* formats = XListPixmapFormats(display, &count);
  bool found = false;
  for (int i = 0; i < count; ++i)
    if (formats[i].depth == depth) found = formats[i].bits_per_pixel == 32;
  if (formats != nullptr) XFree(formats);
  return found;
}

}  // namespace

X11Put::~X11Put() {
  if (gc_ != nullptr) XFreeGC(static_cast<Display*>(display_), static_cast<GC>(gc_));
}

bool X11Put::attach(SDL_Window* window) {
  SDL_SysWMinfo info;
  SDL_VERSION(&info.version);
  if (window == nullptr || SDL_GetWindowWMInfo(window, &info) != SDL_TRUE ||
      info.subsystem != SDL_SYSWM_X11)
    return false;
  Display* display = info.info.x11.display;
  XWindowAttributes attrs{};
  if (XGetWindowAttributes(display, info.info.x11.window, &attrs) == 0 || attrs.visual == nullptr)
    return false;
  const Visual* v = attrs.visual;
  // the GDI's BGRX32: one little-endian 32-bit word a pixel, red in bits 16-23 (SDL's own
  // framebuffer takes any visual by its masks: Xvfb's default one at depth 24 is DirectColor)
  if ((v->c_class != TrueColor && v->c_class != DirectColor) || v->red_mask != 0xFF0000 ||
      v->green_mask != 0x00FF00 || v->blue_mask != 0x0000FF ||
      (attrs.depth != 24 && attrs.depth != 32) || !thirtyTwoBitPixels(display, attrs.depth))
    return false;
  GC gc = XCreateGC(display, info.info.x11.window, 0, nullptr);
  if (gc == nullptr) return false;
  display_ = display;
  window_ = info.info.x11.window;
  visual_ = attrs.visual;
  depth_ = attrs.depth;
  gc_ = gc;
  return true;
}

void X11Put::put(const std::uint8_t* pixels, int stride, int w, int h,
                 const PixelRect& area) const {
  if (gc_ == nullptr || area.w <= 0 || area.h <= 0) return;
  auto* display = static_cast<Display*>(display_);
  // an image header over the GDI's buffer: Xlib reads the rectangle from it, nothing is copied here
  XImage* image =
      XCreateImage(display, static_cast<Visual*>(visual_), static_cast<unsigned>(depth_), ZPixmap,
                   0, reinterpret_cast<char*>(const_cast<std::uint8_t*>(pixels)),
                   static_cast<unsigned>(w), static_cast<unsigned>(h), 32, stride);
  if (image == nullptr) return;
  image->byte_order = LSBFirst;  // the buffer's order, whatever the server's (Xlib converts)
  XPutImage(display, window_, static_cast<GC>(gc_), image, area.x, area.y, area.x, area.y,
            static_cast<unsigned>(area.w), static_cast<unsigned>(area.h));
  image->data = nullptr;  // the GDI's: not Xlib's to free
  XDestroyImage(image);
  XFlush(display);
}

}  // namespace rdpdoctor::sdl
