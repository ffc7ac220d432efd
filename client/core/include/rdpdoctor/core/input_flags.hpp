#pragma once
// The input PDU flags a window sends through InputSink (MS-RDPBCGR 2.2.8.1.1.3.1.1): core's own
// spelling, so the window needs no FreeRDP header. freerdp_compat.cpp checks them against
// FreeRDP's at compile time.
#include <cstdint>

namespace rdpdoctor::input {

/// TS_POINTER_EVENT pointerFlags (MS-RDPBCGR 2.2.8.1.1.3.1.1.3)
inline constexpr std::uint16_t kPtrWheelNegative = 0x0100;
inline constexpr std::uint16_t kPtrWheel = 0x0200;
inline constexpr std::uint16_t kPtrHWheel = 0x0400;
inline constexpr std::uint16_t kPtrMove = 0x0800;
inline constexpr std::uint16_t kPtrButton1 = 0x1000;
inline constexpr std::uint16_t kPtrButton2 = 0x2000;
inline constexpr std::uint16_t kPtrButton3 = 0x4000;
inline constexpr std::uint16_t kPtrDown = 0x8000;
/// TS_POINTERX_EVENT pointerFlags (MS-RDPBCGR 2.2.8.1.1.3.1.1.4)
inline constexpr std::uint16_t kPtrXButton1 = 0x0001;
inline constexpr std::uint16_t kPtrXButton2 = 0x0002;
inline constexpr std::uint16_t kPtrXDown = 0x8000;
/// TS_SYNC_EVENT toggleFlags (MS-RDPBCGR 2.2.8.1.1.3.1.1.5)
inline constexpr std::uint16_t kSyncScrollLock = 0x0001;
inline constexpr std::uint16_t kSyncNumLock = 0x0002;
inline constexpr std::uint16_t kSyncCapsLock = 0x0004;
inline constexpr std::uint16_t kSyncKanaLock = 0x0008;

}  // namespace rdpdoctor::input
