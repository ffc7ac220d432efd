// Fuzz target: mstsc .rdp files (client/core rdp_file). Oracles: parsing never crashes; a parsed
// file serializes back to the same text (unknown and malformed lines kept byte for byte, modulo
// line endings); a profile read from it writes back into a file that parses again.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.hpp"
#include "rdpdoctor/front/rdp_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace rdpdoctor;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  auto file = parseRdpFile(input);
  if (!file.ok()) {
    fuzz::require(file.error().code == "malformed");
    return 0;
  }
  // serialize -> parse -> serialize is stable
  const std::string once = file->serialize();
  auto again = parseRdpFile(once);
  fuzz::require(again.ok());
  fuzz::require(again->serialize() == once);
  std::vector<std::string> warnings;
  auto profile = profileFromRdp(*file, warnings);
  if (profile.ok()) {
    RdpFile out = *file;
    applyProfileToRdp(*profile, out);
    fuzz::require(parseRdpFile(out.serialize()).ok());
  }
  return 0;
}
