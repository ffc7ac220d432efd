#include "rdpdoctor/core/wlog_bridge.hpp"

#include <winpr/wlog.h>

#include <deque>
#include <mutex>
#include <optional>
#include <string_view>

#include "rdpdoctor/text_safety.hpp"

namespace rdpdoctor {
namespace {

std::mutex gMutex;
std::shared_ptr<spdlog::logger> gLogger;  // guarded by gMutex
std::deque<std::string> gTail;            // guarded by gMutex
constexpr size_t kTailMax = 12;
NegotiationSeen gNegotiation;  // guarded by gMutex
bool gInstalled = false;       // guarded by gMutex
constexpr std::string_view kNegoTag = "com.freerdp.core.nego";
struct LineWatch {  // watchLogLine's
  std::string tag;
  std::string text;  // a part of the line
  void (*hook)(void*) = nullptr;
  void* arg = nullptr;
};
LineWatch gWatch;  // guarded by gMutex

/// The number in nego.c's "selected_protocol: ..." line: 2.11 writes it in decimal ("1"),
/// 3.x names the bits and then gives it in hex ("[SSL][0x00000001]").
std::optional<std::uint32_t> selectedProtocolIn(std::string_view value) {
  const auto hex = value.find("[0x");
  const std::string digits(hex == std::string_view::npos ? value : value.substr(hex + 3));
  try {
    std::size_t used = 0;
    const auto v = std::stoul(digits, &used, hex == std::string_view::npos ? 10 : 16);
    if (used == 0 || v > 0xFFFFFFFFul) return std::nullopt;
    return static_cast<std::uint32_t>(v);
  } catch (...) {
    return std::nullopt;
  }
}

/// FreeRDP's nego.c logs the Confirm it read: "selected_protocol: ..." or "no rdpNegData".
void noteNegotiation(const std::string& tag, const std::string& text) {
  if (tag != kNegoTag) return;
  constexpr std::string_view kSelected = "selected_protocol: ";
  if (text.rfind(kSelected, 0) == 0) {
    if (const auto v = selectedProtocolIn(std::string_view(text).substr(kSelected.size()))) {
      gNegotiation.selected = *v;
      gNegotiation.noNegotiationData = false;
    }
  } else if (text == "no rdpNegData") {
    gNegotiation.selected.reset();
    gNegotiation.noNegotiationData = true;
  }
}

DWORD toWlog(spdlog::level::level_enum level) {
  switch (level) {
    case spdlog::level::trace:
      return WLOG_TRACE;
    case spdlog::level::debug:
      return WLOG_DEBUG;
    case spdlog::level::info:
      return WLOG_INFO;
    case spdlog::level::warn:
      return WLOG_WARN;
    case spdlog::level::err:
      return WLOG_ERROR;
    case spdlog::level::critical:
      return WLOG_FATAL;
    default:
      return WLOG_OFF;
  }
}

BOOL onMessage(const wLogMessage* msg) noexcept {
  if (msg == nullptr) return FALSE;
  try {
    // FreeRDP's lines carry server text (certificate names, errinfo): visible, never obeyed
    const std::string text = terminalText(
        msg->TextString ? msg->TextString : (msg->FormatString ? msg->FormatString : ""));
    const std::string tag = terminalText(msg->PrefixString ? msg->PrefixString : "freerdp");
    void (*hook)(void*) = nullptr;
    void* arg = nullptr;
    std::unique_lock<std::mutex> lock(gMutex);
    noteNegotiation(tag, text);
    if (gWatch.hook != nullptr && tag == gWatch.tag &&
        text.find(gWatch.text) != std::string::npos) {
      hook = gWatch.hook;
      arg = gWatch.arg;
      gWatch = {};  // once
    }
    if (msg->Level >= WLOG_WARN && msg->Level <= WLOG_FATAL) {
      gTail.push_back(tag + ": " + text);
      if (gTail.size() > kTailMax) gTail.pop_front();
    }
    // FreeRDP's own lines are detail: our report says what happened; show them at debug
    const auto level = msg->Level >= WLOG_INFO ? spdlog::level::debug : spdlog::level::trace;
    if (gLogger) gLogger->log(level, "freerdp tag={} {}", tag, text);
    lock.unlock();
    if (hook != nullptr) hook(arg);  // on the thread that logged it, as a callback would be
  } catch (...) {
    return FALSE;
  }
  return TRUE;
}

}  // namespace

void routeWlogTo(std::shared_ptr<spdlog::logger> logger) {
  const DWORD level = logger ? toWlog(logger->level()) : WLOG_OFF;
  {
    std::lock_guard<std::mutex> lock(gMutex);
    gLogger = std::move(logger);
    gInstalled = true;
  }
  wLog* root = WLog_GetRoot();
  WLog_SetLogAppenderType(root, WLOG_APPENDER_CALLBACK);
  wLogAppender* appender = WLog_GetLogAppender(root);
  wLogCallbacks callbacks{};
  callbacks.message = onMessage;
  WLog_ConfigureAppender(appender, "callbacks", &callbacks);
  wLogLayout* layout = WLog_GetLogLayout(root);
  WLog_Layout_SetPrefixFormat(root, layout, "%mn");
  // keep warnings and errors flowing into the tail even when the console level is higher
  WLog_SetLogLevel(root, level <= WLOG_TRACE   ? WLOG_TRACE
                         : level <= WLOG_DEBUG ? WLOG_INFO
                                               : WLOG_WARN);
}

void watchNegotiation() {
  bool installed = false;
  {
    std::lock_guard<std::mutex> lock(gMutex);
    installed = gInstalled;
    gNegotiation = {};
  }
  if (!installed) routeWlogTo(nullptr);
  WLog_SetLogLevel(WLog_Get(std::string(kNegoTag).c_str()), WLOG_DEBUG);
}

void watchLogLine(const std::string& tag, const std::string& text, void (*hook)(void*), void* arg) {
  bool installed = false;
  {
    std::lock_guard<std::mutex> lock(gMutex);
    installed = gInstalled;
    gWatch = {tag, text, hook, arg};
  }
  if (!installed) routeWlogTo(nullptr);
  wLog* log = WLog_Get(tag.c_str());
  if (WLog_GetLogLevel(log) > WLOG_DEBUG) WLog_SetLogLevel(log, WLOG_DEBUG);
}

void clearLogWatch() {
  std::lock_guard<std::mutex> lock(gMutex);
  gWatch = {};
}

NegotiationSeen negotiationSeen() {
  std::lock_guard<std::mutex> lock(gMutex);
  return gNegotiation;
}

std::vector<std::string> takeWlogTail() {
  std::lock_guard<std::mutex> lock(gMutex);
  std::vector<std::string> out(gTail.begin(), gTail.end());
  gTail.clear();
  return out;
}

}  // namespace rdpdoctor
