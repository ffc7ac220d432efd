// Fuzz target: mstsc .rdp files (client/core rdp_file). Oracles: parsing never crashes; a parsed
// file serializes back to exactly its bytes (every line, its ending, the BOM, the encoding);
// a profile read from it writes back into a file that parses again.
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
  // a file read and written back is the same bytes (issue 13)
  const std::string once = file->serialize();
  fuzz::require(once == input);
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
