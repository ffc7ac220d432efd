#pragma once
// Factories behind lab::start(), one per family of Kind.
#include <memory>

#include "rdpdoctor/lab/lab.hpp"

namespace rdpdoctor::lab {

[[nodiscard]] Result<std::unique_ptr<Server>> startXrdp(const ServerOptions& options);
[[nodiscard]] Result<std::unique_ptr<Server>> startShadow(const ServerOptions& options);
[[nodiscard]] Result<std::unique_ptr<Server>> startFault(const ServerOptions& options);

/// How many times a server is started on a fresh free port when it exits before it is ready
/// (another process may take the reserved port between our probe and the server's bind).
inline constexpr int kBindAttempts = 3;

}  // namespace rdpdoctor::lab
