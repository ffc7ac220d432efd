#include "clipboard.hpp"

#include <winpr/user.h>

#include <vector>

#include "freerdp_compat.hpp"
#include "rdpdoctor/core/session.hpp"
#include "rdpdoctor/front/text_codec.hpp"

namespace rdpdoctor::detail {
namespace {
Clipboard* self(CliprdrClientContext* c) {
  return c ? static_cast<Clipboard*>(c->custom) : nullptr;
}
}  // namespace

void Clipboard::attach(CliprdrClientContext* c) {
  std::lock_guard<std::mutex> lock(mutex_);
  context_ = c;
  c->custom = this;
  c->MonitorReady = onMonitorReady;
  c->ServerCapabilities = onServerCapabilities;
  c->ServerFormatList = onServerFormatList;
  c->ServerFormatListResponse = onServerFormatListResponse;
  c->ServerFormatDataRequest = onServerFormatDataRequest;
  c->ServerFormatDataResponse = onServerFormatDataResponse;
}

void Clipboard::detach() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (context_ != nullptr) context_->custom = nullptr;
  context_ = nullptr;
  ready_ = false;
}

void Clipboard::setLocalText(std::string utf8) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (utf8 == localText_) return;
    localText_ = std::move(utf8);
  }
  (void)announce();
}

/// MS-RDPECLIP 2.2.3.1 Format List PDU: CF_UNICODETEXT when we hold text, else empty.
UINT Clipboard::announce() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (context_ == nullptr || !ready_) return CHANNEL_RC_OK;
  CLIPRDR_FORMAT text{CF_UNICODETEXT, nullptr};
  CLIPRDR_FORMAT_LIST list{};
  compat::clipHeader(list).msgType = CB_FORMAT_LIST;
  list.numFormats = localText_.empty() ? 0 : 1;
  list.formats = localText_.empty() ? nullptr : &text;
  return context_->ClientFormatList(context_, &list);
}

/// MS-RDPECLIP 2.2.2.2 Server Monitor Ready: send our capabilities, then our formats.
UINT Clipboard::onMonitorReady(CliprdrClientContext* c, const CLIPRDR_MONITOR_READY*) noexcept {
  auto* cb = self(c);
  if (cb == nullptr) return ERROR_INTERNAL_ERROR;
  CLIPRDR_GENERAL_CAPABILITY_SET general{CB_CAPSTYPE_GENERAL, CB_CAPSTYPE_GENERAL_LEN,
                                         CB_CAPS_VERSION_2, CB_USE_LONG_FORMAT_NAMES};
  CLIPRDR_CAPABILITIES caps{};
  caps.cCapabilitiesSets = 1;
  caps.capabilitySets = reinterpret_cast<CLIPRDR_CAPABILITY_SET*>(&general);
  const UINT rc = c->ClientCapabilities(c, &caps);
  if (rc != CHANNEL_RC_OK) return rc;
  {
    std::lock_guard<std::mutex> lock(cb->mutex_);
    cb->ready_ = true;
  }
  return cb->announce();
}

UINT Clipboard::onServerCapabilities(CliprdrClientContext*, const CLIPRDR_CAPABILITIES*) noexcept {
  return CHANNEL_RC_OK;
}

/// The server has new clipboard content: acknowledge, and ask for text when it offers some.
UINT Clipboard::onServerFormatList(CliprdrClientContext* c,
                                   const CLIPRDR_FORMAT_LIST* list) noexcept {
  CLIPRDR_FORMAT_LIST_RESPONSE ok{};
  compat::clipHeader(ok).msgType = CB_FORMAT_LIST_RESPONSE;
  compat::clipHeader(ok).msgFlags = CB_RESPONSE_OK;
  const UINT rc = c->ClientFormatListResponse(c, &ok);
  if (rc != CHANNEL_RC_OK || list == nullptr) return rc;
  for (UINT32 i = 0; i < list->numFormats; ++i) {
    if (list->formats[i].formatId == CF_UNICODETEXT) {
      CLIPRDR_FORMAT_DATA_REQUEST req{};
      compat::clipHeader(req).msgType = CB_FORMAT_DATA_REQUEST;
      req.requestedFormatId = CF_UNICODETEXT;
      return c->ClientFormatDataRequest(c, &req);
    }
  }
  return CHANNEL_RC_OK;
}

UINT Clipboard::onServerFormatListResponse(CliprdrClientContext*,
                                           const CLIPRDR_FORMAT_LIST_RESPONSE*) noexcept {
  return CHANNEL_RC_OK;
}

/// The server pastes: answer with our text as NUL-terminated UTF-16LE.
UINT Clipboard::onServerFormatDataRequest(CliprdrClientContext* c,
                                          const CLIPRDR_FORMAT_DATA_REQUEST* r) noexcept {
  auto* cb = self(c);
  CLIPRDR_FORMAT_DATA_RESPONSE resp{};
  compat::clipHeader(resp).msgType = CB_FORMAT_DATA_RESPONSE;
  std::string data;
  if (cb != nullptr && r != nullptr && r->requestedFormatId == CF_UNICODETEXT) {
    try {
      std::lock_guard<std::mutex> lock(cb->mutex_);
      data = utf8ToUtf16le(cb->localText_);
      data.append(2, '\0');
    } catch (...) {
      data.clear();
    }
  }
  compat::clipHeader(resp).msgFlags = data.empty() ? CB_RESPONSE_FAIL : CB_RESPONSE_OK;
  compat::clipHeader(resp).dataLen = static_cast<UINT32>(data.size());
  resp.requestedFormatData = reinterpret_cast<const BYTE*>(data.data());
  return c->ClientFormatDataResponse(c, &resp);
}

/// The server's text arrived: hand it to the window as UTF-8 (without the trailing NUL).
UINT Clipboard::onServerFormatDataResponse(CliprdrClientContext* c,
                                           const CLIPRDR_FORMAT_DATA_RESPONSE* r) noexcept {
  auto* cb = self(c);
  if (cb == nullptr || r == nullptr || compat::clipHeader(*r).msgFlags != CB_RESPONSE_OK ||
      r->requestedFormatData == nullptr)
    return CHANNEL_RC_OK;
  try {
    std::string text = utf16leToUtf8(std::string_view(
        reinterpret_cast<const char*>(r->requestedFormatData), compat::clipHeader(*r).dataLen));
    while (!text.empty() && text.back() == '\0') text.pop_back();
    {
      std::lock_guard<std::mutex> lock(cb->mutex_);
      cb->localText_ = text;  // what we now hold locally: no echo back to the server
    }
    cb->observer_.onRemoteClipboard(std::move(text));
  } catch (...) {
    return ERROR_INTERNAL_ERROR;
  }
  return CHANNEL_RC_OK;
}

}  // namespace rdpdoctor::detail
