#pragma once
// `rdpdoctor hosts` (the remembered winners) and `rdpdoctor hosts forget HOST`; what `connect`
// and the doctor remember and use.
#include <optional>

#include "cli_common.hpp"
#include "host_memory.hpp"
#include "rdpdoctor/report/diagnosis.hpp"

namespace rdpdoctor::app {

struct HostsOptions {
  std::string json;    // FILE or -
  std::string forget;  // HOST[:PORT] of `hosts forget HOST`
  bool names = false;  // one host:port a line (the bash completion reads it)
  CLI::App* forgetVerb = nullptr;
};

void addHostsVerb(CLI::App& app, HostsOptions& o);
[[nodiscard]] int runHosts(const HostsOptions& o);

/// After a confirmed winner: remembers it for its host:port (a store problem is one warning line).
void rememberWinner(const Diagnosis& d);
/// The remembered combination for `p`'s host:port when `connect` may use it: `p` asks for no
/// particular combination and the winner landed at or above `floor`. Says on stderr which
/// combination it uses, or why a remembered one is not used.
[[nodiscard]] std::optional<RememberedHost> rememberedFor(const Profile& p, SecurityFloor floor);

}  // namespace rdpdoctor::app
