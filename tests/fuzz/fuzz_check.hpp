#pragma once
// Oracles shared by the fuzz targets: a decoder may fail, but only with one of the five codes,
// a lower-case context, and never by crashing or reading out of bounds.
#include <cstdlib>
#include <string_view>

#include "rdpdoctor/result.hpp"

namespace rdpdoctor::fuzz {

inline void require(bool condition) {
  if (!condition) std::abort();
}

inline void requireDecodeError(const Error& error) {
  const std::string_view code = error.code;
  require(code == "truncated" || code == "oversized" || code == "wrong-type" ||
          code == "trailing-bytes" || code == "malformed");
  require(!error.context.empty() && error.context.back() != '.');
}

}  // namespace rdpdoctor::fuzz
