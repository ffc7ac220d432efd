#include "rdpdoctor/front/credentials.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>

using namespace rdpdoctor;

TEST(Credentials, EnvironmentComesFirstAndIsRemovedFromTheEnvironment) {
  ::setenv("RDPDOCTOR_PASSWORD", "from-env", 1);
  auto s = readPassword({"/nonexistent", false, "x"});
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->reveal(), "from-env");
  EXPECT_EQ(std::getenv("RDPDOCTOR_PASSWORD"), nullptr);
}

TEST(Credentials, FileGivesItsFirstLineWithoutTheNewline) {
  const auto path =
      std::filesystem::temp_directory_path() / ("rdpd-pw-" + std::to_string(::getpid()));
  { std::ofstream(path) << "p@ss word\r\nsecond line\n"; }
  auto s = readPassword({path.string(), false, "x"});
  std::filesystem::remove(path);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->reveal(), "p@ss word");
}

TEST(Credentials, MissingFileIsAUsageError) {
  auto s = readPassword({"/nonexistent/pw", false, "x"});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, "usage");
}

TEST(Credentials, NoSourceAndNoPromptGivesAnEmptySecret) {
  auto s = readPassword({"", false, "x"});
  ASSERT_TRUE(s.ok());
  EXPECT_TRUE(s->empty());
}
