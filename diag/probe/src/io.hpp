#pragma once
// The probe's event loop: standalone Asio (Debian's libasio-dev) with C++20 coroutines. Every
// check is a coroutine on an io_context run by one thread (a probe: the caller's; a scan: a few,
// each with its own hosts); a wait is the operation raced against a steady_timer at its Deadline
// (awaitable_operators `||`, which cancels the loser). Sockets stay plain non-blocking file
// descriptors read and written with send/recv/OpenSSL as before; Asio's reactor (epoll) says when
// they are ready.
#include <asio/any_io_executor.hpp>
#include <asio/awaitable.hpp>
#include <asio/co_spawn.hpp>
#include <asio/experimental/as_tuple.hpp>
#include <asio/experimental/awaitable_operators.hpp>
#include <asio/io_context.hpp>
#include <asio/steady_timer.hpp>
#include <asio/this_coro.hpp>
#include <asio/use_awaitable.hpp>
#include <exception>
#include <optional>
#include <utility>

#include "deadline.hpp"

namespace rdpdoctor::probe {

using Executor = asio::any_io_executor;
template <class T>
using Task = asio::awaitable<T>;

/// Completion token: the operation's error_code (and value) as a tuple, never an exception.
inline constexpr auto kAsTuple = asio::experimental::as_tuple(asio::use_awaitable);

/// A timer that fires at `deadline` (already fired when it passed).
[[nodiscard]] inline asio::steady_timer deadlineTimer(const Executor& ex, Deadline deadline) {
  return asio::steady_timer(ex, deadline.at());
}

/// Runs `task` to completion on a fresh io_context on this thread and returns its value
/// (SIGPIPE blocked meanwhile: OpenSSL writes with write(2)). An exception escaping the task is
/// rethrown here.
template <class T>
T runToCompletion(Task<T> task);

/// Blocks SIGPIPE on this thread for its lifetime; a SIGPIPE raised meanwhile (a write to a
/// socket the server closed) is consumed before the old mask comes back.
class SigpipeBlock {
 public:
  SigpipeBlock();
  ~SigpipeBlock();
  SigpipeBlock(const SigpipeBlock&) = delete;
  SigpipeBlock& operator=(const SigpipeBlock&) = delete;

 private:
  bool wasBlocked_ = false;
};

namespace detail {
/// co_spawn's completion needs a default-constructible value; Result<T> is not: store it here.
template <class T>
Task<void> storeResult(Task<T> task, std::optional<T>& out) {
  out.emplace(co_await std::move(task));
}
}  // namespace detail

template <class T>
T runToCompletion(Task<T> task) {
  SigpipeBlock sigpipe;
  asio::io_context io(1);
  std::optional<T> out;
  std::exception_ptr failure;
  asio::co_spawn(io, detail::storeResult(std::move(task), out),
                 [&](std::exception_ptr e) { failure = e; });
  io.run();
  if (failure) std::rethrow_exception(failure);
  return std::move(*out);
}

}  // namespace rdpdoctor::probe
