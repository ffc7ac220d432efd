#include "tar_gz.hpp"

#include <fcntl.h>
#include <unistd.h>
#include <zlib.h>

#include <array>
#include <cstdio>
#include <cstring>

namespace rdpdoctor::app {
namespace {

void octal(char* field, std::size_t width, std::uint64_t value) {
  std::snprintf(field, width, "%0*llo", static_cast<int>(width - 1),
                static_cast<unsigned long long>(value));
}

/// POSIX ustar header (IEEE Std 1003.1, pax "ustar Interchange Format").
std::array<char, 512> header(const TarEntry& e, std::int64_t mtime) {
  std::array<char, 512> h{};
  std::memcpy(h.data(), e.name.data(), std::min<std::size_t>(e.name.size(), 99));
  octal(h.data() + 100, 8, 0600);
  octal(h.data() + 108, 8, 0);
  octal(h.data() + 116, 8, 0);
  octal(h.data() + 124, 12, e.data.size());
  octal(h.data() + 136, 12, static_cast<std::uint64_t>(mtime));
  std::memset(h.data() + 148, ' ', 8);  // checksum field counts as spaces
  h[156] = '0';                         // regular file
  std::memcpy(h.data() + 257, "ustar", 6);
  std::memcpy(h.data() + 263, "00", 2);
  std::memcpy(h.data() + 265, "rdpdoctor", 9);
  std::memcpy(h.data() + 297, "rdpdoctor", 9);
  unsigned sum = 0;
  for (char c : h) sum += static_cast<unsigned char>(c);
  std::snprintf(h.data() + 148, 8, "%06o", sum);
  h[155] = ' ';
  return h;
}

}  // namespace

bool writeTarGz(const std::string& path, const std::vector<TarEntry>& entries, std::int64_t mtime) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) return false;
  gzFile gz = gzdopen(fd, "wb9");
  if (gz == nullptr) {
    ::close(fd);
    return false;
  }
  bool ok = true;
  auto put = [&](const char* p, std::size_t n) {
    if (n > 0 && gzwrite(gz, p, static_cast<unsigned>(n)) != static_cast<int>(n)) ok = false;
  };
  static const std::array<char, 512> kZero{};
  for (const auto& e : entries) {
    const auto h = header(e, mtime);
    put(h.data(), h.size());
    put(e.data.data(), e.data.size());
    put(kZero.data(), (512 - e.data.size() % 512) % 512);
  }
  put(kZero.data(), kZero.size());  // end of archive: two zero blocks
  put(kZero.data(), kZero.size());
  return gzclose(gz) == Z_OK && ok;
}

}  // namespace rdpdoctor::app
