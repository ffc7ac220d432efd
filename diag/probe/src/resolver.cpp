#include "resolver.hpp"

#include <arpa/inet.h>
#include <netdb.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <cstring>
#include <deque>
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
    return makeError(missing ? "no-such-host" : "resolve",
                     std::string("cannot resolve ") + host + ": " + ::gai_strerror(rc));
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

/// One lookup handed to the pool: the answer and the eventfd that says it is there. Shared by the
/// waiting coroutine and the pool (whichever is last closes the eventfd).
struct Pending {
  Pending(std::string h, std::uint16_t p) : host(std::move(h)), port(p) {}
  ~Pending() {
    if (ready >= 0) ::close(ready);
  }
  Pending(const Pending&) = delete;
  Pending& operator=(const Pending&) = delete;
  std::string host;
  std::uint16_t port;
  int ready = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  std::mutex mutex;
  std::optional<Result<std::vector<Endpoint>>> result;
  std::atomic<bool> abandoned{false};
};

/// getaddrinfo cannot be cancelled and blocks: a few threads for the whole process, started on
/// the first name (literal addresses never come here), idle on a condition variable after.
class ResolverPool {
 public:
  static ResolverPool& instance() {
    static auto* pool = new ResolverPool();  // never destroyed: its threads outlive main's scope
    return *pool;
  }
  void submit(std::shared_ptr<Pending> p) {
    std::lock_guard lock(mutex_);
    queue_.push_back(std::move(p));
    if (idle_ == 0 && threads_ < kThreads) {
      ++threads_;
      std::thread([this] { work(); }).detach();
    }
    wake_.notify_one();
  }

 private:
  static constexpr unsigned kThreads = 4;
  void work() {
    std::unique_lock lock(mutex_);
    for (;;) {
      ++idle_;
      wake_.wait(lock, [&] { return !queue_.empty(); });
      --idle_;
      auto p = std::move(queue_.front());
      queue_.pop_front();
      if (p->abandoned) continue;  // its deadline passed while it queued
      lock.unlock();
      auto r = lookup(p->host, p->port, 0);
      {
        std::lock_guard done(p->mutex);
        p->result = std::move(r);
      }
      const std::uint64_t one = 1;
      [[maybe_unused]] const auto n = ::write(p->ready, &one, sizeof one);
      lock.lock();
    }
  }
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::shared_ptr<Pending>> queue_;
  unsigned threads_ = 0;
  unsigned idle_ = 0;
};

}  // namespace

Task<Result<std::vector<Endpoint>>> resolveHost(HostSpec target, Deadline deadline) {
  auto literal = lookup(target.host, target.port, AI_NUMERICHOST);
  if (literal) co_return literal;
  auto pending = std::make_shared<Pending>(target.host, target.port);
  if (pending->ready < 0)
    co_return makeError("resolve", "cannot create an eventfd for the resolver");
  // the coroutine watches its own copy of the eventfd: the pool may still write to the original
  Socket watch(co_await asio::this_coro::executor, ::dup(pending->ready));
  if (!watch.valid()) co_return makeError("resolve", "the event loop cannot watch the resolver");
  ResolverPool::instance().submit(pending);
  for (;;) {
    {
      std::lock_guard lock(pending->mutex);
      if (pending->result) co_return std::move(*pending->result);
    }
    auto ready = co_await watch.waitFor(asio::posix::descriptor_base::wait_read, deadline);
    if (!ready || !*ready) break;
  }
  pending->abandoned = true;
  co_return makeError("timeout",
                      "no answer from the resolver for " + target.host + " before the deadline");
}

}  // namespace rdpdoctor::probe
