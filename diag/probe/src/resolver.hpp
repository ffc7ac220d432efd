#pragma once
// Every A and AAAA address of a name, in resolver order, with a deadline.
#include <vector>

#include "deadline.hpp"
#include "rdpdoctor/host_spec.hpp"
#include "rdpdoctor/result.hpp"
#include "socket.hpp"

namespace rdpdoctor::probe {

/// Literal IPv4/IPv6 addresses resolve at once; names go through getaddrinfo (AF_UNSPEC, no
/// AI_ADDRCONFIG, so ::1 stays listed on hosts without global IPv6) on a small fixed pool of
/// resolver threads shared by the process; the coroutine waits for the answer on an eventfd with
/// the deadline, and a late answer is dropped. Errors: "timeout", "no-such-host", "resolve".
[[nodiscard]] Task<Result<std::vector<Endpoint>>> resolveHost(HostSpec target, Deadline deadline);

}  // namespace rdpdoctor::probe
