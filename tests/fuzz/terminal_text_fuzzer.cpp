// Fuzz target: terminalText (diag/model text_safety). Oracles: the output obeys nothing (no control
// byte, no C1, no invalid UTF-8, no newline), is empty only for empty input, is idempotent, and
// keeps printable ASCII input unchanged.
#include <cstddef>
#include <cstdint>
#include <string>

#include "rdpdoctor/text_safety.hpp"
#include "text_oracles.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace rdpdoctor;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::string out = terminalText(input);
  fuzz::requireTerminalSafe(out);
  fuzz::require(out.empty() == input.empty());
  fuzz::require(terminalText(out) == out);
  bool printableAscii = true;
  for (const char c : input) printableAscii = printableAscii && c >= 0x20 && c < 0x7F;
  if (printableAscii) fuzz::require(out == input);
  return 0;
}
