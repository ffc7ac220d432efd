#include "rdpdoctor/front/session_request.hpp"

#include <nlohmann/json.hpp>

namespace rdpdoctor {

std::string encodeSessionOrder(const SessionOrder& o) {
  const SessionRequest& r = o.request;
  nlohmann::json j{{"profile", r.profile},          {"password", r.password.reveal()},
                   {"goal", toString(r.goal)},      {"deadline_ms", r.deadline.count()},
                   {"floor", toString(r.floor)},    {"hold_ms", r.holdAfterGoal.count()},
                   {"cert_store", r.certStorePath}, {"logon_grace_ms", r.logonGrace.count()},
                   {"log_level", o.logLevel}};
  if (r.untilColour) j["until_colour"] = *r.untilColour;
  if (!r.tlsSecretsFile.empty()) j["tls_secrets_file"] = r.tlsSecretsFile;
  if (r.certificateQuestions) j["certificate_questions"] = true;
  if (r.credentialsFirst) j["credentials_first"] = true;
  if (o.window) {
    j["window"] = {{"title", o.window->title},
                   {"note", o.window->note},
                   {"fullscreen", o.window->fullscreen},
                   {"reconnect_attempts", r.reconnectAttempts},
                   {"reconnect_pause_ms", r.reconnectPause.count()}};
  }
  return j.dump();
}

Result<SessionOrder> decodeSessionOrder(std::string_view text) {
  SessionOrder o;
  SessionRequest& r = o.request;
  try {
    auto j = nlohmann::json::parse(text);
    r.profile = j.at("profile").get<Profile>();
    r.password = Secret(j.value("password", ""));
    j["password"] = "";
    if (!parseGoal(j.at("goal").get<std::string>(), r.goal))
      return makeError("usage", "unknown goal");
    r.deadline = std::chrono::milliseconds(j.at("deadline_ms").get<std::int64_t>());
    auto floor = parseFloor(j.at("floor").get<std::string>());
    if (!floor) return floor.error();
    r.floor = *floor;
    r.holdAfterGoal = std::chrono::milliseconds(j.value("hold_ms", std::int64_t{0}));
    r.certStorePath = j.value("cert_store", "");
    r.tlsSecretsFile = j.value("tls_secrets_file", "");
    r.certificateQuestions = j.value("certificate_questions", false);
    r.credentialsFirst = j.value("credentials_first", false);
    r.logonGrace = std::chrono::milliseconds(j.value("logon_grace_ms", std::int64_t{3000}));
    if (j.contains("until_colour")) r.untilColour = j["until_colour"].get<std::uint32_t>();
    o.logLevel = j.value("log_level", "warn");
    if (j.contains("window")) {
      const auto& w = j["window"];
      o.window =
          WindowOptions{w.value("title", ""), w.value("note", ""), w.value("fullscreen", false)};
      r.reconnectAttempts = w.value("reconnect_attempts", 10u);
      r.reconnectPause =
          std::chrono::milliseconds(w.value("reconnect_pause_ms", std::int64_t{2000}));
    }
  } catch (const std::exception& e) {
    return makeError("usage", "malformed session order").because(e.what());
  }
  return o;
}

}  // namespace rdpdoctor
