#pragma once
// Text clipboard both ways over the cliprdr static channel (MS-RDPECLIP), for live sessions:
// remote text (CF_UNICODETEXT) goes to the observer; local text is announced to the server
// and served when it asks for it.
#include <mutex>
#include <string>

#include <freerdp/client/cliprdr.h>

namespace rdpdoctor {
class SessionObserver;
}

namespace rdpdoctor::detail {

class Clipboard {
 public:
  explicit Clipboard(SessionObserver& observer) : observer_(observer) {}
  /// The channel came up: install the callbacks on its context.
  void attach(CliprdrClientContext* context);
  void detach();
  /// Local clipboard changed (UTF-8): remember it and announce it to the server.
  void setLocalText(std::string utf8);

 private:
  static UINT onMonitorReady(CliprdrClientContext* c, const CLIPRDR_MONITOR_READY* m) noexcept;
  static UINT onServerCapabilities(CliprdrClientContext* c, const CLIPRDR_CAPABILITIES* caps) noexcept;
  static UINT onServerFormatList(CliprdrClientContext* c, const CLIPRDR_FORMAT_LIST* list) noexcept;
  static UINT onServerFormatListResponse(CliprdrClientContext* c, const CLIPRDR_FORMAT_LIST_RESPONSE* r) noexcept;
  static UINT onServerFormatDataRequest(CliprdrClientContext* c, const CLIPRDR_FORMAT_DATA_REQUEST* r) noexcept;
  static UINT onServerFormatDataResponse(CliprdrClientContext* c, const CLIPRDR_FORMAT_DATA_RESPONSE* r) noexcept;
  UINT announce();

  SessionObserver& observer_;
  std::mutex mutex_;
  CliprdrClientContext* context_ = nullptr;  // guarded by mutex_
  std::string localText_;                    // guarded by mutex_
  bool ready_ = false;                       // guarded by mutex_: MonitorReady seen
};

}  // namespace rdpdoctor::detail
