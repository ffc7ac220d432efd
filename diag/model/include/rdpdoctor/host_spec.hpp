#pragma once
// What the user typed: `name`, `name:port`, `1.2.3.4:port`, `[v6]:port`, a bare IPv6 literal.
#include <cstdint>
#include <string>
#include <string_view>

#include "rdpdoctor/result.hpp"

namespace rdpdoctor {

inline constexpr std::uint16_t kDefaultRdpPort = 3389;

struct HostSpec {
  std::string host;  // name or address literal, without brackets
  std::uint16_t port = kDefaultRdpPort;
  bool ipv6Literal = false;

  /// "host:port", with brackets around an IPv6 literal.
  [[nodiscard]] std::string display() const;
  bool operator==(const HostSpec&) const = default;
};

[[nodiscard]] Result<HostSpec> parseHostSpec(std::string_view text,
                                             std::uint16_t defaultPort = kDefaultRdpPort);

/// True for 127.0.0.0/8 and ::1 (the only targets tests, benchmarks and demos may use).
[[nodiscard]] bool isLoopbackLiteral(std::string_view address);

}  // namespace rdpdoctor
