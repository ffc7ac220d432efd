#include "rdpdoctor/wire/connection_request.hpp"

#include <algorithm>
#include <string_view>

#include "rdpdoctor/wire/protocols.hpp"
#include "x224.hpp"

namespace rdpdoctor::wire {
namespace {

constexpr std::string_view kCookiePrefix = "Cookie: ";
constexpr std::string_view kMstsHash = "mstshash=";
constexpr std::string_view kCrLf = "\r\n";
constexpr std::uint8_t kTypeNegReq = 0x01;
constexpr std::uint8_t kTypeCorrelationInfo = 0x06;
constexpr std::uint16_t kNegReqLength = 8;
constexpr std::uint16_t kCorrelationInfoLength = 36;

Status checkCookieText(std::string_view text) {
  if (text.size() > kMaxCookieLength) {
    return makeError("oversized", "cookie of " + std::to_string(text.size()) + " bytes exceeds " +
                                      std::to_string(kMaxCookieLength));
  }
  if (text.find_first_of("\r\n") != std::string_view::npos) {
    return makeError("malformed", "cookie contains cr or lf");
  }
  return okStatus();
}

Result<std::string> cookieLine(const ConnectionRequest& request) {
  if (request.cookie_ && request.routingToken_) {
    return makeError("malformed", "both a cookie and a routing token");
  }
  if (!request.cookie_ && !request.routingToken_) return std::string();
  // An empty routing token still writes "Cookie: \r\n": the parser reads it back as such.
  const std::string line =
      request.cookie_ ? std::string(kMstsHash) + *request.cookie_ : *request.routingToken_;
  if (auto ok = checkCookieText(line); !ok) return ok.error();
  return std::string(kCookiePrefix) + line + std::string(kCrLf);
}

Status writeNegotiation(ByteWriter& w, const NegotiationRequest& neg) {
  const bool flagged = (neg.flags_ & kCorrelationInfoPresent) != 0;
  if (flagged != neg.correlationId_.has_value()) {
    return makeError("malformed", "correlation id and CORRELATION_INFO_PRESENT disagree");
  }
  w.u8(kTypeNegReq);
  w.u8(neg.flags_);
  w.u16le(kNegReqLength);
  w.u32le(neg.requestedProtocols_);
  if (neg.correlationId_) {
    w.u8(kTypeCorrelationInfo);
    w.u8(0);
    w.u16le(kCorrelationInfoLength);
    w.bytes(*neg.correlationId_);
    w.zeros(16);
  }
  return okStatus();
}

// MS-RDPBCGR 2.2.1.1: routingToken or cookie, terminated by CR LF.
Status readCookieLine(ByteReader& r, ConnectionRequest& out) {
  const auto rest = r.rest();
  const std::string_view text(reinterpret_cast<const char*>(rest.data()), rest.size());
  if (!text.starts_with(kCookiePrefix)) return okStatus();
  const auto end = text.find(kCrLf);
  if (end == std::string_view::npos) return makeError("malformed", "cookie line without cr lf");
  const auto value = text.substr(kCookiePrefix.size(), end - kCookiePrefix.size());
  if (auto ok = checkCookieText(value); !ok) return ok.error();
  if (value.starts_with(kMstsHash)) {
    out.cookie_ = std::string(value.substr(kMstsHash.size()));
  } else {
    out.routingToken_ = std::string(value);
  }
  r.skip(end + kCrLf.size(), "cookie line");
  return okStatus();
}

// MS-RDPBCGR 2.2.1.1.2 RDP Correlation Info.
Status readCorrelationInfo(ByteReader& r, NegotiationRequest& neg) {
  const auto type = r.u8("rdp_neg_correlation_info type");
  if (r.failed()) return r.error();
  if (type != kTypeCorrelationInfo) {
    return makeError("wrong-type", "expected rdp_neg_correlation_info, got type " + std::to_string(type));
  }
  r.skip(1, "rdp_neg_correlation_info flags");
  const auto length = r.u16le("rdp_neg_correlation_info length");
  if (r.failed()) return r.error();
  if (length != kCorrelationInfoLength) {
    return makeError(length > kCorrelationInfoLength ? "oversized" : "malformed",
                     "rdp_neg_correlation_info length is " + std::to_string(length) + ", not 36");
  }
  const auto id = r.bytes(16, "correlation id");
  r.skip(16, "rdp_neg_correlation_info reserved");
  if (r.failed()) return r.error();
  std::array<std::uint8_t, 16> copy{};
  std::copy(id.begin(), id.end(), copy.begin());
  neg.correlationId_ = copy;
  return okStatus();
}

// MS-RDPBCGR 2.2.1.1.1 RDP Negotiation Request.
Result<NegotiationRequest> readNegotiation(ByteReader& r) {
  NegotiationRequest neg;
  const auto type = r.u8("rdp_neg_req type");
  neg.flags_ = r.u8("rdp_neg_req flags");
  const auto length = r.u16le("rdp_neg_req length");
  neg.requestedProtocols_ = r.u32le("rdp_neg_req requestedProtocols");
  if (r.failed()) return r.error();
  if (type != kTypeNegReq) {
    return makeError("wrong-type", "expected rdp_neg_req, got type " + std::to_string(type));
  }
  if (length != kNegReqLength) {
    return makeError(length > kNegReqLength ? "oversized" : "malformed",
                     "rdp_neg_req length is " + std::to_string(length) + ", not 8");
  }
  if ((neg.flags_ & kCorrelationInfoPresent) != 0) {
    if (auto ok = readCorrelationInfo(r, neg); !ok) return ok.error();
  }
  return neg;
}

}  // namespace

Result<Bytes> buildConnectionRequest(const ConnectionRequest& request) {
  auto line = cookieLine(request);
  if (!line) return line.error();
  ByteWriter variable;
  variable.text(*line);
  if (request.negotiation_) {
    if (auto ok = writeNegotiation(variable, *request.negotiation_); !ok) return ok.error();
  }
  detail::X224Connection tpdu;
  tpdu.code_ = detail::kX224ConnectionRequest;
  tpdu.srcRef_ = request.srcRef_;
  tpdu.variable_ = variable.view();
  return detail::buildX224Connection(tpdu);
}

Result<ConnectionRequest> parseConnectionRequest(ByteSpan tpktPdu) {
  auto tpdu = detail::parseX224Connection(tpktPdu, detail::kX224ConnectionRequest);
  if (!tpdu) return tpdu.error();
  if (tpdu->dstRef_ != 0 || tpdu->classOption_ != 0) {
    return makeError("malformed", "connection request dst-ref or class option is not 0");
  }
  ConnectionRequest out;
  out.srcRef_ = tpdu->srcRef_;
  ByteReader r(tpdu->variable_);
  if (auto ok = readCookieLine(r, out); !ok) return ok.error();
  if (!r.empty()) {
    auto neg = readNegotiation(r);
    if (!neg) return neg.error();
    out.negotiation_ = std::move(*neg);
  }
  if (!r.empty()) {
    return makeError("trailing-bytes",
                     std::to_string(r.remaining()) + " bytes after the connection request data");
  }
  return out;
}

}  // namespace rdpdoctor::wire
