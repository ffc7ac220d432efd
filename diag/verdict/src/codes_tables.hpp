#pragma once
// Private: the tables of codes_*.cpp, one function per table.
#include "rdpdoctor/verdict/codes.hpp"

namespace rdpdoctor::codes {

[[nodiscard]] std::span<const CodeEntry> mstscDisconnect();
[[nodiscard]] std::span<const CodeEntry> mstscExtended();
[[nodiscard]] std::span<const CodeEntry> errInfo();
[[nodiscard]] std::span<const CodeEntry> negFailure();
[[nodiscard]] std::span<const CodeEntry> freerdpError();
[[nodiscard]] std::span<const CodeEntry> clientExit();

/// FreeRDP error.h: MAKE_FREERDP_ERROR(class, type) = class << 16 | type.
inline constexpr std::uint32_t kFreeRdpErrinfoClass = 1;
inline constexpr std::uint32_t kFreeRdpConnectClass = 2;
/// FreeRDP 2.11 error.h: ERRORSTART, the base of the legacy connectErrorCode values.
inline constexpr std::uint32_t kLegacyConnectErrorStart = 10000;

}  // namespace rdpdoctor::codes
