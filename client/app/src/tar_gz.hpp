#pragma once
// A minimal ustar writer, gzip-compressed with zlib: regular files only, names we choose.
// (libarchive would add a dependency for four features we do not use: reading, other formats,
// links and attributes. This is ~60 lines, and tar(1), Python's tarfile and 7-Zip read it.)
#include <cstdint>
#include <string>
#include <vector>

namespace rdpdoctor::app {

struct TarEntry {
  std::string name;  // relative, at most 99 bytes
  std::string data;
};

/// Writes `entries` as FILE (mode 0600). Returns false (errno set) when it cannot.
[[nodiscard]] bool writeTarGz(const std::string& path, const std::vector<TarEntry>& entries,
                              std::int64_t mtime);

}  // namespace rdpdoctor::app
