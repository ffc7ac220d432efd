// Fuzz target: parseMcsConnectResponse and parseDisconnectProviderUltimatum, with a round trip.
#include <cstddef>
#include <cstdint>
#include <span>

#include "fuzz_check.hpp"
#include "rdpdoctor/wire/mcs_connect_response.hpp"
#include "rdpdoctor/wire/standard_security.hpp"

namespace {

void checkRoundTrip(const rdpdoctor::wire::McsConnectResponse& rsp) {
  using namespace rdpdoctor;
  auto again = wire::parseMcsConnectResponse(wire::buildMcsConnectResponse(rsp));
  fuzz::require(again.ok());
  fuzz::require(again->result_ == rsp.result_ && again->calledConnectId_ == rsp.calledConnectId_);
  fuzz::require(again->core_.has_value() == rsp.core_.has_value());
  fuzz::require(again->security_.has_value() == rsp.security_.has_value());
  fuzz::require(again->network_.has_value() == rsp.network_.has_value());
  if (rsp.security_) {
    fuzz::require(again->security_->encryptionMethod_ == rsp.security_->encryptionMethod_);
    fuzz::require(again->security_->serverCertificate_ == rsp.security_->serverCertificate_);
  }
  if (rsp.network_) fuzz::require(again->network_->channelIds_ == rsp.network_->channelIds_);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace rdpdoctor;
  const std::span<const std::uint8_t> input(data, size);
  auto ultimatum = wire::parseDisconnectProviderUltimatum(input);
  if (!ultimatum.ok()) fuzz::requireDecodeError(ultimatum.error());
  auto rsp = wire::parseMcsConnectResponse(input);
  if (!rsp.ok()) {
    fuzz::requireDecodeError(rsp.error());
    return 0;
  }
  const auto outcome = wire::summarizeStandardSecurity(*rsp);
  (void)wire::mcsResultName(outcome.mcsResult_);
  (void)wire::encryptionMethodName(outcome.encryptionMethod_);
  (void)wire::encryptionLevelName(outcome.encryptionLevel_);
  // A user data block holding no blocks at all cannot be told apart from absent user data.
  if (rsp->result_ == wire::kMcsResultSuccessful || rsp->core_ || rsp->security_ || rsp->network_) {
    checkRoundTrip(*rsp);
  }
  return 0;
}
