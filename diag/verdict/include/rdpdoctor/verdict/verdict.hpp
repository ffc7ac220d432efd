#pragma once
// Pure classifier: one attempt's Outcome (+ the Profile it used, + the probe's facts) ->
// a Signature: the failing layer, what mstsc would have shown, a plain cause, the host remedies.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rdpdoctor/host_facts.hpp"
#include "rdpdoctor/outcome.hpp"
#include "rdpdoctor/profile.hpp"
#include "rdpdoctor/verdict/signature_table.hpp"

namespace rdpdoctor {

struct Remedy {
  std::string_view id;
  std::string_view text;
  bool onThisMachine = false;  // a fix on the client machine (a name, its OpenSSL), not the host
};

/// What a classifier saw, beyond the row it picked.
struct Evidence {
  Evidence() = default;
  Evidence(std::string t) : text(std::move(t)) {}  // NOLINT(google-explicit-constructor)

  std::string text;  // fills the row's "{}" (server text inside: renderers escape)
  /// Where the failure was seen, for rows whose layer depends on the layer in use (a credential
  /// rejection under NLA or at the session's logon screen).
  std::optional<Layer> layer;
  std::optional<MstscCodes> mstsc;  // codes that carry the server's ERRINFO
  std::optional<bool> retryable;    // a silence before any answer is not worth another rung
  std::optional<ExitClass> exit;    // a session that did not reach its goal in time: a timeout
};

/// A row of the signature table, made concrete with the evidence of one attempt.
struct Signature {
  SignatureId kind = SignatureId::Unknown;
  std::string_view id = "unknown";  // the row's contract id
  Layer layer = Layer::None;
  MstscCodes mstsc;
  std::string cause;  // one sentence, lower case, no final period
  std::vector<Remedy> remedies;
  ExitClass exit = ExitClass::NoConnection;
  bool retryable = true;     // another combination may work
  bool stopsLadder = false;  // credential rejection: never try again (no lockouts)
};

/// The only place a Signature is made: the row of `id`, its cause filled with the evidence.
[[nodiscard]] Signature signatureOf(SignatureId id, const Evidence& evidence = {});

[[nodiscard]] Signature classify(const Outcome& outcome, const Profile& profile,
                                 const HostFacts& facts);
/// Hindsight: what made the winner work is evidence about why the original failed (a rung at
/// OpenSSL level 0 working where the default failed proves a legacy-TLS host). Returns the
/// original signature sharpened by that evidence, or unchanged when the winner proves nothing.
[[nodiscard]] Signature explainByWinner(const Signature& original, const Profile& originalProfile,
                                        const Profile& winner);
/// The remedies a diagnosis shows: the original's (sharpened by the winner, when there is one:
/// the winner explains the failure, other rungs' guesses do not apply), else every failed rung's,
/// once each.
[[nodiscard]] std::vector<Remedy> diagnosisRemedies(const Signature& original,
                                                    const std::vector<Signature>& failedRungs,
                                                    bool haveWinner);
/// The remedies table (REMEDIES.md's facts): every entry, by id.
[[nodiscard]] const std::vector<Remedy>& allRemedies();
[[nodiscard]] std::optional<Remedy> remedyById(std::string_view id);

}  // namespace rdpdoctor
