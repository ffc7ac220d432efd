#include "rdpdoctor/sdl/viewer.hpp"

#include <SDL2/SDL.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <tuple>
#include <vector>

#include "dirty_region.hpp"
#include "input_mapper.hpp"
#include "rdpdoctor/sdl/viewport.hpp"
#include "x11_put.hpp"
#include "x11_title.hpp"

namespace rdpdoctor::sdl {
namespace {

/// The CLI's logger (stderr, --log-level), or spdlog's default one.
std::shared_ptr<spdlog::logger> logger() {
  auto l = spdlog::get("rdpdoctor");
  return l ? l : spdlog::default_logger();
}

struct WindowDeleter {
  void operator()(SDL_Window* w) const { SDL_DestroyWindow(w); }
};
struct CursorDeleter {
  void operator()(SDL_Cursor* c) const { SDL_FreeCursor(c); }
};
struct SurfaceDeleter {
  void operator()(SDL_Surface* s) const { SDL_FreeSurface(s); }
};

/// A pointer shape on its way from the session thread to the SDL thread.
struct PointerShape {
  std::vector<std::uint32_t> argb;
  int width = 0, height = 0, hotX = 0, hotY = 0;
  bool systemDefault = false;
};

/// The session thread's side: dirty rectangles and wake-ups into SDL's queue; the pixels stay in
/// the session's GDI buffer, which the SDL thread reads in place (readDesktop).
class Bridge final : public SessionObserver {
 public:
  explicit Bridge(Uint32 firstEvent)
      : connectedEvent_(firstEvent),
        frameEvent_(firstEvent + 1),
        endedEvent_(firstEvent + 2),
        clipboardEvent_(firstEvent + 3),
        resizedEvent_(firstEvent + 4),
        pointerEvent_(firstEvent + 5),
        reconnectEvent_(firstEvent + 6) {}
  static constexpr int kEvents = 7;

  void onSecurityNegotiated(std::uint32_t selectedProtocol) override {
    selected_ = selectedProtocol;
  }
  void onConnected(InputSink& input, DesktopView& desktop, std::uint32_t width,
                   std::uint32_t height) override {
    input_ = &input;
    {
      std::lock_guard<std::mutex> lock(desktopMutex_);
      desktop_ = &desktop;
    }
    push(connectedEvent_, static_cast<Sint32>(width), static_cast<Sint32>(height));
  }
  void onFrame(std::uint32_t width, std::uint32_t height, DirtyRect dirty) override {
    if (dirty_.add(width, height, dirty)) push(frameEvent_, 0, 0);
  }
  bool keepRunning() override { return running_; }
  void onEnded() override {
    input_ = nullptr;
    {
      std::lock_guard<std::mutex> lock(desktopMutex_);  // waits for a read in progress
      desktop_ = nullptr;
    }
    push(endedEvent_, 0, 0);
  }
  void onRemoteClipboard(std::string utf8) override {
    pushOwned(clipboardEvent_, new std::string(std::move(utf8)));
  }
  void onDesktopResized(std::uint32_t width, std::uint32_t height) override {
    push(resizedEvent_, static_cast<Sint32>(width), static_cast<Sint32>(height));
  }
  void onReconnecting(unsigned attempt, unsigned attempts) override {
    push(reconnectEvent_, static_cast<Sint32>(attempt), static_cast<Sint32>(attempts));
  }
  void onReconnected() override { push(reconnectEvent_, 0, 0); }
  void onPointer(std::vector<std::uint32_t> argb, std::uint32_t width, std::uint32_t height,
                 std::uint32_t hotX, std::uint32_t hotY, bool systemDefault) override {
    pushOwned(pointerEvent_,
              new PointerShape{std::move(argb), static_cast<int>(width), static_cast<int>(height),
                               static_cast<int>(hotX), static_cast<int>(hotY), systemDefault});
  }

  void stop() { running_ = false; }
  [[nodiscard]] InputSink* input() const { return input_.load(); }
  /// The selectedProtocol the server chose (-1 before the connection is up).
  [[nodiscard]] std::int64_t selected() const { return selected_.load(); }
  DirtyRegion& dirty() { return dirty_; }
  /// SDL thread: `reader` on the session's desktop, in place and locked; false when there is none
  /// (not connected yet, or the session is over).
  bool readDesktop(const DesktopView::Reader& reader) {
    std::lock_guard<std::mutex> lock(desktopMutex_);
    return desktop_ != nullptr && desktop_->read(reader);
  }
  /// Frees what an event still owns (events the window never took).
  void release(const SDL_Event& e) const {
    if (e.type == clipboardEvent_) delete static_cast<std::string*>(e.user.data2);
    if (e.type == pointerEvent_) delete static_cast<PointerShape*>(e.user.data2);
  }
  const Uint32 connectedEvent_, frameEvent_, endedEvent_, clipboardEvent_, resizedEvent_,
      pointerEvent_, reconnectEvent_;

 private:
  static void push(Uint32 type, Sint32 a, Sint32 b) {
    SDL_Event e{};
    e.type = type;
    e.user.code = a;
    e.user.data1 = reinterpret_cast<void*>(static_cast<std::intptr_t>(b));
    SDL_PushEvent(&e);
  }
  /// `owned` belongs to the SDL thread once queued.
  void pushOwned(Uint32 type, void* owned) const {
    SDL_Event e{};
    e.type = type;
    e.user.data2 = owned;
    if (SDL_PushEvent(&e) != 1) release(e);
  }
  DirtyRegion dirty_;
  std::mutex desktopMutex_;
  DesktopView* desktop_ = nullptr;  // guarded by desktopMutex_: valid from onConnected to onEnded
  std::atomic<InputSink*> input_{nullptr};
  std::atomic<std::int64_t> selected_{-1};
  std::atomic<bool> running_{true};
};

/// The SDL thread's side: the window, its surface, input. The desktop is drawn straight into the
/// window's surface (XShm on X11), only the changed rectangles are pushed to the display: no GPU
/// context, no texture copy.
class Window {
 public:
  using Clock = std::chrono::steady_clock;
  Window(Bridge& bridge, const ViewerOptions& options) : bridge_(bridge), options_(options) {}

  /// Creates the window hidden, before the session connects: SDL then waits on the X connection
  /// instead of polling every millisecond, and a failed connection never flashes a window.
  bool create(int width, int height) {
    // the window surface by XShm, not an OpenGL texture (llvmpipe without a GPU costs ~90 MB);
    // SDL_FRAMEBUFFER_ACCELERATION in the environment still overrides
    SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
    const Uint32 flags = SDL_WINDOW_HIDDEN | SDL_WINDOW_RESIZABLE;
    window_.reset(SDL_CreateWindow(options_.title.c_str(), SDL_WINDOWPOS_CENTERED,
                                   SDL_WINDOWPOS_CENTERED, std::max(width, 200),
                                   std::max(height, 200), flags));
    if (window_ && x11_.attach(window_.get())) logger()->debug("window: XPutImage from the GDI");
    // keys go to the remote as scancodes and its own keyboard layout composes them: none of them
    // is taken by a local input method (IBus, fcitx, XIM) on its way there
    if (window_) SDL_StopTextInput();
    return window_ != nullptr;
  }

  /// The session is up: the window takes the desktop's size and appears.
  /// A reconnection (a new connection) keeps the window where and as the person left it.
  bool open(int width, int height) {
    const bool shown = window_ && (SDL_GetWindowFlags(window_.get()) & SDL_WINDOW_SHOWN) != 0;
    if (!window_ && !create(width, height)) return false;
    if (!shown) {
      SDL_SetWindowSize(window_.get(), width, height);
      SDL_SetWindowPosition(window_.get(), SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED);
      if (options_.fullscreen)
        SDL_SetWindowFullscreen(window_.get(), SDL_WINDOW_FULLSCREEN_DESKTOP);
    }
    setUtf8Title(window_.get(), title());  // now with the negotiated layer
    SDL_ShowWindow(window_.get());
    desktopW_ = width;
    desktopH_ = height;
    noteWindowSize();
    return true;
  }

  /// Draws what changed since the last call (everything after a resize or an expose), straight
  /// from the session's GDI buffer: 1:1 on X11 into the window itself (x11_put.hpp), else (scaled,
  /// Wayland) into the window's surface. No copy of the desktop between.
  void draw(bool all) {
    if (!window_) return;
    all = all || redrawAll_;
    (void)bridge_.readDesktop(
        [&](const std::uint8_t* pixels, std::uint32_t stride, std::uint32_t w, std::uint32_t h) {
          // taken under the desktop's lock: the session adds none meanwhile, nothing is lost
          const DirtyRect d = bridge_.dirty().take();
          if (w != drawnW_ || h != drawnH_) all = true;  // a new desktop size: bars included
          redrawAll_ = false;
          if (!all && (d.w == 0 || d.h == 0)) return;
          drawnW_ = w;
          drawnH_ = h;
          desktopW_ = static_cast<int>(w);
          desktopH_ = static_cast<int>(h);
          if (x11_.attached() && viewport().identity()) {
            const PixelRect area = all ? PixelRect{0, 0, desktopW_, desktopH_}
                                       : PixelRect{static_cast<int>(d.x), static_cast<int>(d.y),
                                                   static_cast<int>(d.w), static_cast<int>(d.h)};
            x11_.put(pixels, static_cast<int>(stride), desktopW_, desktopH_, area);
            return;
          }
          SDL_Surface* target = SDL_GetWindowSurface(window_.get());
          if (target == nullptr) {
            redrawAll_ = true;  // nothing drawn: everything next time
            return;
          }
          blit(target, pixels, static_cast<int>(stride), d, all);
        });
  }

  /// Blits `d` (everything when `all`) of the desktop `pixels` into the window's surface.
  void blit(SDL_Surface* target, const std::uint8_t* pixels, int pitch, DirtyRect d, bool all) {
    const Viewport view(desktopW_, desktopH_, target->w, target->h);
    std::unique_ptr<SDL_Surface, SurfaceDeleter> source(
        SDL_CreateRGBSurfaceWithFormatFrom(const_cast<std::uint8_t*>(pixels), desktopW_, desktopH_,
                                           32, pitch, SDL_PIXELFORMAT_RGB888));
    if (!source) return;
    PixelRect area{static_cast<int>(d.x), static_cast<int>(d.y), static_cast<int>(d.w),
                   static_cast<int>(d.h)};
    if (all) {
      SDL_FillRect(target, nullptr, SDL_MapRGB(target->format, 0, 0, 0));  // the bars
      area = {0, 0, desktopW_, desktopH_};
    } else if (!view.identity()) {  // scaled: redraw a one-pixel margin so the rounding leaves no
                                    // seams
      const int x0 = std::max(0, area.x - 1), y0 = std::max(0, area.y - 1);
      area = {x0, y0, std::min(desktopW_, area.x + area.w + 1) - x0,
              std::min(desktopH_, area.y + area.h + 1) - y0};
    }
    const PixelRect out = view.toWindow(area);
    SDL_Rect src{area.x, area.y, area.w, area.h};
    SDL_Rect dst{out.x, out.y, out.w, out.h};
    if (view.identity()) {
      SDL_BlitSurface(source.get(), &src, target, &dst);
    } else {
      SDL_BlitScaled(source.get(), &src, target, &dst);
    }
    if (all) {
      SDL_UpdateWindowSurface(window_.get());
    } else {
      SDL_UpdateWindowSurfaceRects(window_.get(), &dst, 1);
    }
  }

  /// Offers the local clipboard text to the server when it changed since the last look.
  void sendLocalClipboard() {
    InputSink* in = bridge_.input();
    if (in == nullptr || !SDL_HasClipboardText()) return;
    char* text = SDL_GetClipboardText();
    if (text == nullptr) return;
    std::string t(text);
    SDL_free(text);
    if (t == lastLocalClipboard_) return;
    lastLocalClipboard_ = t;
    in->clipboardText(std::move(t));
  }

  void toggleFullscreen() {
    if (!window_) return;
    const bool full = (SDL_GetWindowFlags(window_.get()) & SDL_WINDOW_FULLSCREEN_DESKTOP) != 0;
    SDL_SetWindowFullscreen(window_.get(), full ? 0 : SDL_WINDOW_FULLSCREEN_DESKTOP);
  }

  /// How long the loop may sleep: a pending desktop-size request is sent once the window has
  /// kept its size for a moment (a drag sends one request, not hundreds).
  [[nodiscard]] int waitMs() const { return resizeAt_ ? 50 : 250; }
  void tick() {
    if (!resizeAt_ || Clock::now() < *resizeAt_) return;
    resizeAt_.reset();
    InputSink* in = bridge_.input();
    if (in == nullptr || (windowW_ == desktopW_ && windowH_ == desktopH_)) return;
    in->resizeDesktop(static_cast<std::uint32_t>(windowW_), static_cast<std::uint32_t>(windowH_));
  }

  /// One SDL event; false when the loop should end.
  bool handle(const SDL_Event& e) {
    if (e.type == bridge_.connectedEvent_) {
      if (!open(e.user.code, static_cast<int>(reinterpret_cast<std::intptr_t>(e.user.data1))))
        return false;
      sendLocalClipboard();
      return true;
    }
    if (e.type == bridge_.clipboardEvent_) {
      std::unique_ptr<std::string> text(static_cast<std::string*>(e.user.data2));
      SDL_SetClipboardText(text->c_str());
      lastLocalClipboard_ = *text;  // ours now: not offered back
      return true;
    }
    if (e.type == bridge_.pointerEvent_) {
      std::unique_ptr<PointerShape> shape(static_cast<PointerShape*>(e.user.data2));
      setPointer(*shape);
      return true;
    }
    if (e.type == bridge_.frameEvent_) {
      draw(false);
      return true;
    }
    if (e.type == bridge_.resizedEvent_) {
      desktopW_ = e.user.code;
      desktopH_ = static_cast<int>(reinterpret_cast<std::intptr_t>(e.user.data1));
      logger()->info("the server resized the desktop to {}x{}", desktopW_, desktopH_);
      redrawAll_ = true;  // with the next frame, which has the new size
      return true;
    }
    if (e.type == bridge_.reconnectEvent_) {
      onReconnect(e.user.code, static_cast<int>(reinterpret_cast<std::intptr_t>(e.user.data1)));
      return true;
    }
    if (e.type == bridge_.endedEvent_) return false;
    InputSink* in = bridge_.input();
    switch (e.type) {
      case SDL_QUIT:
        bridge_.stop();
        return true;  // the session ends, then endedEvent_ arrives
      case SDL_KEYDOWN:
        sendLocalClipboard();  // X11 does not always announce a new owner: look before a paste
        if (in && mapper_.onKey(e.key, *in)) toggleFullscreen();
        return true;
      case SDL_KEYUP:
        if (in && mapper_.onKey(e.key, *in)) toggleFullscreen();
        return true;
      case SDL_MOUSEMOTION: {
        SDL_MouseMotionEvent m = e.motion;
        std::tie(m.x, m.y) = viewport().toDesktop(m.x, m.y);
        if (in) mapper_.onMotion(m, *in);
        return true;
      }
      case SDL_MOUSEBUTTONDOWN:
      case SDL_MOUSEBUTTONUP: {
        if (e.type == SDL_MOUSEBUTTONDOWN) sendLocalClipboard();
        SDL_MouseButtonEvent b = e.button;
        std::tie(b.x, b.y) = viewport().toDesktop(b.x, b.y);
        if (in) mapper_.onButton(b, *in);
        return true;
      }
      case SDL_MOUSEWHEEL:
        if (in) mapper_.onWheel(e.wheel, *in);
        return true;
      case SDL_CLIPBOARDUPDATE:
        sendLocalClipboard();
        return true;
      case SDL_WINDOWEVENT:
        if (e.window.event == SDL_WINDOWEVENT_FOCUS_LOST && in) mapper_.onFocusLost(*in);
        if (e.window.event == SDL_WINDOWEVENT_FOCUS_GAINED && in) {
          mapper_.onFocusGained(*in);
          sendLocalClipboard();
        }
        if (e.window.event == SDL_WINDOWEVENT_SIZE_CHANGED) {
          noteWindowSize();
          resizeAt_ = Clock::now() + std::chrono::milliseconds(400);
        }
        if (e.window.event == SDL_WINDOWEVENT_SIZE_CHANGED ||
            e.window.event == SDL_WINDOWEVENT_EXPOSED)
          draw(true);
        return true;
      default:
        return true;
    }
  }

 private:
  [[nodiscard]] Viewport viewport() const {
    return Viewport(desktopW_, desktopH_, windowW_, windowH_);
  }

  /// "alice@host — rdpdoctor · TLS · changed by rdpdoctor": the layer the server actually chose.
  [[nodiscard]] std::string title() const {
    std::string t = options_.title;
    if (const auto sel = bridge_.selected(); sel >= 0)
      t += " · " + std::string(selectedLayerName(static_cast<std::uint32_t>(sel)));
    if (!options_.note.empty()) t += " · " + options_.note;
    return t;
  }

  /// attempt 0: reconnected.
  void onReconnect(int attempt, int attempts) {
    if (attempt == 0) {
      logger()->warn("reconnected");
      if (window_) setUtf8Title(window_.get(), title());
      return;  // the server repaints the desktop after a reconnection
    }
    logger()->warn("the connection dropped: reconnecting (attempt {} of {})", attempt, attempts);
    if (window_) {
      if (InputSink* in = bridge_.input()) mapper_.onFocusLost(*in);  // nothing stays pressed
      const std::string t = title() + " · reconnecting (" + std::to_string(attempt) + "/" +
                            std::to_string(attempts) + ")";
      setUtf8Title(window_.get(), t);
      if (SDL_Surface* target =
              SDL_GetWindowSurface(window_.get())) {  // no stale picture meanwhile
        SDL_FillRect(target, nullptr, SDL_MapRGB(target->format, 0x20, 0x20, 0x20));
        SDL_UpdateWindowSurface(window_.get());
      }
    }
  }

  void noteWindowSize() {
    if (window_) SDL_GetWindowSize(window_.get(), &windowW_, &windowH_);
  }

  void setPointer(const PointerShape& shape) {
    if (shape.argb.empty()) {
      if (shape.systemDefault) SDL_SetCursor(SDL_GetDefaultCursor());
      SDL_ShowCursor(shape.systemDefault ? SDL_ENABLE : SDL_DISABLE);
      if (shape.systemDefault) cursor_.reset();
      return;
    }
    std::unique_ptr<SDL_Surface, SurfaceDeleter> image(SDL_CreateRGBSurfaceWithFormatFrom(
        const_cast<std::uint32_t*>(shape.argb.data()), shape.width, shape.height, 32,
        shape.width * 4, SDL_PIXELFORMAT_ARGB8888));
    if (!image) return;
    std::unique_ptr<SDL_Cursor, CursorDeleter> cursor(
        SDL_CreateColorCursor(image.get(), shape.hotX, shape.hotY));
    if (!cursor) return;
    SDL_SetCursor(cursor.get());
    SDL_ShowCursor(SDL_ENABLE);
    cursor_ = std::move(cursor);  // the previous shape is freed only once replaced
    logger()->debug("pointer: server shape {}x{}, hotspot {},{}", shape.width, shape.height,
                    shape.hotX, shape.hotY);
  }

  Bridge& bridge_;
  const ViewerOptions& options_;
  InputMapper mapper_;
  std::unique_ptr<SDL_Window, WindowDeleter> window_;
  X11Put x11_;  // after window_: its GC goes before the window
  std::unique_ptr<SDL_Cursor, CursorDeleter> cursor_;
  int desktopW_ = 0, desktopH_ = 0, windowW_ = 0, windowH_ = 0;
  std::uint32_t drawnW_ = 0, drawnH_ = 0;  // the desktop size last drawn
  bool redrawAll_ = false;
  std::optional<Clock::time_point> resizeAt_;
  std::string lastLocalClipboard_;
};

}  // namespace

bool displayAvailable(std::string& why) {
  if (SDL_WasInit(SDL_INIT_VIDEO) == 0 && SDL_InitSubSystem(SDL_INIT_VIDEO) != 0) {
    why = SDL_GetError();
    return false;
  }
  const char* driver = SDL_GetCurrentVideoDriver();
  const std::string d = driver ? driver : "";
  if (d == "x11" || d == "wayland" || std::getenv("SDL_VIDEODRIVER") != nullptr) return true;
  why = "no X11 or Wayland display (SDL video driver '" + d + "')";
  SDL_QuitSubSystem(SDL_INIT_VIDEO);
  return false;
}

Outcome runViewer(SessionRequest request, const ViewerOptions& options) {
  // No text input here (create()): the X input method SDL opens at its video init would still
  // read the locale's whole Compose table (~0.6 MB of heap) for nothing. An empty one instead;
  // before any thread and any SDL video init of this process.
  ::setenv("XCOMPOSEFILE", "/dev/null", 1);
  const Uint32 first = SDL_RegisterEvents(Bridge::kEvents);
  Bridge bridge(first);
  request.observer = &bridge;
  Outcome outcome;
  std::thread session([&] {
    outcome = runSession(request);
    SDL_Event e{};
    e.type = bridge.endedEvent_;  // also when the session ended before it ever connected
    SDL_PushEvent(&e);
  });
  {
    Window window(bridge, options);
    (void)window.create(static_cast<int>(request.profile.width),
                        static_cast<int>(request.profile.height));
    SDL_Event e;
    bool running = true;
    while (running) {
      if (SDL_WaitEventTimeout(&e, window.waitMs()) != 0) running = window.handle(e);
      window.tick();
    }
  }
  bridge.stop();
  session.join();
  for (SDL_Event e; SDL_PollEvent(&e) == 1;) bridge.release(e);  // what the window never took
  return outcome;
}

}  // namespace rdpdoctor::sdl
