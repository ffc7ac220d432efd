#include "rdpdoctor/host_facts.hpp"

#include <algorithm>

namespace rdpdoctor {

bool HostFacts::legacyTlsOnly() const {
  if (tlsVersionsOk.empty()) return false;
  return std::none_of(tlsVersionsOk.begin(), tlsVersionsOk.end(),
                      [](const std::string& v) { return v == "1.2" || v == "1.3"; });
}

std::optional<TlsVersion> HostFacts::tlsBreaksAbove() const {
  std::optional<TlsVersion> best;
  for (const auto& v : tlsVersionsOk)
    if (auto t = parseTlsVersion(v); t.ok() && (!best || *t > *best)) best = *t;
  if (!best) return std::nullopt;
  for (const auto& v : tlsVersionsClosed)
    if (auto t = parseTlsVersion(v); t.ok() && *t > *best) return best;
  return std::nullopt;
}

bool HostFacts::someAddressDead() const {
  return std::any_of(addresses.begin(), addresses.end(),
                     [](const AddressFact& a) { return !a.tcpOk; });
}

bool HostFacts::allAddressesDead() const {
  return !addresses.empty() && std::none_of(addresses.begin(), addresses.end(),
                                            [](const AddressFact& a) { return a.tcpOk; });
}

}  // namespace rdpdoctor
