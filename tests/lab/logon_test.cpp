// End to end: xrdp-sesman + xrdp (negotiate) + the lab user; xfreerdp logs on inside a private
// Xvfb and the screenshot shows the session's desktop colour. Then every process is gone.
#include <gtest/gtest.h>
#include <pwd.h>

#include <cstdint>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "proc_table.hpp"
#include "process.hpp"
#include "rdpdoctor/lab/lab.hpp"

namespace rdpdoctor::lab {
namespace {

struct Image {
  int width = 0;
  int height = 0;
  std::vector<std::uint8_t> rgb;
};

/// A binary PPM (P6, maxval 255) as ImageMagick writes it.
bool readPpm(const std::filesystem::path& file, Image& out) {
  std::ifstream in(file, std::ios::binary);
  std::string magic;
  int maxval = 0;
  in >> magic;
  auto skipComments = [&in] {
    in >> std::ws;
    while (in.peek() == '#') {
      std::string ignored;
      std::getline(in, ignored);
      in >> std::ws;
    }
  };
  skipComments();
  in >> out.width;
  skipComments();
  in >> out.height;
  skipComments();
  in >> maxval;
  in.get();  // the single whitespace before the raster
  if (!in || magic != "P6" || maxval != 255 || out.width <= 0 || out.height <= 0) return false;
  out.rgb.resize(static_cast<std::size_t>(out.width) * static_cast<std::size_t>(out.height) * 3);
  in.read(reinterpret_cast<char*>(out.rgb.data()),  // NOLINT: raw bytes
          static_cast<std::streamsize>(out.rgb.size()));
  return static_cast<bool>(in);
}

/// Fraction of pixels within a small tolerance of `colour` (0xRRGGBB).
double fractionOf(const Image& image, std::uint32_t colour) {
  const int r = static_cast<int>((colour >> 16U) & 0xFFU);
  const int g = static_cast<int>((colour >> 8U) & 0xFFU);
  const int b = static_cast<int>(colour & 0xFFU);
  std::size_t hits = 0;
  const std::size_t pixels = image.rgb.size() / 3;
  for (std::size_t i = 0; i < pixels; ++i) {
    const int dr = image.rgb[i * 3] - r;
    const int dg = image.rgb[i * 3 + 1] - g;
    const int db = image.rgb[i * 3 + 2] - b;
    if (dr * dr + dg * dg + db * db <= 3 * 8 * 8) ++hits;
  }
  return pixels == 0 ? 0.0 : static_cast<double>(hits) / static_cast<double>(pixels);
}

/// Screenshot of a display's root window, or an empty image.
Image screenshot(const Display& display, const std::filesystem::path& dir) {
  const auto file = dir / "shot.ppm";
  Image image;
  auto rc = runCommand({{"import", "-display", display.name(), "-window", "root", "-depth", "8",
                         "ppm:" + file.string()},
                        {},
                        dir,
                        dir / "import.log"},
                       std::chrono::milliseconds(10000));
  if (rc.ok() && *rc == 0) readPpm(file, image);
  return image;
}

TEST(FullLogon, XrdpSessionThroughSesmanPaintsTheLabDesktop) {
  ServerOptions options;
  options.kind = Kind::XrdpNegotiate;
  auto sesman = startSesman(options);
  ASSERT_TRUE(sesman.ok()) << sesman.error().message();
  auto server = start(options);
  ASSERT_TRUE(server.ok()) << server.error().message();
  auto display = startDisplay({});
  ASSERT_TRUE(display.ok()) << display.error().message();

  TempDir home;
  auto client = ChildProcess::spawn(
      {{"xfreerdp", "/v:" + (*server)->hostSpec(), "/u:" + (*sesman)->user(),
        "/p:" + (*sesman)->password(), "/cert:ignore", "/size:1024x768"},
       {{"HOME", home.path().string()}, {"DISPLAY", (*display)->name()}},
       home.path(),
       home.path() / "xfreerdp.log"});
  ASSERT_TRUE(client.ok()) << client.error().message();

  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(40);
  double best = 0.0;
  while (std::chrono::steady_clock::now() < deadline && best < 0.5) {
    if (!client->running()) break;
    best = std::max(best, fractionOf(screenshot(**display, home.path()), kDesktopColour));
    if (best < 0.5) std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  EXPECT_GE(best, 0.5) << "the client's window never showed the lab desktop colour; xfreerdp log: "
                       << logTail(home.path() / "xfreerdp.log", 1500)
                       << "\nxrdp log: " << logTail((*server)->logFile(), 1500);
  EXPECT_FALSE((*sesman)->sessionDisplays().empty()) << "no session X server for the lab user";

  client->stop();
  const auto sessionPids = (*sesman)->processIds();
  EXPECT_GE(sessionPids.size(), 2U) << "sesman and at least the session's Xorg";
  server->reset();
  sesman->reset();
  for (int pid : sessionPids) EXPECT_FALSE(processAlive(pid)) << "pid " << pid << " survived";
  const passwd* pw = ::getpwnam(options.user.c_str());
  ASSERT_NE(pw, nullptr);
  EXPECT_TRUE(processesOf(listProcesses(), pw->pw_uid).empty())
      << "processes of the lab user survived the teardown";
}

}  // namespace
}  // namespace rdpdoctor::lab
