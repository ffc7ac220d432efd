#pragma once
// The certificate question asked in-band: an attempt (or window) process whose connection meets
// a certificate that needs consent asks the front on the same connection, as mstsc and xfreerdp
// ask during the handshake, instead of failing so that the front asks and connects again.
//
// Framing on the session process's fd 3 (session_process.hpp): zero or more question frames,
// then the result (everything after the last frame until EOF). A question frame is one line:
// kQuestionMark, one JSON object, "\n", at most kMaxQuestionBytes. The front recognises a frame
// only at the start of the stream or right after the previous frame; anything else there is the
// result. The answer goes back on the process's stdin, which then carries the order as its first
// line ("\n"-terminated JSON) and one answer line per question. End of input is "no".
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "rdpdoctor/outcome.hpp"
#include "rdpdoctor/profile.hpp"

namespace rdpdoctor {

inline constexpr std::string_view kQuestionMark = "rdpdoctor-question@1 ";
inline constexpr std::size_t kMaxQuestionBytes = 64 * 1024;

/// What the session process asks about: the certificate as its callback saw it (decision
/// NeedsConsent or ChangedNeedsConsent) and the line for its dates ("" when not known).
struct CertificateQuestion {
  CertificateSeen seen;
  std::string validity;
};

/// Who answers (the front): nullopt is "no". Called while the connection waits.
using CertificateAnswerer = std::function<std::optional<CertPolicy>(const CertificateQuestion&)>;

/// The frame, "\n" included.
[[nodiscard]] std::string encodeQuestion(const CertificateQuestion& q);
/// A frame's line without its "\n" (kQuestionMark first). nullopt when it is not a well-formed
/// question about a certificate that needs consent: the front then asks nothing and says "no".
[[nodiscard]] std::optional<CertificateQuestion> decodeQuestion(std::string_view line);

/// The answer line, "\n" included.
[[nodiscard]] std::string encodeAnswer(std::optional<CertPolicy> answer);
/// An answer line without its "\n", for a question about `asked`: only the answers the terminal
/// question gives count (unknown: accept-once, tofu; changed: replace); anything else is "no".
[[nodiscard]] std::optional<CertPolicy> decodeAnswer(std::string_view line, CertDecision asked);

/// A PEM certificate (FreeRDP 3 hands its callback one when asked to): its SHA-256 fingerprint
/// as FreeRDP writes it ("ab:cd:..") and the line for its dates, as the terminal question shows
/// it ("2025-01-01T00:00:00Z to 2027-01-01T00:00:00Z (730 days left)"). nullopt: not a
/// certificate.
struct PemCertificate {
  std::string fingerprint;
  std::string validity;
};
[[nodiscard]] std::optional<PemCertificate> readPemCertificate(std::string_view pem);

/// The dates line from the certificate's facts (shared by the PEM reader and the probe's view).
[[nodiscard]] std::string validityLine(const std::string& notBefore, const std::string& notAfter,
                                       bool expired, bool notYetValid, long long daysLeft);

}  // namespace rdpdoctor
