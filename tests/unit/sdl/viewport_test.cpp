// Where the remote desktop lands in the window, and where a click lands on the desktop.
#include "rdpdoctor/sdl/viewport.hpp"

#include <gtest/gtest.h>

namespace {

using rdpdoctor::sdl::PixelRect;
using rdpdoctor::sdl::Viewport;

TEST(Viewport, SameSizeIsOneToOne) {
  const Viewport v(1024, 768, 1024, 768);
  EXPECT_TRUE(v.identity());
  EXPECT_EQ(v.image(), (PixelRect{0, 0, 1024, 768}));
  EXPECT_EQ(v.toWindow({10, 20, 30, 40}), (PixelRect{10, 20, 30, 40}));
  EXPECT_EQ(v.toDesktop(1023, 767), std::make_pair(1023, 767));
}

TEST(Viewport, WiderWindowGetsBarsLeftAndRight) {
  const Viewport v(1024, 768, 1000, 400);  // 4:3 in 1000x400: 533x400, centred
  EXPECT_FALSE(v.identity());
  EXPECT_EQ(v.image(), (PixelRect{233, 0, 533, 400}));
  EXPECT_EQ(v.toDesktop(233, 0), std::make_pair(0, 0));
  EXPECT_EQ(v.toDesktop(765, 399), std::make_pair(1023, 767));
  // clicks on the bars go to the nearest edge of the desktop
  EXPECT_EQ(v.toDesktop(5, 200).first, 0);
  EXPECT_EQ(v.toDesktop(995, 200).first, 1023);
}

TEST(Viewport, TallerWindowGetsBarsAboveAndBelow) {
  const Viewport v(800, 600, 800, 900);
  EXPECT_EQ(v.image(), (PixelRect{0, 150, 800, 600}));
  EXPECT_EQ(v.toDesktop(400, 150 + 300), std::make_pair(400, 300));
}

TEST(Viewport, ScaledRectanglesCoverEveryPixelTheyTouch) {
  const Viewport v(1024, 768, 512, 384);  // half size
  EXPECT_EQ(v.toWindow({1, 1, 1, 1}), (PixelRect{0, 0, 1, 1}));  // never empty
  EXPECT_EQ(v.toWindow({0, 0, 1024, 768}), v.image());
  const Viewport up(640, 480, 1280, 960);  // double size
  EXPECT_EQ(up.toWindow({10, 10, 5, 5}), (PixelRect{20, 20, 10, 10}));
  EXPECT_EQ(up.toDesktop(21, 21), std::make_pair(10, 10));
}

TEST(Viewport, DegenerateSizesDoNotDivideByZero) {
  const Viewport v(0, 0, 0, 0);
  EXPECT_EQ(v.toDesktop(5, 5), std::make_pair(0, 0));
  EXPECT_GE(v.image().w, 1);
}

}  // namespace
