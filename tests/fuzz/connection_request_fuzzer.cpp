// Fuzz target: parseConnectionRequest (what a stub server reads), with a round trip.
#include <cstddef>
#include <cstdint>
#include <span>

#include "fuzz_check.hpp"
#include "rdpdoctor/wire/connection_request.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace rdpdoctor;
  auto cr = wire::parseConnectionRequest(std::span<const std::uint8_t>(data, size));
  if (!cr.ok()) {
    fuzz::requireDecodeError(cr.error());
    return 0;
  }
  auto rebuilt = wire::buildConnectionRequest(*cr);
  fuzz::require(rebuilt.ok());
  auto again = wire::parseConnectionRequest(*rebuilt);
  fuzz::require(again.ok());
  fuzz::require(again->cookie_ == cr->cookie_ && again->routingToken_ == cr->routingToken_);
  fuzz::require(again->srcRef_ == cr->srcRef_);
  fuzz::require(again->negotiation_.has_value() == cr->negotiation_.has_value());
  if (cr->negotiation_) {
    fuzz::require(again->negotiation_->flags_ == cr->negotiation_->flags_);
    fuzz::require(again->negotiation_->requestedProtocols_ == cr->negotiation_->requestedProtocols_);
    fuzz::require(again->negotiation_->correlationId_ == cr->negotiation_->correlationId_);
  }
  return 0;
}
