#include "rdpdoctor/probe_result.hpp"

#include <algorithm>

namespace rdpdoctor::probe {

std::string_view toString(FindingStatus s) {
  switch (s) {
    case FindingStatus::Ok:
      return "ok";
    case FindingStatus::Failed:
      return "failed";
    case FindingStatus::Skipped:
      return "skipped";
    case FindingStatus::Inconclusive:
      return "inconclusive";
  }
  return "unknown";
}

std::string_view toString(NegotiationStatus s) {
  switch (s) {
    case NegotiationStatus::Selected:
      return "selected";
    case NegotiationStatus::Failure:
      return "failure";
    case NegotiationStatus::NoNegotiation:
      return "no-negotiation";
    case NegotiationStatus::Closed:
      return "closed";
    case NegotiationStatus::Timeout:
      return "timeout";
    case NegotiationStatus::Error:
      return "error";
  }
  return "unknown";
}

std::string_view toString(TlsStatus s) {
  switch (s) {
    case TlsStatus::Ok:
      return "ok";
    case TlsStatus::Refused:
      return "refused";
    case TlsStatus::Closed:
      return "closed";
    case TlsStatus::Timeout:
      return "timeout";
    case TlsStatus::ClientRefused:
      return "client-refused";
    case TlsStatus::NotOffered:
      return "not-offered";
    case TlsStatus::Skipped:
      return "skipped";
    case TlsStatus::Error:
      return "error";
  }
  return "unknown";
}

bool selects(const ProbeResult& r, std::uint32_t protocolBit) {
  return std::any_of(r.negotiation.begin(), r.negotiation.end(), [&](const NegotiationCheck& c) {
    return c.status == NegotiationStatus::Selected && c.selected && *c.selected == protocolBit;
  });
}

}  // namespace rdpdoctor::probe
