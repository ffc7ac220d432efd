#pragma once
// What one connection attempt reached: a value the verdict classifies and the report prints.
#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rdpdoctor {

/// How far an attempt must get to count as working.
enum class Goal {
  Authenticated,  // NLA credentials accepted (auth-only); proves nothing without NLA
  Connected,      // connection sequence finished (capabilities exchanged, PostConnect)
  LoggedOn,       // the server reported a logon (Save Session Info) or painted a session frame
  FirstFrame,     // at least one frame painted by the server after connecting
};

/// The furthest point of the connection sequence an attempt saw.
enum class Stage {
  None,         // nothing happened (e.g. bad settings)
  Started,      // freerdp_connect began (DNS + TCP + X.224 + security handshake inside)
  Certificate,  // the TLS handshake delivered a certificate to verify
  Connected,    // connection sequence complete (PostConnect)
  Frame,        // a frame was painted
  LoggedOn,     // logon notification received
};

/// What became of a certificate FreeRDP could not verify (JSON: the strings of toString).
enum class CertDecision {
  None,                 // not decided (no certificate callback)
  Deny,                 // "deny": no pin, refused
  AcceptOnce,           // "accept-once": no pin, accepted for this run
  TofuNew,              // "tofu-new": no pin, accepted and pinned
  TofuMatch,            // "tofu-match": the pinned certificate, accepted in every mode
  TofuChanged,          // "tofu-changed": a pin exists and this certificate differs: refused
  NeedsConsent,         // "needs-consent": no pin, the user is asked
  ChangedNeedsConsent,  // "changed-needs-consent": a pin exists and differs; the user is asked
  Replaced,             // "replaced": the pin differed and the user chose to replace it
  StoreError,           // "store-error": the trust store cannot be used safely: refused
};

struct CertificateSeen {
  std::string host;
  std::uint16_t port = 0;
  std::string commonName;
  std::string subject;
  std::string issuer;
  std::string fingerprint;
  std::uint32_t flags = 0;  // FreeRDP VERIFY_CERT_FLAG_*
  bool accepted = false;
  CertDecision decision = CertDecision::None;
  std::string pinnedFingerprint;  // the pin of this host when it differs (changed, replaced)
  std::string storeError;         // why the trust store could not be used (StoreError)
};

/// A decision the user is asked about (on a terminal or in the window), then retried.
[[nodiscard]] bool needsConsent(CertDecision d);

struct StageTime {
  Stage stage = Stage::None;
  std::int64_t atMs = 0;
};

struct FrameSample {
  std::uint32_t width = 0;
  std::uint32_t height = 0;
  std::uint32_t dominantRgb = 0;  // most frequent colour of the last frame, 0xRRGGBB
  double dominantShare = 0.0;     // fraction of pixels with that colour
  std::uint32_t frames = 0;       // EndPaint count
};

struct Outcome {
  Goal goal = Goal::Connected;
  bool success = false;
  Stage reached = Stage::None;
  bool timedOut = false;
  bool crashed = false;            // the attempt's process died (signal) or broke its protocol
  bool notStarted = false;         // its process could not be started (a local install problem)
  bool tcpRefused = false;         // FreeRDP failed before any reply and a TCP connect is refused
  std::uint32_t freerdpError = 0;  // freerdp_get_last_error()
  std::string freerdpErrorName;    // "FREERDP_ERROR_CONNECT_TRANSPORT_FAILED"
  std::string freerdpErrorText;    // FreeRDP's own sentence
  std::string freerdpErrorCategory;
  std::uint32_t errinfo = 0;  // Set Error Info PDU code (MS-RDPBCGR 2.2.5.1.1)
  std::string errinfoName;
  std::vector<StageTime> timeline;
  std::int64_t elapsedMs = 0;
  /// The time a person took to answer this attempt's questions (the certificate): neither the
  /// attempt's deadline nor the doctor's budget counts it.
  std::int64_t answerWaitMs = 0;
  std::optional<CertificateSeen> certificate;
  std::optional<FrameSample> frame;
  std::int64_t selectedProtocol = -1;  // PROTOCOL_* the server selected (-1: unknown)
  bool noNegotiationData = false;  // the Connection Confirm carried no negotiation data (pre-Vista)
  /// Dropped at the Connection Confirm: the server selected a layer below the floor (what it
  /// selected is in selectedProtocol / noNegotiationData). Nothing but the X.224 request (no user
  /// name, no password) was sent.
  bool belowFloor = false;
  bool pinnedOverTls = false;   // belowFloor, and our trust store holds a TLS pin for this host
  std::string logonProof;       // "logon-info" (Save Session Info), "nla-frame" (frame after NLA)
  std::string detail;           // one line from our side (e.g. "deadline 5000 ms passed")
  bool connectionLost = false;  // live session: the network dropped and reconnecting failed
  std::vector<std::string> logTail;  // last WLog error/warn lines of the attempt
  /// OpenSSL algorithms this machine could not give the attempt ("md4": NTLM, "rc4": standard RDP
  /// security, licensing and NTLM sealing), e.g. because OpenSSL's legacy provider did not load
  /// (no ossl-modules/legacy.so, OPENSSL_MODULES elsewhere, FIPS mode). Checked after a failure.
  std::vector<std::string> localCryptoMissing;

  [[nodiscard]] std::int64_t msAt(Stage s) const;
};

[[nodiscard]] std::string_view toString(Goal g);
[[nodiscard]] std::string_view toString(Stage s);
[[nodiscard]] std::string_view toString(CertDecision d);
[[nodiscard]] bool parseCertDecision(std::string_view s, CertDecision& out);
[[nodiscard]] bool parseGoal(std::string_view s, Goal& out);
[[nodiscard]] bool parseStage(std::string_view s, Stage& out);

void to_json(nlohmann::json& j, const Outcome& o);
void from_json(const nlohmann::json& j, Outcome& o);

}  // namespace rdpdoctor
