#include "rdpdoctor/outcome.hpp"

#include <nlohmann/json.hpp>

namespace rdpdoctor {

namespace {
constexpr std::pair<Goal, std::string_view> kGoals[] = {
    {Goal::Authenticated, "authenticated"},
    {Goal::Connected, "connected"},
    {Goal::LoggedOn, "logged-on"},
    {Goal::FirstFrame, "first-frame"},
};
constexpr std::pair<Stage, std::string_view> kStages[] = {
    {Stage::None, "none"},
    {Stage::Started, "started"},
    {Stage::Certificate, "certificate"},
    {Stage::Connected, "connected"},
    {Stage::Frame, "frame"},
    {Stage::LoggedOn, "logged-on"},
};
constexpr std::pair<CertDecision, std::string_view> kCertDecisions[] = {
    {CertDecision::None, ""},
    {CertDecision::Deny, "deny"},
    {CertDecision::AcceptOnce, "accept-once"},
    {CertDecision::TofuNew, "tofu-new"},
    {CertDecision::TofuMatch, "tofu-match"},
    {CertDecision::TofuChanged, "tofu-changed"},
    {CertDecision::NeedsConsent, "needs-consent"},
    {CertDecision::ChangedNeedsConsent, "changed-needs-consent"},
    {CertDecision::Replaced, "replaced"},
    {CertDecision::StoreError, "store-error"},
};
}  // namespace

std::string_view toString(CertDecision d) {
  for (const auto& [k, v] : kCertDecisions)
    if (k == d) return v;
  return "?";
}
bool parseCertDecision(std::string_view s, CertDecision& out) {
  for (const auto& [k, v] : kCertDecisions)
    if (v == s) {
      out = k;
      return true;
    }
  return false;
}
bool needsConsent(CertDecision d) {
  return d == CertDecision::NeedsConsent || d == CertDecision::ChangedNeedsConsent;
}

std::string_view toString(Goal g) {
  for (const auto& [k, v] : kGoals)
    if (k == g) return v;
  return "?";
}
std::string_view toString(Stage s) {
  for (const auto& [k, v] : kStages)
    if (k == s) return v;
  return "?";
}
bool parseGoal(std::string_view s, Goal& out) {
  for (const auto& [k, v] : kGoals)
    if (v == s) {
      out = k;
      return true;
    }
  return false;
}
bool parseStage(std::string_view s, Stage& out) {
  for (const auto& [k, v] : kStages)
    if (v == s) {
      out = k;
      return true;
    }
  return false;
}

std::int64_t Outcome::msAt(Stage s) const {
  for (const auto& t : timeline)
    if (t.stage == s) return t.atMs;
  return -1;
}

void to_json(nlohmann::json& j, const Outcome& o) {
  j = nlohmann::json{{"goal", toString(o.goal)},
                     {"success", o.success},
                     {"reached", toString(o.reached)},
                     {"timed_out", o.timedOut},
                     {"crashed", o.crashed},
                     {"not_started", o.notStarted},
                     {"tcp_refused", o.tcpRefused},
                     {"freerdp_error", o.freerdpError},
                     {"freerdp_error_name", o.freerdpErrorName},
                     {"freerdp_error_text", o.freerdpErrorText},
                     {"freerdp_error_category", o.freerdpErrorCategory},
                     {"errinfo", o.errinfo},
                     {"errinfo_name", o.errinfoName},
                     {"elapsed_ms", o.elapsedMs},
                     {"answer_wait_ms", o.answerWaitMs},
                     {"detail", o.detail},
                     {"connection_lost", o.connectionLost},
                     {"selected_protocol", o.selectedProtocol},
                     {"no_negotiation_data", o.noNegotiationData},
                     {"below_floor", o.belowFloor},
                     {"pinned_over_tls", o.pinnedOverTls},
                     {"logon_proof", o.logonProof},
                     {"log_tail", o.logTail}};
  if (!o.localCryptoMissing.empty()) j["local_crypto_missing"] = o.localCryptoMissing;
  auto& tl = j["timeline"] = nlohmann::json::array();
  for (const auto& t : o.timeline) tl.push_back({{"stage", toString(t.stage)}, {"at_ms", t.atMs}});
  if (o.certificate) {
    const auto& c = *o.certificate;
    j["certificate"] = {
        {"host", c.host},       {"port", c.port},         {"common_name", c.commonName},
        {"subject", c.subject}, {"issuer", c.issuer},     {"fingerprint", c.fingerprint},
        {"flags", c.flags},     {"accepted", c.accepted}, {"decision", toString(c.decision)}};
    if (!c.pinnedFingerprint.empty()) j["certificate"]["old_fingerprint"] = c.pinnedFingerprint;
    if (!c.storeError.empty()) j["certificate"]["store_error"] = c.storeError;
  }
  if (o.frame) {
    const auto& f = *o.frame;
    j["frame"] = {{"width", f.width},
                  {"height", f.height},
                  {"dominant_rgb", f.dominantRgb},
                  {"dominant_share", f.dominantShare},
                  {"frames", f.frames}};
  }
}

void from_json(const nlohmann::json& j, Outcome& o) {
  (void)parseGoal(j.at("goal").get<std::string>(), o.goal);
  o.success = j.at("success").get<bool>();
  (void)parseStage(j.at("reached").get<std::string>(), o.reached);
  o.timedOut = j.value("timed_out", false);
  o.crashed = j.value("crashed", false);
  o.notStarted = j.value("not_started", false);
  o.tcpRefused = j.value("tcp_refused", false);
  o.freerdpError = j.value("freerdp_error", 0u);
  o.freerdpErrorName = j.value("freerdp_error_name", "");
  o.freerdpErrorText = j.value("freerdp_error_text", "");
  o.freerdpErrorCategory = j.value("freerdp_error_category", "");
  o.errinfo = j.value("errinfo", 0u);
  o.errinfoName = j.value("errinfo_name", "");
  o.elapsedMs = j.value("elapsed_ms", std::int64_t{0});
  o.answerWaitMs = j.value("answer_wait_ms", std::int64_t{0});
  o.detail = j.value("detail", "");
  o.connectionLost = j.value("connection_lost", false);
  o.selectedProtocol = j.value("selected_protocol", std::int64_t{-1});
  o.noNegotiationData = j.value("no_negotiation_data", false);
  o.belowFloor = j.value("below_floor", false);
  o.pinnedOverTls = j.value("pinned_over_tls", false);
  o.logonProof = j.value("logon_proof", "");
  o.logTail = j.value("log_tail", std::vector<std::string>{});
  o.localCryptoMissing = j.value("local_crypto_missing", std::vector<std::string>{});
  o.timeline.clear();
  for (const auto& t : j.value("timeline", nlohmann::json::array())) {
    StageTime st;
    (void)parseStage(t.at("stage").get<std::string>(), st.stage);
    st.atMs = t.at("at_ms").get<std::int64_t>();
    o.timeline.push_back(st);
  }
  if (j.contains("certificate")) {
    const auto& c = j["certificate"];
    CertificateSeen s;
    s.host = c.value("host", "");
    s.port = c.value("port", std::uint16_t{0});
    s.commonName = c.value("common_name", "");
    s.subject = c.value("subject", "");
    s.issuer = c.value("issuer", "");
    s.fingerprint = c.value("fingerprint", "");
    s.flags = c.value("flags", 0u);
    s.accepted = c.value("accepted", false);
    (void)parseCertDecision(c.value("decision", ""), s.decision);
    s.pinnedFingerprint = c.value("old_fingerprint", "");
    s.storeError = c.value("store_error", "");
    o.certificate = s;
  }
  if (j.contains("frame")) {
    const auto& f = j["frame"];
    o.frame = FrameSample{f.value("width", 0u), f.value("height", 0u), f.value("dominant_rgb", 0u),
                          f.value("dominant_share", 0.0), f.value("frames", 0u)};
  }
}

}  // namespace rdpdoctor
