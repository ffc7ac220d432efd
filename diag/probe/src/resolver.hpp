#pragma once
// Every A and AAAA address of a name, in resolver order, with a deadline.
#include <vector>

#include "deadline.hpp"
#include "rdpdoctor/host_spec.hpp"
#include "rdpdoctor/result.hpp"
#include "socket.hpp"

namespace rdpdoctor::probe {

/// Literal IPv4/IPv6 addresses resolve at once; names go through getaddrinfo (AF_UNSPEC, no
/// AI_ADDRCONFIG, so ::1 stays listed on hosts without global IPv6) on a helper thread that is
/// abandoned if the deadline passes. Errors: "timeout", "no-such-host", "resolve" (gai text).
[[nodiscard]] Result<std::vector<Endpoint>> resolveHost(const HostSpec& target, Deadline deadline);

}  // namespace rdpdoctor::probe
