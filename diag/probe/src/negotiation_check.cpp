#include "negotiation_check.hpp"

#include <variant>

#include "rdpdoctor/wire/connection_confirm.hpp"
#include "rdpdoctor/wire/connection_request.hpp"
#include "rdpdoctor/wire/mcs_connect_response.hpp"
#include "rdpdoctor/wire/protocols.hpp"
#include "rdpdoctor/wire/standard_security.hpp"

namespace rdpdoctor::probe {
namespace {

/// X.224 Disconnect Request TPDU code (ITU-T X.224 13.5): a server refusing the connection.
constexpr std::uint8_t kX224DisconnectRequest = 0x80;

NegotiationCheck fromReceiveError(NegotiationCheck c, const Error& e) {
  if (e.code == "timeout") {
    c.status = NegotiationStatus::Timeout;
  } else if (e.code == "closed" || e.code == "reset") {
    c.status = NegotiationStatus::Closed;
    c.detail = e.code == "closed" ? "fin" : "reset";
  } else {
    c.status = NegotiationStatus::Error;
    c.detail = e.message();
  }
  if (c.detail.empty()) c.detail = e.message();
  return c;
}

/// A TPKT that is not a Connection Confirm: an MCS ultimatum or an X.224 disconnect is a close.
NegotiationCheck fromOtherPdu(NegotiationCheck c, const wire::Bytes& pdu, const Error& parseError) {
  if (auto reason = wire::parseDisconnectProviderUltimatum(pdu)) {
    c.status = NegotiationStatus::Closed;
    c.detail = "ultimatum " + wire::ultimatumReasonName(*reason);
    return c;
  }
  if (pdu.size() >= 6 && (pdu[5] & 0xF0) == kX224DisconnectRequest) {
    c.status = NegotiationStatus::Closed;
    c.detail = "disconnect-request";
    return c;
  }
  c.status = NegotiationStatus::Error;
  c.detail = "not a connection confirm: " + parseError.message();
  return c;
}

bool isDowngrade(std::uint32_t requested, std::uint32_t selected) {
  if (selected == wire::kProtocolRdp) return requested != wire::kProtocolRdp;
  return (selected & ~requested) != 0;
}

}  // namespace

NegotiationCheck readConfirm(std::uint32_t requested, const Result<wire::Bytes>& pdu,
                             const wire::Bytes& seen) {
  NegotiationCheck c;
  c.requested = requested;
  c.evidence = hexPrefix(seen);
  c.bytesReceived = seen.size();
  if (!pdu) return fromReceiveError(std::move(c), pdu.error());
  auto cc = wire::parseConnectionConfirm(*pdu);
  if (!cc) return fromOtherPdu(std::move(c), *pdu, cc.error());
  if (const auto* rsp = std::get_if<wire::NegotiationResponse>(&cc->result_)) {
    c.status = NegotiationStatus::Selected;
    c.selected = rsp->selectedProtocol_;
    c.flags = rsp->flags_;
    c.downgrade = isDowngrade(requested, rsp->selectedProtocol_);
  } else if (const auto* fail = std::get_if<wire::NegotiationFailure>(&cc->result_)) {
    c.status = NegotiationStatus::Failure;
    c.failureCode = fail->failureCode_;
    c.detail = wire::failureCodeMeaning(fail->failureCode_);
  } else {
    c.status = NegotiationStatus::NoNegotiation;
    c.selected = wire::kProtocolRdp;
    c.downgrade = requested != wire::kProtocolRdp;
  }
  return c;
}

Task<X224Exchange> exchangeX224(const Endpoint& to, Socket connected, std::uint32_t requested,
                                Deadline deadline) {
  const auto start = Clock::now();
  X224Exchange x;
  x.check.requested = requested;
  auto done = [&](NegotiationCheck c) {
    c.elapsedMs = msSince(start);
    x.check = std::move(c);
    return std::move(x);
  };
  if (!connected.valid()) {
    auto s = co_await connectTcp(to, deadline);
    if (!s) co_return done(fromReceiveError(x.check, s.error()));
    connected = std::move(*s);
  }
  wire::ConnectionRequest cr;
  cr.negotiation_ = wire::NegotiationRequest{0, requested, std::nullopt};
  auto bytes = wire::buildConnectionRequest(cr);
  if (!bytes) co_return done(fromReceiveError(x.check, bytes.error()));
  if (auto st = co_await sendAll(connected, *bytes, deadline); !st)
    co_return done(fromReceiveError(x.check, st.error()));
  wire::Bytes seen;
  auto pdu = co_await recvTpkt(connected, deadline, seen);
  auto check = readConfirm(requested, pdu, seen);
  if (check.status == NegotiationStatus::Selected ||
      check.status == NegotiationStatus::NoNegotiation) {
    x.socket = std::move(connected);
  }
  co_return done(std::move(check));
}

}  // namespace rdpdoctor::probe
