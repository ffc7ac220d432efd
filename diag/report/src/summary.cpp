// The three lines a diagnosis starts with: the problem, the fix on the host, how to connect now.
#include <algorithm>
#include <string_view>

#include "rdpdoctor/report/diagnosis.hpp"

namespace rdpdoctor {
namespace {

/// The failing layer as an administrator names it.
std::string_view plainLayer(Layer l) {
  switch (l) {
    case Layer::Name:
      return "the host's name does not resolve";
    case Layer::Tcp:
      return "the TCP connection fails";
    case Layer::Negotiation:
      return "the security negotiation fails";
    case Layer::Tls:
    case Layer::Certificate:
      return "TLS fails";
    case Layer::RdpSecurity:
      return "standard RDP security fails";
    case Layer::Nla:
      return "NLA (network level authentication) fails";
    case Layer::Session:
      return "the session fails";
    case Layer::Gateway:
      return "the host is behind an RD Gateway";
    case Layer::None:
      return "it fails";
  }
  return "it fails";
}

/// The first `stop` (": " or "; ") outside parentheses and quotes, npos when none.
std::size_t firstStop(std::string_view s, std::string_view stop) {
  int depth = 0;
  bool quoted = false;
  for (std::size_t i = 0; i + stop.size() <= s.size(); ++i) {
    const char c = s[i];
    if (c == '\'') quoted = !quoted;
    if (quoted) continue;
    if (c == '(') ++depth;
    if (c == ')' && depth > 0) --depth;
    if (depth == 0 && s.substr(i, stop.size()) == stop) return i;
  }
  return std::string_view::npos;
}

/// A cause cut to its first clause ("..., refused by OpenSSL: the same ... works" -> the first
/// part).
std::string shortCause(std::string_view cause) {
  return std::string(cause.substr(0, firstStop(cause, ": ")));
}

/// A remedy cut to its action: after "what it is: " (when that is its first clause), before
/// "; more".
std::string shortRemedy(std::string_view text) {
  if (const auto colon = firstStop(text, ": ");
      colon != std::string_view::npos && colon < firstStop(text, "; "))
    text = text.substr(colon + 2);
  return std::string(text.substr(0, firstStop(text, "; ")));
}

std::string sentence(std::string s) {
  if (!s.empty() && s.back() != '.') s += '.';
  return s;
}

}  // namespace

std::int64_t winnerSelectedProtocol(const Diagnosis& d) {
  if (!d.ladder.winner) return -1;
  for (const auto& a : d.ladder.attempts)
    if (!a.skipped && a.outcome.success && a.rung.profile == d.ladder.winner->profile)
      return a.outcome.selectedProtocol;
  return -1;
}

VerdictSummary summaryOf(const Diagnosis& d) {
  VerdictSummary s;
  const Attempt* orig = d.ladder.original();
  if (orig == nullptr) {
    s.problem = "not known: nothing was tried.";
  } else if (orig->outcome.success) {
    s.problem = "none: the original settings work.";
  } else {
    s.problem = sentence(std::string(plainLayer(orig->signature.layer)) + ": " +
                         shortCause(orig->signature.cause));
  }
  if (orig != nullptr && orig->outcome.success)
    s.fix = "nothing for the connection (host findings, if any, are below).";
  else if (!d.remedies.empty()) {
    s.fix = sentence(shortRemedy(d.remedies.front().text));
    s.fixOnThisMachine = d.remedies.front().onThisMachine;
  } else
    s.fix = "no host change is known for this failure; see the details.";

  if (d.ladder.winner) {
    const Profile& w = d.ladder.winner->profile;
    std::vector<std::string> words{"rdpdoctor"};
    for (auto& a : w.rdpdoctorArgs(winnerSelectedProtocol(d), d.floor))
      words.push_back(std::move(a));
    s.connect = shellLine(words);
    s.haveCommand = true;
    if (w.xfreerdpCanReproduce()) {
      std::vector<std::string> x{"xfreerdp"};
      for (auto& a : w.xfreerdpArgs()) x.push_back(std::move(a));
      s.xfreerdp = shellLine(x);
    } else {
      s.xfreerdp =
          "xfreerdp 2.11 cannot reproduce this combination: it has no option for the classic MAC.";
    }
    if (w.xfreerdp3CanReproduce()) {
      std::vector<std::string> x{"xfreerdp3"};
      for (auto& a : w.xfreerdp3Args()) x.push_back(std::move(a));
      s.xfreerdp3 = shellLine(x);
    } else {
      s.xfreerdp3 =
          "xfreerdp3 cannot reproduce this combination: it has no option for the classic MAC.";
    }
    return s;
  }
  const std::string again = d.command.empty()
                                ? std::string("rdpdoctor diagnose ") + d.original.target.display()
                                : d.command;
  for (const auto& a : d.ladder.attempts) {
    const auto& c = a.outcome.certificate;
    if (a.skipped || a.signature.kind != SignatureId::CertificateUntrusted || !c) continue;
    s.connect = "not yet: the host's certificate was not accepted. Check its SHA-256 " +
                c->fingerprint + " with the host's administrator, then run: " + again +
                " --cert accept-once";
    return s;
  }
  const bool stripped = orig != nullptr && orig->outcome.belowFloor && orig->outcome.pinnedOverTls;
  if (d.ladder.floorKeptOutACandidate() && !stripped) {
    const auto& b = d.ladder.belowFloor.front().profile;
    s.connect = "not yet: nothing at or above your floor (" + std::string(toString(d.floor)) +
                ") works. To try " + b.summary() + ", run: " + again + " --min-security " +
                std::string(toString(b.weakestLayer()));
    return s;
  }
  if (orig != nullptr && orig->signature.exit == ExitClass::NotSupported) {
    s.connect =
        "not with rdpdoctor yet: nothing was tried (" + shortCause(orig->signature.cause) + ").";
    return s;
  }
  s.connect =
      s.fixOnThisMachine
          ? "not possible from this machine yet: no combination works. Fix this machine first."
          : "not possible from this machine yet: no combination works. Fix the host first.";
  return s;
}

std::string remediesHeading(const Diagnosis& d) {
  const bool local = std::any_of(d.remedies.begin(), d.remedies.end(),
                                 [](const Remedy& r) { return r.onThisMachine; });
  return local ? "what to fix" : "what to fix on the host";
}

std::string remedyLine(const Remedy& r) {
  return r.onThisMachine ? "on this machine: " + std::string(r.text) : std::string(r.text);
}

}  // namespace rdpdoctor
