#include "rdp_security_check.hpp"

#include "negotiation_check.hpp"
#include "rdpdoctor/wire/mcs_connect_initial.hpp"
#include "rdpdoctor/wire/mcs_connect_response.hpp"
#include "rdpdoctor/wire/protocols.hpp"

namespace rdpdoctor::probe {
namespace {

std::string statusOfError(const Error& e) {
  if (e.code == "timeout") return "timeout";
  if (e.code == "closed" || e.code == "reset") return "closed";
  return "error";
}

}  // namespace

RdpMethodCheck readConnectResponse(std::uint32_t method, const Result<wire::Bytes>& pdu) {
  RdpMethodCheck c;
  c.offered = method;
  if (!pdu) {
    c.status = statusOfError(pdu.error());
    c.detail = pdu.error().message();
    return c;
  }
  auto response = wire::parseMcsConnectResponse(*pdu);
  if (!response) {
    if (auto reason = wire::parseDisconnectProviderUltimatum(*pdu)) {
      c.status = "refused";
      c.detail = "disconnect provider ultimatum " + wire::ultimatumReasonName(*reason);
    } else {
      c.status = "error";
      c.detail = "not an MCS Connect Response: " + response.error().message();
    }
    return c;
  }
  const auto outcome = wire::summarizeStandardSecurity(*response);
  c.serverMethod = outcome.encryptionMethod_;
  if (response->security_) c.level = outcome.encryptionLevel_;
  if (outcome.serverVersion_ != 0) c.serverVersion = outcome.serverVersion_;
  if (outcome.acceptedFrom(method)) {
    c.status = "accepted";
  } else if (outcome.mcsResult_ == wire::kMcsResultSuccessful && response->security_ &&
             outcome.encryptionMethod_ == wire::kEncryptionNone &&
             outcome.encryptionLevel_ == wire::kEncryptionLevelNone) {
    c.status = "no-encryption";
    c.detail =
        "the server accepts standard RDP security without encryption (method and level none)";
  } else if (outcome.accepted()) {
    c.status = "other-method";
    c.detail = "the server answered with " + wire::encryptionMethodName(outcome.encryptionMethod_);
  } else {
    c.status = "refused";
    c.detail = outcome.mcsResult_ != wire::kMcsResultSuccessful
                   ? wire::mcsResultName(outcome.mcsResult_)
                   : "no encryption method in the answer";
  }
  return c;
}

Task<RdpMethodCheck> checkRdpMethod(const Endpoint& to, std::uint32_t method, Deadline deadline,
                                    Socket carried) {
  const auto start = Clock::now();
  X224Exchange x;
  if (carried.valid()) {
    x.check.selected = wire::kProtocolRdp;
    x.socket = std::move(carried);
  } else {
    x = co_await exchangeX224(to, Socket(), wire::kProtocolRdp, deadline);
  }
  RdpMethodCheck c;
  c.offered = method;
  const bool rdp = x.socket.valid() && x.check.selected && *x.check.selected == wire::kProtocolRdp;
  if (!rdp) {
    c.status = x.check.status == NegotiationStatus::Timeout ? "timeout" : "not-offered";
    c.detail = "the X.224 exchange did not select standard RDP security: " +
               std::string(toString(x.check.status));
  } else {
    wire::ConnectInitialOptions options;
    options.encryptionMethods_ = method;
    options.serverSelectedProtocol_ = wire::kProtocolRdp;
    wire::Bytes seen;
    if (auto st = co_await sendAll(x.socket, wire::buildMcsConnectInitial(options), deadline);
        !st) {
      c.status = statusOfError(st.error());
      c.detail = st.error().message();
    } else {
      c = readConnectResponse(method, co_await recvTpkt(x.socket, deadline, seen));
    }
  }
  c.elapsedMs = msSince(start);
  co_return c;
}

}  // namespace rdpdoctor::probe
