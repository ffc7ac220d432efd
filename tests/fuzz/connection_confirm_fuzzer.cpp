// Fuzz target: parseConnectionConfirm, with a parse -> build -> parse round trip.
#include <cstddef>
#include <cstdint>
#include <span>

#include "fuzz_check.hpp"
#include "rdpdoctor/wire/connection_confirm.hpp"
#include "rdpdoctor/wire/protocols.hpp"

namespace {

bool sameResult(const rdpdoctor::wire::NegotiationResult& a,
                const rdpdoctor::wire::NegotiationResult& b) {
  using namespace rdpdoctor::wire;
  if (a.index() != b.index()) return false;
  if (const auto* rsp = std::get_if<NegotiationResponse>(&a)) {
    const auto& other = std::get<NegotiationResponse>(b);
    return rsp->flags_ == other.flags_ && rsp->selectedProtocol_ == other.selectedProtocol_;
  }
  if (const auto* failure = std::get_if<NegotiationFailure>(&a)) {
    const auto& other = std::get<NegotiationFailure>(b);
    return failure->flags_ == other.flags_ && failure->failureCode_ == other.failureCode_;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace rdpdoctor;
  auto cc = wire::parseConnectionConfirm(std::span<const std::uint8_t>(data, size));
  if (!cc.ok()) {
    fuzz::requireDecodeError(cc.error());
    return 0;
  }
  if (const auto* rsp = std::get_if<wire::NegotiationResponse>(&cc->result_)) {
    fuzz::require(!wire::protocolName(rsp->selectedProtocol_).empty());
    (void)wire::negotiationResponseFlagNames(rsp->flags_);
  }
  if (const auto* failure = std::get_if<wire::NegotiationFailure>(&cc->result_)) {
    fuzz::require(!wire::failureCodeName(failure->failureCode_).empty());
  }
  auto again = wire::parseConnectionConfirm(wire::buildConnectionConfirm(*cc));
  fuzz::require(again.ok());
  fuzz::require(again->dstRef_ == cc->dstRef_ && again->srcRef_ == cc->srcRef_);
  fuzz::require(sameResult(again->result_, cc->result_));
  return 0;
}
