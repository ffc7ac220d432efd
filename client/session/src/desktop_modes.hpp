#pragma once
// rdpdoctor-forms' modes for runs without a terminal (session_process.hpp names them): the
// credentials window with the keyring, storing a password the person asked to keep, and the
// message box for an error. Each takes the order's JSON (stdin) and returns the result's (fd 3).
#include <string>

namespace rdpdoctor::desktop {

/// {where, user, domain, note, keyring} -> {"answer": null} (cancelled) or
/// {"answer": {user, domain, password, remember, from: "keyring"|"window"}}.
[[nodiscard]] std::string askCredentialsMode(std::string& order);

/// {where, user, domain, password} -> {stored, why}.
[[nodiscard]] std::string rememberPasswordMode(std::string& order);

/// {title, text} -> {shown}.
[[nodiscard]] std::string messageMode(std::string& order);

}  // namespace rdpdoctor::desktop
