#pragma once
// Routes FreeRDP's WLog (root logger) into an spdlog logger, so FreeRDP prints nothing behind
// our back. Error and warning lines are also kept in a bounded tail for the attempt's Outcome.
#include <spdlog/logger.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "rdpdoctor/front/log_format.hpp"  // terminalSafeLogFormatter

namespace rdpdoctor {

/// Installs the bridge (idempotent). WLog's level follows the logger's level.
void routeWlogTo(std::shared_ptr<spdlog::logger> logger);
/// The last error/warning lines FreeRDP logged since the last call (at most 12), then clears them.
[[nodiscard]] std::vector<std::string> takeWlogTail();

/// What the server's X.224 Connection Confirm selected, as FreeRDP's negotiation logged it.
struct NegotiationSeen {
  std::optional<std::uint32_t> selected;  // selectedProtocol of an RDP Negotiation Response
  bool noNegotiationData = false;         // a Confirm without negotiation data (pre-Vista host)
};
/// Starts watching FreeRDP's negotiation (installs the bridge if nothing did) and forgets what
/// an earlier connection of this process saw.
void watchNegotiation();
/// For what FreeRDP tells no callback about: calls `hook(arg)` once, on the thread that logs
/// it, the first time a line of `tag` containing `text` is logged (the tag's level is raised to
/// debug to see it; it is shown at trace like the rest). One watch at a time.
void watchLogLine(const std::string& tag, const std::string& text, void (*hook)(void*), void* arg);
/// Ends the watch (the hook is not called any more).
void clearLogWatch();
/// The last Confirm seen since watchNegotiation().
[[nodiscard]] NegotiationSeen negotiationSeen();

}  // namespace rdpdoctor
