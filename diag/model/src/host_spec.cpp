#include "rdpdoctor/host_spec.hpp"

#include <arpa/inet.h>

#include <charconv>

namespace rdpdoctor {
namespace {

Result<std::uint16_t> parsePort(std::string_view text) {
  unsigned value = 0;
  const auto* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc{} || ptr != end || value == 0 || value > 65535) {
    return makeError("usage", "invalid port '" + std::string(text) + "'");
  }
  return static_cast<std::uint16_t>(value);
}

bool isIpv6(std::string_view s) {
  in6_addr a{};
  return inet_pton(AF_INET6, std::string(s).c_str(), &a) == 1;
}

bool validName(std::string_view s) {
  for (char c : s) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '.' || c == '_';
    if (!ok) return false;
  }
  return !s.empty() && s.size() <= 253;
}

}  // namespace

std::string HostSpec::display() const {
  std::string h = ipv6Literal ? "[" + host + "]" : host;
  return h + ":" + std::to_string(port);
}

Result<HostSpec> parseHostSpec(std::string_view text, std::uint16_t defaultPort) {
  HostSpec spec;
  spec.port = defaultPort;
  if (text.empty()) return makeError("usage", "empty host");
  if (text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string_view::npos) return makeError("usage", "missing ']' in '" + std::string(text) + "'");
    spec.host = std::string(text.substr(1, close - 1));
    if (!isIpv6(spec.host)) return makeError("usage", "not an IPv6 address: '" + spec.host + "'");
    spec.ipv6Literal = true;
    auto rest = text.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return makeError("usage", "expected ':port' after ']'");
      auto port = parsePort(rest.substr(1));
      if (!port) return port.error();
      spec.port = *port;
    }
    return spec;
  }
  if (text.find(':') != text.rfind(':')) {  // two or more colons: a bare IPv6 literal
    if (!isIpv6(text)) return makeError("usage", "not an IPv6 address: '" + std::string(text) + "'");
    spec.host = std::string(text);
    spec.ipv6Literal = true;
    return spec;
  }
  const auto colon = text.find(':');
  spec.host = std::string(text.substr(0, colon));
  if (colon != std::string_view::npos) {
    auto port = parsePort(text.substr(colon + 1));
    if (!port) return port.error();
    spec.port = *port;
  }
  if (!validName(spec.host)) return makeError("usage", "invalid host name '" + spec.host + "'");
  return spec;
}

bool isLoopbackLiteral(std::string_view address) {
  in_addr a4{};
  in6_addr a6{};
  const std::string s(address);
  if (inet_pton(AF_INET, s.c_str(), &a4) == 1) return (ntohl(a4.s_addr) >> 24) == 127;
  if (inet_pton(AF_INET6, s.c_str(), &a6) == 1) return IN6_IS_ADDR_LOOPBACK(&a6);
  return false;
}

}  // namespace rdpdoctor
