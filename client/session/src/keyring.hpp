#pragma once
// The desktop's Secret Service (GNOME Keyring, KWallet) through libsecret, in rdpdoctor-forms
// only (libsecret links glib; the front stays without it). A password is stored only when the
// person ticked "remember" in the credentials window, and looked up before asking again. Never
// in our own files. With no Secret Service on the session bus, nothing here fails: available()
// is false and the window shows no checkbox.
#include <optional>
#include <string>

namespace rdpdoctor::keyring {

/// Who the password is for: the attributes it is stored under.
struct Account {
  std::string where;  // "host:port"
  std::string user;
  std::string domain;
};

/// A session bus is there and org.freedesktop.secrets is owned or can be started on it.
[[nodiscard]] bool available();

/// The stored password, nullopt when none (or no Secret Service). The caller wipes it.
[[nodiscard]] std::optional<std::string> lookup(const Account& a);

/// Stores (or replaces) the password in the default collection; false on failure, `why` set.
bool store(const Account& a, const std::string& password, std::string& why);

}  // namespace rdpdoctor::keyring
