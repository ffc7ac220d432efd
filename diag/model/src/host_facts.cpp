#include "rdpdoctor/host_facts.hpp"

#include <algorithm>

namespace rdpdoctor {

bool HostFacts::legacyTlsOnly() const {
  if (tlsVersionsOk.empty()) return false;
  return std::none_of(tlsVersionsOk.begin(), tlsVersionsOk.end(),
                      [](const std::string& v) { return v == "1.2" || v == "1.3"; });
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
