// The credentials window (credentials_window.hpp): a small form drawn with SDL_Renderer and
// SDL2_ttf, redrawn after each event. No toolkit: three fields, a checkbox, two buttons.
#include "rdpdoctor/sdl/credentials_window.hpp"

#include <SDL.h>
#include <SDL_ttf.h>
#include <strings.h>

#include <algorithm>
#include <array>
#include <memory>
#include <vector>

namespace rdpdoctor::sdl {

namespace {

constexpr int kWidth = 500;
constexpr int kMargin = 16;
constexpr int kLabelWidth = 110;
constexpr int kRowHeight = 30;
constexpr int kButtonWidth = 96;
constexpr std::array<const char*, 4> kFonts{
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/TTF/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf", "/usr/share/fonts/dejavu-sans-fonts/DejaVuSans.ttf"};

constexpr SDL_Color kText{20, 20, 20, 255};
constexpr SDL_Color kMuted{90, 90, 90, 255};
constexpr SDL_Color kWarn{170, 30, 30, 255};

struct WindowDeleter {
  void operator()(SDL_Window* w) const { SDL_DestroyWindow(w); }
};
struct RendererDeleter {
  void operator()(SDL_Renderer* r) const { SDL_DestroyRenderer(r); }
};
struct FontDeleter {
  void operator()(TTF_Font* f) const { TTF_CloseFont(f); }
};

/// Everything the window is focused on, in Tab order (Checkbox only when offered).
enum class Item { User, Domain, Password, Checkbox, Ok, Cancel };

void wipe(std::string& s) {
  if (!s.empty()) explicit_bzero(s.data(), s.size());
  s.clear();
}

/// Removes the last UTF-8 code point.
void popCodePoint(std::string& s) {
  while (!s.empty()) {
    const auto c = static_cast<unsigned char>(s.back());
    s.pop_back();
    if ((c & 0xC0) != 0x80) return;
  }
}

std::size_t codePoints(const std::string& s) {
  std::size_t n = 0;
  for (const char ch : s) n += (static_cast<unsigned char>(ch) & 0xC0) != 0x80;
  return n;
}

bool inside(const SDL_Rect& r, int x, int y) {
  const SDL_Point p{x, y};
  return SDL_PointInRect(&p, &r) == SDL_TRUE;
}

class Form {
 public:
  Form(const CredentialsQuestion& q, SDL_Renderer* renderer, TTF_Font* font)
      : q_(q), renderer_(renderer), font_(font) {
    user_ = q.user;
    domain_ = q.domain;
    items_ = {Item::User, Item::Domain, Item::Password};
    if (q.offerKeyring) items_.push_back(Item::Checkbox);
    items_.push_back(Item::Ok);
    items_.push_back(Item::Cancel);
    focus_ = user_.empty() ? Item::User : Item::Password;
  }
  ~Form() { wipe(password_); }
  Form(const Form&) = delete;
  Form& operator=(const Form&) = delete;

  [[nodiscard]] static int height(const CredentialsQuestion& q) {
    return 96 + (q.note.empty() ? 0 : 24) + 3 * (kRowHeight + 10) + (q.offerKeyring ? 34 : 0) +
           kRowHeight + 2 * kMargin;
  }

  /// One event; true when the form is done (`answer_` says how).
  bool handle(const SDL_Event& e);
  void draw();
  [[nodiscard]] std::optional<CredentialsGiven> answer() {
    if (!ok_) return std::nullopt;
    CredentialsGiven g{user_, domain_, password_, remember_};
    wipe(password_);
    return g;
  }

 private:
  [[nodiscard]] int fieldsTop() const { return 96 + (q_.note.empty() ? 0 : 24); }
  [[nodiscard]] SDL_Rect rectOf(Item i) const;
  std::string* fieldOf(Item i) {
    if (i == Item::User) return &user_;
    if (i == Item::Domain) return &domain_;
    if (i == Item::Password) return &password_;
    return nullptr;
  }
  void move(int step);
  bool activate(Item i);
  bool submit();
  bool key(const SDL_Keysym& k);
  void text(int x, int y, const std::string& s, SDL_Color c, const SDL_Rect* clip = nullptr);
  void drawField(Item i, const char* label);
  void drawButton(Item i, const char* label);

  const CredentialsQuestion& q_;
  SDL_Renderer* renderer_;
  TTF_Font* font_;
  std::vector<Item> items_;
  Item focus_;
  std::string user_, domain_, password_;
  bool remember_ = false;
  bool ok_ = false;
  std::string hint_;
};

SDL_Rect Form::rectOf(Item i) const {
  const int top = fieldsTop();
  const int boxX = kMargin + kLabelWidth, boxW = kWidth - boxX - kMargin;
  switch (i) {
    case Item::User:
      return {boxX, top, boxW, kRowHeight};
    case Item::Domain:
      return {boxX, top + kRowHeight + 10, boxW, kRowHeight};
    case Item::Password:
      return {boxX, top + 2 * (kRowHeight + 10), boxW, kRowHeight};
    case Item::Checkbox:
      return {kMargin, top + 3 * (kRowHeight + 10), kWidth - 2 * kMargin, 24};
    case Item::Ok:
    case Item::Cancel: {
      const int y = height(q_) - kMargin - kRowHeight;
      const int cancelX = kWidth - kMargin - kButtonWidth;
      return {i == Item::Cancel ? cancelX : cancelX - 12 - kButtonWidth, y, kButtonWidth,
              kRowHeight};
    }
  }
  return {};
}

void Form::move(int step) {
  std::size_t at = 0;
  while (at < items_.size() && items_[at] != focus_) ++at;
  const auto n = static_cast<int>(items_.size());
  focus_ = items_[static_cast<std::size_t>((static_cast<int>(at) + step + n) % n)];
}

bool Form::submit() {
  if (user_.empty() || password_.empty()) {  // OK needs both: the empty one gets the focus
    focus_ = user_.empty() ? Item::User : Item::Password;
    hint_ = user_.empty() ? "Type a user name." : "Type the password.";
    return false;
  }
  ok_ = true;
  return true;
}

bool Form::activate(Item i) {
  if (i == Item::Cancel) return true;
  if (i == Item::Ok) return submit();
  if (i == Item::Checkbox) remember_ = !remember_;
  return false;
}

bool Form::key(const SDL_Keysym& k) {
  switch (k.sym) {
    case SDLK_ESCAPE:
      return true;
    case SDLK_TAB:
      move((k.mod & KMOD_SHIFT) != 0 ? -1 : 1);
      return false;
    case SDLK_RETURN:
    case SDLK_KP_ENTER:
      return focus_ == Item::Cancel || submit();  // Enter is OK, except on Cancel
    case SDLK_SPACE:
      if (fieldOf(focus_) == nullptr) return activate(focus_);
      return false;
    case SDLK_BACKSPACE:
      if (auto* f = fieldOf(focus_)) popCodePoint(*f);
      return false;
    default:
      return false;
  }
}

bool Form::handle(const SDL_Event& e) {
  switch (e.type) {
    case SDL_QUIT:
      return true;
    case SDL_WINDOWEVENT:
      return e.window.event == SDL_WINDOWEVENT_CLOSE;
    case SDL_KEYDOWN:
      return key(e.key.keysym);
    case SDL_TEXTINPUT:
      if (auto* f = fieldOf(focus_);
          f != nullptr && static_cast<unsigned char>(e.text.text[0]) >= 32)
        f->append(e.text.text);
      return false;
    case SDL_MOUSEBUTTONDOWN:
      for (const Item i : items_) {
        if (!inside(rectOf(i), e.button.x, e.button.y)) continue;
        focus_ = i;
        return activate(i);
      }
      return false;
    default:
      return false;
  }
}

void Form::text(int x, int y, const std::string& s, SDL_Color c, const SDL_Rect* clip) {
  if (s.empty()) return;
  SDL_Surface* surface = TTF_RenderUTF8_Blended(font_, s.c_str(), c);
  if (surface == nullptr) return;
  SDL_Texture* texture = SDL_CreateTextureFromSurface(renderer_, surface);
  SDL_Rect dst{x, y, surface->w, surface->h};
  if (clip != nullptr && dst.w > clip->w - 8) dst.x -= dst.w - (clip->w - 8);  // show the end
  SDL_RenderSetClipRect(renderer_, clip);
  SDL_RenderCopy(renderer_, texture, nullptr, &dst);
  SDL_RenderSetClipRect(renderer_, nullptr);
  SDL_DestroyTexture(texture);
  SDL_FreeSurface(surface);
}

void Form::drawField(Item i, const char* label) {
  const SDL_Rect r = rectOf(i);
  text(kMargin, r.y + 6, label, kText);
  SDL_SetRenderDrawColor(renderer_, 255, 255, 255, 255);
  SDL_RenderFillRect(renderer_, &r);
  const bool focused = focus_ == i;
  SDL_SetRenderDrawColor(renderer_, focused ? 40 : 150, focused ? 100 : 150, focused ? 200 : 150,
                         255);
  SDL_RenderDrawRect(renderer_, &r);
  if (focused) {
    const SDL_Rect inner{r.x + 1, r.y + 1, r.w - 2, r.h - 2};
    SDL_RenderDrawRect(renderer_, &inner);
  }
  std::string shown = *fieldOf(i);
  if (i == Item::Password) {
    shown.clear();
    for (std::size_t n = codePoints(password_); n > 0; --n) shown += "\xE2\x80\xA2";  // bullet
  }
  const SDL_Rect clip{r.x + 2, r.y + 2, r.w - 4, r.h - 4};
  text(r.x + 6, r.y + 6, shown, kText, &clip);
  if (!focused) return;
  int w = 0;
  if (!shown.empty()) TTF_SizeUTF8(font_, shown.c_str(), &w, nullptr);
  const int caret = std::min(r.x + 6 + w + 1, r.x + r.w - 6);
  SDL_SetRenderDrawColor(renderer_, 20, 20, 20, 255);
  SDL_RenderDrawLine(renderer_, caret, r.y + 6, caret, r.y + r.h - 7);
}

void Form::drawButton(Item i, const char* label) {
  const SDL_Rect r = rectOf(i);
  SDL_SetRenderDrawColor(renderer_, 225, 225, 225, 255);
  SDL_RenderFillRect(renderer_, &r);
  const bool focused = focus_ == i;
  SDL_SetRenderDrawColor(renderer_, focused ? 40 : 120, focused ? 100 : 120, focused ? 200 : 120,
                         255);
  SDL_RenderDrawRect(renderer_, &r);
  int w = 0, h = 0;
  TTF_SizeUTF8(font_, label, &w, &h);
  text(r.x + (r.w - w) / 2, r.y + (r.h - h) / 2, label, kText);
}

void Form::draw() {
  SDL_SetRenderDrawColor(renderer_, 242, 242, 242, 255);
  SDL_RenderClear(renderer_);
  text(kMargin, kMargin, "Sign in to " + q_.where, kText);
  text(kMargin, kMargin + 24, "The host checks your credentials before the session starts.",
       kMuted);
  text(kMargin, kMargin + 48, "User name: DOMAIN\\user, user@domain, or a domain below.", kMuted);
  if (!q_.note.empty()) text(kMargin, kMargin + 72, q_.note, kWarn);
  drawField(Item::User, "User name");
  drawField(Item::Domain, "Domain");
  drawField(Item::Password, "Password");
  if (q_.offerKeyring) {
    const SDL_Rect row = rectOf(Item::Checkbox);
    const SDL_Rect box{row.x + 2, row.y + 4, 16, 16};
    SDL_SetRenderDrawColor(renderer_, 255, 255, 255, 255);
    SDL_RenderFillRect(renderer_, &box);
    const bool focused = focus_ == Item::Checkbox;
    SDL_SetRenderDrawColor(renderer_, focused ? 40 : 120, focused ? 100 : 120, focused ? 200 : 120,
                           255);
    SDL_RenderDrawRect(renderer_, &box);
    if (remember_) {
      const SDL_Rect tick{box.x + 4, box.y + 4, 8, 8};
      SDL_RenderFillRect(renderer_, &tick);
    }
    text(box.x + 26, row.y + 2, "Remember the password in the keyring", kText);
  }
  const SDL_Rect ok = rectOf(Item::Ok);
  text(kMargin, ok.y + 6, hint_, kWarn);
  drawButton(Item::Ok, "OK");
  drawButton(Item::Cancel, "Cancel");
  SDL_RenderPresent(renderer_);
}

std::unique_ptr<TTF_Font, FontDeleter> openFont(std::string& why) {
  for (const char* path : kFonts) {
    if (TTF_Font* f = TTF_OpenFont(path, 14)) return std::unique_ptr<TTF_Font, FontDeleter>(f);
  }
  why = "no DejaVu Sans font (Debian: fonts-dejavu-core)";
  return nullptr;
}

}  // namespace

std::optional<CredentialsGiven> askCredentials(const CredentialsQuestion& q, std::string& why) {
  if (SDL_WasInit(SDL_INIT_VIDEO) == 0 && SDL_InitSubSystem(SDL_INIT_VIDEO) != 0) {
    why = SDL_GetError();
    return std::nullopt;
  }
  if (TTF_WasInit() == 0 && TTF_Init() != 0) {
    why = TTF_GetError();
    return std::nullopt;
  }
  auto font = openFont(why);
  if (!font) return std::nullopt;
  std::unique_ptr<SDL_Window, WindowDeleter> window(
      SDL_CreateWindow("rdpdoctor", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, kWidth,
                       Form::height(q), SDL_WINDOW_SHOWN));
  if (!window) {
    why = SDL_GetError();
    return std::nullopt;
  }
  // ASCII: WM_NAME stays readable in any locale (and xdotool finds it)
  SDL_SetWindowTitle(window.get(), ("rdpdoctor - sign in to " + q.where).c_str());
  std::unique_ptr<SDL_Renderer, RendererDeleter> renderer(
      SDL_CreateRenderer(window.get(), -1, SDL_RENDERER_SOFTWARE));
  if (!renderer) {
    why = SDL_GetError();
    return std::nullopt;
  }
  SDL_RaiseWindow(window.get());
  SDL_StartTextInput();
  Form form(q, renderer.get(), font.get());
  form.draw();
  for (SDL_Event e; SDL_WaitEvent(&e) != 0;) {
    if (form.handle(e)) break;
    form.draw();
  }
  SDL_StopTextInput();
  return form.answer();
}

namespace {

/// SDL's X11 box does not wrap: lines longer than `width` bytes are broken at spaces, the rest
/// of a broken line indented as the terminal's continuation lines are.
std::string wrapped(const std::string& text, std::size_t width) {
  std::string out, line;
  const auto flush = [&] {
    out += (out.empty() ? "" : "\n") + line;
    line.clear();
  };
  std::size_t at = 0;
  while (at <= text.size()) {
    const auto end = std::min(text.find('\n', at), text.size());
    std::string rest = text.substr(at, end - at);
    while (rest.size() > width) {
      auto cut = rest.rfind(' ', width);
      if (cut == std::string::npos || cut < width / 2) cut = width;
      line = rest.substr(0, cut);
      flush();
      rest = "    " + rest.substr(rest[cut] == ' ' ? cut + 1 : cut);
    }
    line = rest;
    flush();
    at = end + 1;
  }
  return out;
}

}  // namespace

bool showMessage(const std::string& title, const std::string& text) {
  const std::string shown = wrapped(text, 90);
  return SDL_ShowSimpleMessageBox(SDL_MESSAGEBOX_ERROR, title.c_str(), shown.c_str(), nullptr) == 0;
}

}  // namespace rdpdoctor::sdl
