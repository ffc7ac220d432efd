#include <gtest/gtest.h>
#include "rdpdoctor/lab/lab.hpp"
TEST(Lab, Builds) {}
