#pragma once
// Factories behind lab::start(), one per family of Kind.
#include <cstdint>
#include <memory>

#include "rdpdoctor/lab/lab.hpp"

namespace rdpdoctor::lab {

[[nodiscard]] Result<std::unique_ptr<Server>> startXrdp(const ServerOptions& options);
[[nodiscard]] Result<std::unique_ptr<Server>> startShadow(const ServerOptions& options);
[[nodiscard]] Result<std::unique_ptr<Server>> startFault(const ServerOptions& options);

/// How many times a server is started on a fresh free port when it exits before it is ready
/// (another process may take the reserved port between our probe and the server's bind).
inline constexpr int kBindAttempts = 3;

/// xrdp-sesman's port (xrdp reads it from the compiled-in /etc/xrdp/sesman.ini at each logon).
inline constexpr std::uint16_t kSesmanPort = 3350;
/// True while this process runs a lab xrdp-sesman (startSesman() succeeded, not yet stopped): its
/// xrdp servers log on through it; the xrdp servers of every other process never reach it.
[[nodiscard]] bool labSesmanRunsHere();

}  // namespace rdpdoctor::lab
