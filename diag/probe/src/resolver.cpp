#include "resolver.hpp"

#include <arpa/inet.h>
#include <netdb.h>

#include <condition_variable>
#include <cstring>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

namespace rdpdoctor::probe {
namespace {

std::string addressText(const sockaddr* sa) {
  char buf[INET6_ADDRSTRLEN] = {};
  if (sa->sa_family == AF_INET6) {
    ::inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(sa)->sin6_addr, buf, sizeof buf);
  } else {
    ::inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(sa)->sin_addr, buf, sizeof buf);
  }
  return buf;
}

Result<std::vector<Endpoint>> lookup(const std::string& host, std::uint16_t port, int flags) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_protocol = IPPROTO_TCP;
  hints.ai_flags = flags;
  addrinfo* list = nullptr;
  const int rc = ::getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &list);
  if (rc != 0) {
    const bool missing = rc == EAI_NONAME || rc == EAI_NODATA;
    return makeError(missing ? "no-such-host" : "resolve", std::string("cannot resolve ") + host + ": " + ::gai_strerror(rc));
  }
  std::vector<Endpoint> out;
  for (const addrinfo* a = list; a != nullptr; a = a->ai_next) {
    if (a->ai_family != AF_INET && a->ai_family != AF_INET6) continue;
    Endpoint e;
    std::memcpy(&e.addr, a->ai_addr, a->ai_addrlen);
    e.length = a->ai_addrlen;
    e.ipv6 = a->ai_family == AF_INET6;
    e.text = addressText(a->ai_addr);
    bool seen = false;
    for (const auto& o : out) seen = seen || (o.text == e.text);
    if (!seen) out.push_back(std::move(e));
  }
  ::freeaddrinfo(list);
  if (out.empty()) return makeError("no-such-host", "no IPv4 or IPv6 address for " + host);
  return out;
}

struct Pending {
  std::mutex mutex;
  std::condition_variable done;
  std::optional<Result<std::vector<Endpoint>>> result;
};

}  // namespace

Result<std::vector<Endpoint>> resolveHost(const HostSpec& target, Deadline deadline) {
  auto literal = lookup(target.host, target.port, AI_NUMERICHOST);
  if (literal) return literal;
  auto pending = std::make_shared<Pending>();
  std::thread([pending, host = target.host, port = target.port] {
    auto r = lookup(host, port, 0);
    std::lock_guard lock(pending->mutex);
    pending->result = std::move(r);
    pending->done.notify_all();
  }).detach();  // getaddrinfo cannot be cancelled: a late answer lands in `pending` and is dropped
  std::unique_lock lock(pending->mutex);
  if (!pending->done.wait_until(lock, deadline.at(), [&] { return pending->result.has_value(); })) {
    return makeError("timeout", "no answer from the resolver for " + target.host + " before the deadline");
  }
  return std::move(*pending->result);
}

}  // namespace rdpdoctor::probe
