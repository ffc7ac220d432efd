#include "desktop_modes.hpp"

#include <spdlog/spdlog.h>
#include <strings.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "keyring.hpp"
#include "rdpdoctor/sdl/credentials_window.hpp"
#include "rdpdoctor/text_safety.hpp"

namespace rdpdoctor::desktop {
namespace {

void wipe(std::string& s) {
  if (!s.empty()) explicit_bzero(s.data(), s.size());
  s.clear();
}

keyring::Account accountOf(const nlohmann::json& j) {
  return {j.value("where", ""), j.value("user", ""), j.value("domain", "")};
}

nlohmann::json answer(const std::string& user, const std::string& domain,
                      const std::string& password, bool remember, const char* from) {
  return {{"answer",
           {{"user", user},
            {"domain", domain},
            {"password", password},
            {"remember", remember},
            {"from", from}}}};
}

}  // namespace

std::string askCredentialsMode(std::string& order) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(order);
  } catch (const std::exception&) {
    return R"({"answer":null,"why":"malformed order"})";
  }
  wipe(order);
  const auto account = accountOf(j);
  const bool keyringUp = keyring::available();
  if (keyringUp && j.value("keyring", true) && !account.user.empty()) {
    if (auto stored = keyring::lookup(account)) {
      spdlog::info("the password of {}@{} comes from the keyring", account.user, account.where);
      std::string out = answer(account.user, account.domain, *stored, false, "keyring").dump();
      wipe(*stored);
      return out;
    }
  }
  sdl::CredentialsQuestion q{terminalText(account.where), account.user, account.domain,
                             terminalText(j.value("note", "")), keyringUp};
  std::string why;
  auto given = sdl::askCredentials(q, why);
  if (!given) {
    if (!why.empty()) spdlog::warn("cannot ask for credentials in a window: {}", why);
    return nlohmann::json{{"answer", nullptr}, {"why", why}}.dump();
  }
  std::string out =
      answer(given->user, given->domain, given->password, given->remember, "window").dump();
  wipe(given->password);
  return out;
}

std::string rememberPasswordMode(std::string& order) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(order);
  } catch (const std::exception&) {
    return R"({"stored":false,"why":"malformed order"})";
  }
  wipe(order);
  std::string password = j.value("password", "");
  j["password"] = "";
  std::string why;
  const bool stored = keyring::store(accountOf(j), password, why);
  wipe(password);
  return nlohmann::json{{"stored", stored}, {"why", why}}.dump();
}

std::string messageMode(std::string& order) {
  std::string title, text;
  try {
    const auto j = nlohmann::json::parse(order);
    title = terminalText(j.value("title", "rdpdoctor"));
    text = j.value("text", "");
  } catch (const std::exception&) {
    return R"({"shown":false})";
  }
  // the front sends text already made safe line by line; its newlines are kept
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) spdlog::info("message box line: {}", line);
  return nlohmann::json{{"shown", sdl::showMessage(title, text)}}.dump();
}

}  // namespace rdpdoctor::desktop
