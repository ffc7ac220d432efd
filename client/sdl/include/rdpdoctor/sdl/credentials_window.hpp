#pragma once
// The credentials question as a window of its own, for runs without a terminal (an .rdp file
// opened from a desktop): user name (pre-filled), domain, a masked password, optionally
// "remember the password in the keyring", OK and Cancel. Keyboard: Tab / Shift+Tab move, Enter is
// OK, Escape is Cancel, Space toggles the checkbox. SDL2 with SDL2_ttf (DejaVu Sans).
#include <optional>
#include <string>

namespace rdpdoctor::sdl {

struct CredentialsQuestion {
  std::string where;  // "host:port", shown in the title and the text (escaped by the caller)
  std::string user;   // pre-filled
  std::string domain;
  std::string note;           // an extra line ("the password in the keyring was refused"), or ""
  bool offerKeyring = false;  // show "remember the password in the keyring" (unchecked)
};

struct CredentialsGiven {
  std::string user;
  std::string domain;
  std::string password;  // the caller wipes it
  bool remember = false;
};

/// nullopt: Cancel, Escape, the window closed, or no window could open (`why` then says why).
[[nodiscard]] std::optional<CredentialsGiven> askCredentials(const CredentialsQuestion& q,
                                                             std::string& why);

/// One message box with `text` (already escaped) and an OK button; false when none could open.
bool showMessage(const std::string& title, const std::string& text);

}  // namespace rdpdoctor::sdl
