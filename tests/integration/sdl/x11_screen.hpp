#pragma once
// What a person sees on the test's X display, read the way the window and desktop tests need it:
// a shell command's output, the share of the screen in one colour (an ImageMagick screenshot),
// and top-level windows found by title (xwininfo reads UTF-8 titles; xdotool skips them).
#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>
#include <thread>

namespace rdpdoctor::screen {

inline std::string run(const std::string& cmd) {
  std::string out;
  FILE* p = ::popen(cmd.c_str(), "r");
  if (p == nullptr) return out;
  std::array<char, 4096> buf{};
  for (size_t n; (n = std::fread(buf.data(), 1, buf.size(), p)) > 0;) out.append(buf.data(), n);
  ::pclose(p);
  return out;
}

/// Share of the screen's pixels within `tolerance` per channel of `rgb`; -1 without a screenshot.
inline double shareOf(const std::string& display, std::uint32_t rgb, int tolerance = 0) {
  const std::string ppm =
      run("DISPLAY=" + display + " import -window root -depth 8 ppm:- 2>/dev/null");
  std::istringstream in(ppm);
  std::string magic;
  int w = 0, h = 0, max = 0;
  in >> magic >> w >> h >> max;
  in.get();
  if (magic != "P6" || w <= 0 || h <= 0) return -1;
  const std::string pixels = ppm.substr(static_cast<size_t>(in.tellg()));
  if (pixels.size() < static_cast<size_t>(w) * h * 3) return -1;
  size_t hits = 0;
  for (size_t i = 0; i + 2 < pixels.size(); i += 3) {
    const int r = static_cast<std::uint8_t>(pixels[i]),
              g = static_cast<std::uint8_t>(pixels[i + 1]),
              b = static_cast<std::uint8_t>(pixels[i + 2]);
    hits += std::abs(r - static_cast<int>((rgb >> 16) & 0xFF)) <= tolerance &&
            std::abs(g - static_cast<int>((rgb >> 8) & 0xFF)) <= tolerance &&
            std::abs(b - static_cast<int>(rgb & 0xFF)) <= tolerance;
  }
  return static_cast<double>(hits) / (static_cast<double>(w) * h);
}

inline bool pollShare(const std::string& display, std::uint32_t rgb, double atLeast,
                      std::chrono::seconds within, int tolerance = 0) {
  for (const auto until = std::chrono::steady_clock::now() + within;
       std::chrono::steady_clock::now() < until;) {
    if (shareOf(display, rgb, tolerance) >= atLeast) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  return false;
}

/// Whether the window `id` is mapped and all its ancestors are: what a person can see and type
/// into (input focus on a window not yet viewable fails, and the keys go elsewhere).
inline bool viewable(const std::string& display, const std::string& id) {
  return run("DISPLAY=" + display + " xwininfo -id " + id + " 2>/dev/null")
             .find("Map State: IsViewable") != std::string::npos;
}

/// A viewable top-level window whose title contains `name`: its id ("0x600002"), or "" after
/// `within`. A window whose title is set but which is not mapped yet (a message box between
/// XStoreName and XMapRaised) is not found until it is mapped.
inline std::string pollWindow(const std::string& display, const std::string& name,
                              std::chrono::seconds within) {
  for (const auto until = std::chrono::steady_clock::now() + within;
       std::chrono::steady_clock::now() < until;) {
    std::istringstream tree(run("DISPLAY=" + display + " xwininfo -root -tree 2>/dev/null"));
    for (std::string line; std::getline(tree, line);) {
      if (line.find(name) == std::string::npos) continue;
      std::istringstream fields(line);
      std::string id;
      fields >> id;
      if (id.rfind("0x", 0) == 0 && viewable(display, id)) return id;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return "";
}

}  // namespace rdpdoctor::screen
