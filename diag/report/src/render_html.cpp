// The HTML report, one to forward: the three lines first, a picture of the layers with the failing
// one and the winner's path marked, the probe's facts, downgrades, when, where and with what
// versions it was made. Self-contained: inline CSS, no scripts, no external resources.
#include <set>
#include <sstream>

#include "rdpdoctor/report/diagnosis.hpp"
#include "rdpdoctor/text_safety.hpp"
#include "rdpdoctor/verdict/host_findings.hpp"
#include "render_parts.hpp"

namespace rdpdoctor {
namespace {

using detail::attemptResult;
using detail::certificateFacts;

constexpr const char* kStyle =
    "body{font-family:system-ui,sans-serif;margin:2em;max-width:70em;color:#222}"
    "table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:.3em "
    ".5em;text-align:left}"
    ".works{background:#c8f0c8}.fails{background:#f6caca}.skipped,.not-attempted{background:#eee;"
    "color:#666}"
    ".below,.below-floor{background:#fff3c4}code{background:#f4f4f4;padding:.1em .3em}"
    ".verdict{border:2px solid #444;border-radius:.4em;padding:.6em 1em;margin:1em 0}"
    ".verdict p{margin:.3em 0;font-size:1.1em}.verdict "
    ".label{display:inline-block;min-width:9em;font-weight:bold}"
    ".layers{display:flex;align-items:center;flex-wrap:wrap;gap:.3em;margin:1em 0}"
    ".alt{display:flex;flex-direction:column;gap:.3em}.arrow{font-size:1.4em;color:#888}"
    ".layer{border:2px solid #999;border-radius:.4em;padding:.4em "
    ".7em;background:#f8f8f8;min-width:7em}"
    // the picture's own colours (the attempt table has its own): red fill where the original
    // settings fail, green where the winner went; a failing layer the winner passed keeps the red
    // fill inside a green border
    ".layer .mark{display:block;font-size:.85em}.layer.win{border-color:#2a8a2a;background:#b5e8b5}"
    ".layer.fail{border-color:#b22;background:#f2b8b8}.layer.fail.win{border-color:#2a8a2a;border-"
    "width:4px}"
    "footer{margin-top:2em;color:#555;font-size:.9em}";

struct LayerBox {
  Layer layer;
  const char* name;
  const char* id;
};

/// The layers the winner's connection went through (empty: no winner).
std::set<Layer> winnerPath(const Diagnosis& d) {
  if (!d.ladder.winner) return {};
  std::set<Layer> path{Layer::Name, Layer::Tcp, Layer::Negotiation, Layer::Session};
  const std::int64_t selected = winnerSelectedProtocol(d);
  std::optional<SecurityFloor> landed;
  if (selected >= 0)
    landed = layerOfSelectedProtocol(static_cast<std::uint32_t>(selected));
  else if (d.ladder.winner->profile.security != Security::Negotiate)
    landed = d.ladder.winner->profile.weakestLayer();
  if (landed == SecurityFloor::Rdp) path.insert(Layer::RdpSecurity);
  if (landed == SecurityFloor::Tls || landed == SecurityFloor::Nla) path.insert(Layer::Tls);
  if (landed == SecurityFloor::Nla) path.insert(Layer::Nla);
  return path;
}

void box(std::ostringstream& o, const LayerBox& b, const std::set<Layer>& path,
         std::optional<Layer> failing) {
  const bool win = path.count(b.layer) != 0;
  const bool fail = failing == b.layer;
  o << "<div class=\"layer" << (fail ? " fail" : "") << (win ? " win" : "") << "\" id=\"layer-"
    << b.id << "\"><strong>" << b.name << "</strong>";
  if (fail) o << "<span class=\"mark\">&#x2717; the original settings fail here</span>";
  if (win) o << "<span class=\"mark\">&#x2713; the working combination's path</span>";
  o << "</div>";
}

void layerPicture(std::ostringstream& o, const Diagnosis& d) {
  const Attempt* orig = d.ladder.original();
  std::optional<Layer> failing;
  if (orig != nullptr && !orig->skipped && !orig->outcome.success &&
      orig->signature.layer != Layer::None)
    failing = orig->signature.layer;
  const auto path = winnerPath(d);
  const auto arrow = [&] { o << "<span class=\"arrow\">&#x2192;</span>"; };
  o << "<h2>Layers</h2><div class=\"layers\">";
  box(o, {Layer::Name, "name", "name"}, path, failing);
  arrow();
  box(o, {Layer::Tcp, "TCP", "tcp"}, path, failing);
  arrow();
  box(o, {Layer::Negotiation, "negotiation", "negotiation"}, path, failing);
  arrow();
  o << "<div class=\"alt\">";
  box(o, {Layer::Tls, "TLS", "tls"}, path, failing);
  box(o, {Layer::RdpSecurity, "RDP security", "rdp-security"}, path, failing);
  o << "</div>";
  arrow();
  box(o, {Layer::Nla, "NLA", "nla"}, path, failing);
  arrow();
  box(o, {Layer::Session, "session", "session"}, path, failing);
  o << "</div>";
}

std::string textAt(const nlohmann::json& j, const char* key) {
  if (!j.is_object() || !j.contains(key)) return {};
  if (j[key].is_string()) return j[key].get<std::string>();
  if (j[key].is_number()) return j[key].dump();
  return {};
}

/// TLS versions x security level as the probe saw them, and the certificate with its dates.
void probeFacts(std::ostringstream& o, const Diagnosis& d) {
  const bool haveTls = d.probe.is_object() && d.probe.contains("tls") && d.probe["tls"].is_object();
  const auto cert = certificateFacts(d);
  if (!haveTls && cert.empty()) return;
  o << "<h2>What the probe saw</h2>";
  if (haveTls) {
    const auto& t = d.probe["tls"];
    if (t.contains("attempts") && t["attempts"].is_array() && !t["attempts"].empty()) {
      o << "<table class=\"tls\"><tr><th>TLS version</th><th>OpenSSL security "
           "level</th><th>result</th>"
           "<th>cipher or reason</th></tr>";
      for (const auto& a : t["attempts"]) {
        const std::string why =
            textAt(a, "cipher").empty() ? textAt(a, "reason") : textAt(a, "cipher");
        o << "<tr><td>" << htmlText(textAt(a, "version")) << "</td><td>"
          << (textAt(a, "seclevel").empty() ? std::string("default")
                                            : htmlText(textAt(a, "seclevel")))
          << "</td><td>" << htmlText(textAt(a, "result")) << "</td><td>" << htmlText(why)
          << "</td></tr>";
      }
      o << "</table>";
    }
    if (!textAt(t, "min_seclevel").empty())
      o << "<p>lowest OpenSSL security level the host needs: "
        << htmlText(textAt(t, "min_seclevel")) << "</p>";
  }
  if (!cert.empty()) {
    o << "<h3>Certificate</h3><table>";
    for (const auto& [label, value] : cert)
      o << "<tr><th>" << label << "</th><td>" << htmlText(value) << "</td></tr>";
    o << "</table>";
  }
}

void attemptsTable(std::ostringstream& o, const Diagnosis& d) {
  o << "<h2>Attempts</h2><table><tr><th>#</th><th>combination</th><th>why tried</th><th>result</th>"
       "<th>signature</th><th>layer</th><th>time</th></tr>";
  for (std::size_t i = 0; i < d.ladder.attempts.size(); ++i) {
    const auto& a = d.ladder.attempts[i];
    const std::string r = attemptResult(a);
    o << "<tr class=\"" << (a.notAttempted ? "not-attempted" : r) << "\"><td>" << i + 1
      << "</td><td>" << htmlText(a.rung.profile.summary())
      << (a.confirmation ? " (confirmation)" : "") << "</td><td>" << htmlText(a.rung.why)
      << "</td><td>" << r << "</td><td>" << (a.skipped ? "" : htmlText(a.signature.id))
      << "</td><td>" << (a.skipped ? "" : std::string(toString(a.signature.layer))) << "</td><td>"
      << (a.notAttempted ? std::string() : std::to_string(a.outcome.elapsedMs) + " ms")
      << "</td></tr>";
  }
  for (const auto& r : d.ladder.belowFloor)
    o << "<tr class=\"below\"><td>-</td><td>" << htmlText(r.profile.summary()) << "</td><td>"
      << htmlText(r.why) << "</td><td>below floor</td><td></td><td></td><td></td></tr>";
  o << "</table>";
}

}  // namespace

std::string renderHtml(const Diagnosis& d) {
  std::ostringstream o;
  o << "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>rdpdoctor: "
    << htmlText(d.original.target.display()) << "</title><style>" << kStyle
    << "</style></head><body>";
  o << "<h1>rdpdoctor diagnosis of <code>" << htmlText(d.original.target.display())
    << "</code></h1>";
  o << "<section class=\"verdict\"><p id=\"problem\"><span class=\"label\">Problem</span> "
    << htmlText(d.summary.problem) << "</p><p id=\"fix\"><span class=\"label\">"
    << (d.summary.fixOnThisMachine ? "Fix on this machine" : "Fix on the host") << "</span> "
    << htmlText(d.summary.fix) << "</p><p id=\"connect\"><span class=\"label\">Connect now</span> "
    << (d.summary.haveCommand ? "<code>" + htmlText(d.summary.connect) + "</code>"
                              : htmlText(d.summary.connect))
    << "</p></section>";
  layerPicture(o, d);
  if (d.ladder.winner) {
    o << "<h2>Working combination</h2><p>" << htmlText(d.ladder.winner->profile.summary()) << " ("
      << htmlText(d.ladder.winner->why) << ")</p><p>"
      << (d.ladder.winner->profile.xfreerdpCanReproduce()
              ? "<code>" + htmlText(d.summary.xfreerdp) + "</code>"
              : htmlText(d.summary.xfreerdp))
      << "</p>";
    const auto down = d.ladder.winner->profile.downgrades(winnerSelectedProtocol(d));
    if (!down.empty()) {
      o << "<h3>Downgrades</h3><ul class=\"downgrades\">";
      for (const auto& x : down) o << "<li>" << htmlText(x) << "</li>";
      o << "</ul>";
    }
  }
  probeFacts(o, d);
  o << "<h2>Verdict in full</h2><p>" << htmlText(d.verdict) << "</p>";
  attemptsTable(o, d);
  if (!d.remedies.empty()) {
    std::string heading = remediesHeading(d);
    heading[0] = 'W';
    o << "<h2>" << htmlText(heading) << "</h2><ul>";
    for (const auto& r : d.remedies) o << "<li>" << htmlText(remedyLine(r)) << "</li>";
    o << "</ul>";
  }
  if (const auto findings = hostFindings(d.facts); !findings.empty()) {
    o << "<h2>Host findings <small>(to fix even when it connects)</small></h2><table "
         "class=\"findings\">"
         "<tr><th>severity</th><th>finding</th><th>evidence</th></tr>";
    for (const auto& f : findings)
      o << "<tr class=\"sev-" << toString(f.severity) << "\"><td>" << toString(f.severity)
        << "</td><td>" << f.id << "</td><td>" << htmlText(f.evidence) << "</td></tr>";
    o << "</table>";
  }
  const auto& c = d.context;
  o << "<footer id=\"made\">made "
    << htmlText(c.generatedAt.empty() ? std::string("(date not known)") : c.generatedAt) << " on "
    << htmlText(c.clientHost.empty() ? std::string("(this machine)") : c.clientHost)
    << " by rdpdoctor "
    << htmlText(c.rdpdoctorVersion.empty() ? std::string("?") : c.rdpdoctorVersion) << ", FreeRDP "
    << htmlText(c.freerdpVersion.empty() ? std::string("?") : c.freerdpVersion) << ", "
    << htmlText(c.opensslVersion.empty() ? std::string("OpenSSL ?") : c.opensslVersion)
    << "</footer>";
  o << "</body></html>\n";
  return o.str();
}

}  // namespace rdpdoctor
