#include "rdpdoctor/wire/byte_reader.hpp"

#include <gtest/gtest.h>

#include <array>

#include "rdpdoctor/wire/byte_writer.hpp"

namespace rdpdoctor::wire {
namespace {

TEST(ByteReader, ReadsLittleAndBigEndianFields) {
  const std::array<std::uint8_t, 7> data{0x01, 0x34, 0x12, 0x12, 0x34, 0x78, 0x56};
  ByteReader r(data);
  EXPECT_EQ(r.u8("a"), 0x01);
  EXPECT_EQ(r.u16le("b"), 0x1234);
  EXPECT_EQ(r.u16be("c"), 0x1234);
  EXPECT_EQ(r.u16le("d"), 0x5678);
  EXPECT_TRUE(r.empty());
  EXPECT_FALSE(r.failed());
}

TEST(ByteReader, ShortReadIsTruncatedAndSticky) {
  const std::array<std::uint8_t, 3> data{1, 2, 3};
  ByteReader r(data);
  EXPECT_EQ(r.u32le("field one"), 0u);
  EXPECT_TRUE(r.failed());
  EXPECT_EQ(r.u8("field two"), 0);  // would be 1 without the sticky error
  EXPECT_EQ(r.error().code, "truncated");
  EXPECT_EQ(r.error().message(), "truncated field one: need 4 bytes, have 3");
  EXPECT_TRUE(r.rest().empty());
}

TEST(ByteWriter, WritesFieldsAndPatchesLengths) {
  ByteWriter w;
  w.u16be(0);
  w.u32le(0x04030201);
  w.u32be(0x05060708);
  w.patchU16be(0, 0xABCD);
  const std::vector<std::uint8_t> expected{0xAB, 0xCD, 1, 2, 3, 4, 5, 6, 7, 8};
  EXPECT_EQ(w.view(), expected);
}

}  // namespace
}  // namespace rdpdoctor::wire
