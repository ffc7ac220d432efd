// Fuzz target: TPKT stream framing (tpktFrameLength) and whole-PDU parsing (parseTpkt).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>

#include "fuzz_check.hpp"
#include "rdpdoctor/wire/tpkt.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace rdpdoctor;
  const std::span<const std::uint8_t> input(data, size);
  auto need = wire::tpktFrameLength(input);
  if (!need.ok()) {
    fuzz::requireDecodeError(need.error());
    return 0;
  }
  fuzz::require(*need >= wire::kTpktHeaderLength && *need <= wire::kTpktMaxLength);
  if (*need > size) return 0;
  // The framing helper said the first *need bytes are one PDU: the parser must agree.
  auto payload = wire::parseTpkt(input.first(*need));
  fuzz::require(payload.ok());
  fuzz::require(payload->size() + wire::kTpktHeaderLength == *need);
  auto rebuilt = wire::buildTpkt(*payload);
  fuzz::require(rebuilt.ok() && std::ranges::equal(*rebuilt, input.first(*need)));
  auto whole = wire::parseTpkt(input);
  if (!whole.ok()) fuzz::requireDecodeError(whole.error());
  return 0;
}
