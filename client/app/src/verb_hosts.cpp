#include "verb_hosts.hpp"

#include <iostream>
#include <nlohmann/json.hpp>

#include "rdpdoctor/front/cert_store.hpp"

namespace rdpdoctor::app {
namespace {

HostMemory store() {
  auto path = HostMemory::defaultPath();
  if (!path)
    throw UsageError(path.error().message() + " (set XDG_STATE_HOME or RDPDOCTOR_STATE_DIR)");
  return HostMemory(*path);
}

/// "host" or "host:port" (default 3389) as the store's key.
std::string keyOf(const std::string& host) {
  auto spec = parseHostSpec(host, kDefaultRdpPort);
  if (!spec) throw UsageError("hosts forget: " + spec.error().message());
  return pinKey(*spec);
}

std::string joined(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : ", ") + w;
  return out.empty() ? "none" : out;
}

}  // namespace

void addHostsVerb(CLI::App& app, HostsOptions& o) {
  auto* v = app.add_subcommand("hosts", "list the remembered hosts (the combination that worked)");
  v->add_option("--json", o.json, "also write the list as JSON to FILE (- for stdout)");
  v->add_flag("--names", o.names, "only the remembered host:port, one a line (for completion)");
  o.forgetVerb = v->add_subcommand("forget", "forget what worked for HOST[:PORT]");
  o.forgetVerb->add_option("HOST", o.forget, "the host to forget (name, name:port)")->required();
}

int runHosts(const HostsOptions& o) {
  const HostMemory memory = store();
  if (o.forgetVerb != nullptr && o.forgetVerb->parsed()) {
    const std::string key = keyOf(o.forget);
    auto gone = memory.forget(key);
    if (!gone) {
      std::cerr << "rdpdoctor: " << terminalText(gone.error().message()) << std::endl;
      if (gone.error().code != "damaged") return kExitInternal;
      return kExitNoConnection;
    }
    if (!*gone) {
      std::cerr << "rdpdoctor: " << terminalText(key) << " is not remembered" << std::endl;
      return kExitNoConnection;
    }
    std::cout << "forgot " << terminalText(key) << std::endl;
    return kExitOk;
  }
  auto hosts = memory.all();
  if (!hosts) {
    std::cerr << "rdpdoctor: " << terminalText(hosts.error().message()) << std::endl;
    return hosts.error().code == "damaged" ? kExitNoConnection : kExitInternal;
  }
  if (o.names) {
    for (const auto& entry : *hosts) std::cout << terminalText(entry.first) << "\n";
    return kExitOk;
  }
  nlohmann::json list = nlohmann::json::array();
  for (const auto& [key, h] : *hosts) {
    list.push_back({{"host", key},
                    {"profile", h.profile},
                    {"when", h.when},
                    {"downgrades", h.downgrades},
                    {"fingerprint", h.fingerprint},
                    {"layer", toString(h.layer)},
                    {"why", h.why}});
    if (o.json == "-") continue;
    std::cout << terminalText(key) << "  " << terminalText(h.profile.summary()) << "  "
              << terminalText(h.when) << "  downgrades: " << terminalText(joined(h.downgrades))
              << std::endl;
  }
  if (hosts->empty() && o.json != "-") std::cout << "no remembered hosts" << std::endl;
  if (!o.json.empty())
    writeOutput(o.json,
                nlohmann::json{{"schema", "rdpdoctor/hosts@1"}, {"hosts", list}}.dump(2) + "\n");
  return kExitOk;
}

void rememberWinner(const Diagnosis& d) {
  if (!d.ladder.winner || !d.ladder.confirmed) return;
  const Profile& winner = d.ladder.winner->profile;
  RememberedHost h;
  h.profile = winner;
  h.when = utcNow();
  h.why = d.ladder.winner->why;
  std::int64_t selected = -1;
  for (const auto& a : d.ladder.attempts) {
    if (!a.outcome.success || !(a.rung.profile == winner)) continue;
    selected = a.outcome.selectedProtocol;
    if (a.outcome.certificate) h.fingerprint = a.outcome.certificate->fingerprint;
  }
  h.downgrades = winner.downgrades(selected);
  h.layer = selected >= 0 ? layerOfSelectedProtocol(static_cast<std::uint32_t>(selected))
                          : winner.weakestLayer();
  auto path = HostMemory::defaultPath();
  if (!path) return;
  if (auto st = HostMemory(*path).remember(pinKey(winner.target), h); !st.ok())
    std::cerr << "rdpdoctor: warning: " << terminalText(st.error().message()) << std::endl;
}

std::optional<RememberedHost> rememberedFor(const Profile& p, SecurityFloor floor) {
  if (!asksForNoCombination(p)) return std::nullopt;  // the user asked for one: theirs
  auto path = HostMemory::defaultPath();
  if (!path) return std::nullopt;
  auto h = HostMemory(*path).lookup(pinKey(p.target));
  if (!h) {
    std::cerr << "rdpdoctor: warning: " << terminalText(h.error().message()) << std::endl;
    return std::nullopt;
  }
  if (!*h) return std::nullopt;
  const std::string key = terminalText(pinKey(p.target));
  if (!meetsFloor((*h)->layer, floor) || !meetsFloor((*h)->profile.strongestLayer(), floor)) {
    std::cerr << "rdpdoctor: " << key << ": the remembered combination ("
              << terminalText((*h)->profile.summary()) << ") is below your security floor ("
              << toString(floor) << "): not used" << std::endl;
    return std::nullopt;
  }
  std::cerr << "rdpdoctor: " << key << ": using the combination that worked on "
            << terminalText((*h)->when) << ": " << terminalText((*h)->profile.summary())
            << (h.value()->downgrades.empty()
                    ? ""
                    : " (downgrades: " + terminalText(joined((*h)->downgrades)) + ")")
            << std::endl;
  return **h;
}

}  // namespace rdpdoctor::app
