#pragma once
// Pure classifier: one attempt's Outcome (+ the Profile it used, + the probe's facts) ->
// a Signature: the failing layer, what mstsc would have shown, a plain cause, the host remedies.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rdpdoctor/outcome.hpp"
#include "rdpdoctor/profile.hpp"
#include "rdpdoctor/verdict/host_facts.hpp"

namespace rdpdoctor {

enum class Layer { Name, Tcp, Negotiation, Tls, RdpSecurity, Nla, Session, None };

struct MstscCodes {
  std::uint32_t disconnectReason = 0;  // IMsTscAxEvents::OnDisconnected discReason
  std::uint32_t extendedReason = 0;    // ExtendedDisconnectReasonCode (= ERRINFO code)
};

struct Remedy {
  std::string_view id;
  std::string_view text;
};

struct Signature {
  std::string id;  // stable: "nla-required", "tls-legacy-refused-locally", ...
  Layer layer = Layer::None;
  MstscCodes mstsc;
  std::string cause;  // one sentence, lower case, no final period
  std::vector<Remedy> remedies;
  bool retryable = true;     // another combination may work
  bool stopsLadder = false;  // credential rejection: never try again (no lockouts)
};

[[nodiscard]] Signature classify(const Outcome& outcome, const Profile& profile,
                                 const HostFacts& facts);
/// Hindsight: what made the winner work is evidence about why the original failed (a rung at
/// OpenSSL level 0 working where the default failed proves a legacy-TLS host). Returns the
/// original signature sharpened by that evidence, or unchanged when the winner proves nothing.
[[nodiscard]] Signature explainByWinner(const Signature& original, const Profile& originalProfile,
                                        const Profile& winner);
[[nodiscard]] std::string_view toString(Layer l);
/// The remedies table (REMEDIES.md's facts): every entry, by id.
[[nodiscard]] const std::vector<Remedy>& allRemedies();
[[nodiscard]] std::optional<Remedy> remedyById(std::string_view id);

}  // namespace rdpdoctor
