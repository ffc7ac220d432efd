// The bridge's line watch (wlog_bridge.hpp): what FreeRDP tells no callback about, seen in its log.
#include "rdpdoctor/core/wlog_bridge.hpp"

#include <gtest/gtest.h>
#include <winpr/wlog.h>

namespace rdpdoctor {
namespace {

constexpr const char* kTag = "com.rdpdoctor.test.watch";

void count(void* arg) { ++*static_cast<int*>(arg); }

void say(const char* tag, const char* text) {
  WLog_Print(WLog_Get(tag), WLOG_DEBUG, "%s", text);  // the level FreeRDP logs its states at
}

TEST(WlogLineWatch, CallsTheHookOnceForTheFirstLineOfTheTagWithTheText) {
  int calls = 0;
  watchLogLine(kTag, "STATE_NLA --> CONNECTION_STATE_MCS_CONNECT", count, &calls);
  say(kTag, "rdp_client_transition_to_state CONNECTION_STATE_NEGO --> CONNECTION_STATE_NLA");
  say(kTag, "CONNECTION_STATE_MCS_CONNECT --> CONNECTION_STATE_NLA");
  say("com.rdpdoctor.test.other", "CONNECTION_STATE_NLA --> CONNECTION_STATE_MCS_CONNECT");
  EXPECT_EQ(calls, 0) << "a line without the text, or of another tag, is not the one";
  say(kTag, "rdp_client_transition_to_state CONNECTION_STATE_NLA --> CONNECTION_STATE_MCS_CONNECT");
  EXPECT_EQ(calls, 1);
  say(kTag, "rdp_client_transition_to_state CONNECTION_STATE_NLA --> CONNECTION_STATE_MCS_CONNECT");
  EXPECT_EQ(calls, 1) << "once";
}

TEST(WlogLineWatch, AClearedWatchCallsNothing) {
  int calls = 0;
  watchLogLine(kTag, "MCS_CONNECT", count, &calls);
  clearLogWatch();
  say(kTag, "CONNECTION_STATE_NLA --> CONNECTION_STATE_MCS_CONNECT");
  EXPECT_EQ(calls, 0);
}

}  // namespace
}  // namespace rdpdoctor
