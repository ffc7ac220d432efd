#pragma once
// Loopback socket helpers: free ports, readiness polling with a deadline.
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

#include "rdpdoctor/result.hpp"

namespace rdpdoctor::lab {

/// "127.0.0.1" or "::1".
[[nodiscard]] std::string loopbackAddress(bool ipv6);

/// A listening TCP socket on `address`:`port` (0: the kernel picks), O_NONBLOCK, CLOEXEC.
[[nodiscard]] Result<int> listenOn(const std::string& address, std::uint16_t port, int backlog);

/// The local port of a bound socket.
[[nodiscard]] Result<std::uint16_t> boundPort(int fd);

/// Binds port 0 on `address`, reads the port and closes: the port is free right now.
[[nodiscard]] Result<std::uint16_t> reserveFreePort(const std::string& address);

enum class ConnectOutcome { Connected, Refused, Timeout, Error };

/// One TCP connect attempt, closed at once on success.
[[nodiscard]] ConnectOutcome tryConnect(const std::string& address, std::uint16_t port,
                                        std::chrono::milliseconds timeout);

/// One TCP connect, kept open: the connected socket (the caller closes it). Errors: "refused",
/// "timeout", "socket".
[[nodiscard]] Result<int> connectTo(const std::string& address, std::uint16_t port,
                                    std::chrono::milliseconds timeout);

/// Polls TCP connect until it succeeds, `stillAlive` returns false, or the deadline passes.
/// Errors: "exited" (stillAlive said no), "timeout".
[[nodiscard]] Status waitForTcp(const std::string& address, std::uint16_t port,
                                std::chrono::steady_clock::time_point deadline,
                                const std::function<bool()>& stillAlive);

}  // namespace rdpdoctor::lab
