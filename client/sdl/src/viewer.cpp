#include "rdpdoctor/sdl/viewer.hpp"

#include <SDL2/SDL.h>

#include <atomic>
#include <cstdlib>
#include <memory>
#include <thread>

#include "frame_store.hpp"
#include "input_mapper.hpp"

namespace rdpdoctor::sdl {
namespace {

struct WindowDeleter {
  void operator()(SDL_Window* w) const { SDL_DestroyWindow(w); }
};
struct RendererDeleter {
  void operator()(SDL_Renderer* r) const { SDL_DestroyRenderer(r); }
};
struct TextureDeleter {
  void operator()(SDL_Texture* t) const { SDL_DestroyTexture(t); }
};

/// The session thread's side: frames into the store, wake-ups into SDL's queue.
class Bridge final : public SessionObserver {
 public:
  explicit Bridge(Uint32 firstEvent)
      : connectedEvent_(firstEvent), frameEvent_(firstEvent + 1), endedEvent_(firstEvent + 2),
        clipboardEvent_(firstEvent + 3) {}

  void onConnected(InputSink& input, std::uint32_t width, std::uint32_t height) override {
    input_ = &input;
    push(connectedEvent_, static_cast<Sint32>(width), static_cast<Sint32>(height));
  }
  void onFrame(const std::uint8_t* bgrx, std::uint32_t stride, std::uint32_t width, std::uint32_t height,
               DirtyRect dirty) override {
    if (frames_.write(bgrx, stride, width, height, dirty)) push(frameEvent_, 0, 0);
  }
  bool keepRunning() override { return running_; }
  void onEnded() override {
    input_ = nullptr;
    push(endedEvent_, 0, 0);
  }
  void onRemoteClipboard(std::string utf8) override {
    SDL_Event e{};
    e.type = clipboardEvent_;
    e.user.data2 = new std::string(std::move(utf8));  // owned by the SDL thread from here
    if (SDL_PushEvent(&e) != 1) delete static_cast<std::string*>(e.user.data2);
  }

  void stop() { running_ = false; }
  [[nodiscard]] InputSink* input() const { return input_.load(); }
  FrameStore& frames() { return frames_; }
  const Uint32 connectedEvent_, frameEvent_, endedEvent_, clipboardEvent_;

 private:
  static void push(Uint32 type, Sint32 a, Sint32 b) {
    SDL_Event e{};
    e.type = type;
    e.user.code = a;
    e.user.data1 = reinterpret_cast<void*>(static_cast<std::intptr_t>(b));
    SDL_PushEvent(&e);
  }
  FrameStore frames_;
  std::atomic<InputSink*> input_{nullptr};
  std::atomic<bool> running_{true};
};

/// The SDL thread's side: the window, its texture, input.
class Window {
 public:
  Window(Bridge& bridge, const ViewerOptions& options) : bridge_(bridge), options_(options) {}

  bool open(int width, int height) {
    Uint32 flags = SDL_WINDOW_RESIZABLE | (options_.fullscreen ? SDL_WINDOW_FULLSCREEN_DESKTOP : 0);
    window_.reset(SDL_CreateWindow(options_.title.c_str(), SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, width,
                                   height, flags));
    if (!window_) return false;
    renderer_.reset(SDL_CreateRenderer(window_.get(), -1, 0));
    if (!renderer_) return false;
    SDL_RenderSetLogicalSize(renderer_.get(), width, height);  // scales, keeps the aspect, maps the mouse
    texture_.reset(SDL_CreateTexture(renderer_.get(), SDL_PIXELFORMAT_RGB888, SDL_TEXTUREACCESS_STREAMING, width, height));
    width_ = width;
    height_ = height;
    return texture_ != nullptr;
  }

  void upload() {
    if (!texture_) return;
    bridge_.frames().consume([&](const std::uint8_t* pixels, int pitch, DirtyRect d) {
      if (d.x + d.w > static_cast<std::uint32_t>(width_) || d.y + d.h > static_cast<std::uint32_t>(height_)) return;
      SDL_Rect r{static_cast<int>(d.x), static_cast<int>(d.y), static_cast<int>(d.w), static_cast<int>(d.h)};
      SDL_UpdateTexture(texture_.get(), &r, pixels, pitch);
    });
    present();
  }

  void present() {
    if (!renderer_) return;
    SDL_RenderClear(renderer_.get());
    SDL_RenderCopy(renderer_.get(), texture_.get(), nullptr, nullptr);
    SDL_RenderPresent(renderer_.get());
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

  /// One SDL event; false when the loop should end.
  bool handle(const SDL_Event& e) {
    if (e.type == bridge_.connectedEvent_) {
      if (!open(e.user.code, static_cast<int>(reinterpret_cast<std::intptr_t>(e.user.data1)))) return false;
      sendLocalClipboard();
      return true;
    }
    if (e.type == bridge_.clipboardEvent_) {
      std::unique_ptr<std::string> text(static_cast<std::string*>(e.user.data2));
      SDL_SetClipboardText(text->c_str());
      lastLocalClipboard_ = *text;  // ours now: not offered back
      return true;
    }
    if (e.type == bridge_.frameEvent_) {
      upload();
      return true;
    }
    if (e.type == bridge_.endedEvent_) return false;
    InputSink* in = bridge_.input();
    switch (e.type) {
      case SDL_QUIT: bridge_.stop(); return true;  // the session ends, then endedEvent_ arrives
      case SDL_KEYDOWN:
        sendLocalClipboard();  // X11 does not always announce a new owner: look before a paste
        if (in && mapper_.onKey(e.key, *in)) toggleFullscreen();
        return true;
      case SDL_KEYUP:
        if (in && mapper_.onKey(e.key, *in)) toggleFullscreen();
        return true;
      case SDL_MOUSEMOTION: if (in) mapper_.onMotion(e.motion, *in); return true;
      case SDL_MOUSEBUTTONDOWN:
        sendLocalClipboard();
        if (in) mapper_.onButton(e.button, *in);
        return true;
      case SDL_MOUSEBUTTONUP: if (in) mapper_.onButton(e.button, *in); return true;
      case SDL_MOUSEWHEEL: if (in) mapper_.onWheel(e.wheel, *in); return true;
      case SDL_CLIPBOARDUPDATE: sendLocalClipboard(); return true;
      case SDL_WINDOWEVENT:
        if (e.window.event == SDL_WINDOWEVENT_FOCUS_LOST && in) mapper_.onFocusLost(*in);
        if (e.window.event == SDL_WINDOWEVENT_FOCUS_GAINED && in) {
          mapper_.onFocusGained(*in);
          sendLocalClipboard();
        }
        if (e.window.event == SDL_WINDOWEVENT_SIZE_CHANGED || e.window.event == SDL_WINDOWEVENT_EXPOSED) present();
        return true;
      default: return true;
    }
  }

 private:
  Bridge& bridge_;
  const ViewerOptions& options_;
  InputMapper mapper_;
  std::unique_ptr<SDL_Window, WindowDeleter> window_;
  std::unique_ptr<SDL_Renderer, RendererDeleter> renderer_;
  std::unique_ptr<SDL_Texture, TextureDeleter> texture_;
  int width_ = 0, height_ = 0;
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
  const Uint32 first = SDL_RegisterEvents(4);
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
    SDL_Event e;
    bool running = true;
    while (running) {
      if (SDL_WaitEventTimeout(&e, 250) == 0) continue;
      running = window.handle(e);
    }
  }
  bridge.stop();
  session.join();
  for (SDL_Event e; SDL_PollEvent(&e) == 1;)  // free texts the window never took
    if (e.type == bridge.clipboardEvent_) delete static_cast<std::string*>(e.user.data2);
  return outcome;
}

}  // namespace rdpdoctor::sdl
