#include "verb_explain.hpp"

#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "rdpdoctor/text_safety.hpp"
#include "rdpdoctor/verdict/explain.hpp"

namespace rdpdoctor::app {

void addExplainVerb(CLI::App& app, ExplainOptions& o) {
  auto* v = app.add_subcommand(
      "explain",
      "what an mstsc / FreeRDP / ERRINFO / RDP_NEG_FAILURE / xfreerdp exit code means, its layer, "
      "the likely causes with the host-side fixes, and the command that tells them apart (exit 0 "
      "known, 1 unknown code, 2 usage)");
  v->add_option("CODE", o.code,
                "0x904, 2308, 0x904/0x7, 0x00020008, ERRCONNECT_TLS_CONNECT_FAILED, "
                "ERRINFO_SERVER_DENIED_CONNECTION, HYBRID_REQUIRED_BY_SERVER, 131")
      ->required();
  v->add_option("--extended", o.extended, "mstsc's extended disconnect reason (e.g. 0x7)");
  v->add_option("--json", o.json, "write rdpdoctor/explain@1 to FILE, or - for stdout");
}

namespace {

std::string hex(std::uint32_t v) {
  char b[16];
  std::snprintf(b, sizeof b, "0x%X", v);
  return b;
}

nlohmann::json entryJson(const CodeEntry& e) {
  nlohmann::json j = {{"table", toString(e.table)},
                      {"table_name", describe(e.table)},
                      {"value", e.value},
                      {"hex", hex(e.value)},
                      {"name", e.name},
                      {"meaning", e.meaning},
                      {"layer", toString(e.layer)},
                      {"source", sourceOf(e)}};
  if (e.table == CodeTable::FreeRdpError || e.table == CodeTable::ClientExit)
    j["freerdp"] = toString(e.majors);
  return j;
}

nlohmann::json toJson(const Explanation& x) {
  nlohmann::json j = {{"schema", "rdpdoctor/explain@1"}, {"query", x.query}, {"known", x.known()}};
  j["value"] = x.value ? nlohmann::json(*x.value) : nlohmann::json(nullptr);
  j["match"] = x.primary ? entryJson(*x.primary) : nlohmann::json(nullptr);
  j["alternatives"] = nlohmann::json::array();
  for (const auto* e : x.alternatives) j["alternatives"].push_back(entryJson(*e));
  if (x.extendedValue) {
    j["extended"] = {{"value", *x.extendedValue},
                     {"match", x.extended ? entryJson(*x.extended) : nlohmann::json(nullptr)}};
  }
  j["structure"] = x.structure;
  j["causes"] = nlohmann::json::array();
  for (const auto& c : x.causes) {
    nlohmann::json rem = nlohmann::json::array();
    for (const auto& r : c.remedies) rem.push_back({{"id", r.id}, {"text", r.text}});
    j["causes"].push_back({{"signature", c.signature},
                           {"layer", toString(c.layer)},
                           {"cause", c.cause},
                           {"mstsc",
                            {{"disconnect_reason", c.mstsc.disconnectReason},
                             {"extended_reason", c.mstsc.extendedReason}}},
                           {"remedies", rem}});
  }
  j["tell_apart"] = nlohmann::json::array();
  for (const auto& t : x.tellApart)
    j["tell_apart"].push_back({{"command", t.command}, {"shows", t.shows}});
  return j;
}

std::string entryLine(const CodeEntry& e) {
  std::string s = hex(e.value) + " (" + std::to_string(e.value) + ") as " +
                  std::string(describe(e.table)) + ": " + std::string(e.name) + " - " +
                  std::string(e.meaning) + " [layer: " + std::string(toString(e.layer));
  if (e.table == CodeTable::FreeRdpError || e.table == CodeTable::ClientExit)
    s += "; FreeRDP " + std::string(toString(e.majors));
  return s + "]";
}

std::string text(const Explanation& x) {
  std::string out;
  if (x.primary) {
    out += entryLine(*x.primary) + "\n";
    out += "  source: " + std::string(sourceOf(*x.primary)) + "\n";
  } else if (x.extendedValue && x.value) {
    out += hex(*x.value) + " is not in Microsoft's table of mstsc disconnect reasons\n";
  } else {
    out += "'" + terminalText(x.query) + "' is unknown: it is in none of the tables\n";
  }
  if (x.extendedValue) {
    out += x.extended ? "extended " + entryLine(*x.extended) +
                            "\n  source: " + std::string(sourceOf(*x.extended)) + "\n"
                      : "extended " + hex(*x.extendedValue) +
                            ": not in the extended-reason or "
                            "ERRINFO tables\n";
  }
  if (!x.alternatives.empty()) {
    out += "the same number in other tables (pick the one the tool that showed it uses):\n";
    for (const auto* e : x.alternatives) out += "  - " + entryLine(*e) + "\n";
  }
  if (!x.structure.empty()) {
    out += "how it is composed:\n";
    for (const auto& s : x.structure) out += "  - " + s + "\n";
  }
  if (x.causes.empty()) {
    out += "likely causes: none the doctor can name for this code\n";
  } else {
    out += "likely causes, most likely first:\n";
    int n = 0;
    for (const auto& c : x.causes) {
      out += "  " + std::to_string(++n) + ". " + c.cause + " [" + c.signature + ", layer " +
             std::string(toString(c.layer)) + "]\n";
      for (const auto& r : c.remedies) out += "     fix on the host: " + std::string(r.text) + "\n";
    }
  }
  out += "to tell them apart:\n";
  for (const auto& t : x.tellApart) out += "  " + t.command + "\n    " + t.shows + "\n";
  return out;
}

}  // namespace

int runExplain(const ExplainOptions& o) {
  auto x = explainCode(
      o.code, o.extended.empty() ? std::nullopt : std::optional<std::string_view>(o.extended));
  if (!x) throw UsageError(x.error().message());
  if (!o.json.empty()) writeOutput(o.json, jsonText(toJson(*x), 2));
  if (o.json != "-") std::cout << text(*x) << std::flush;
  return x->known() || (x->extendedValue && x->extended) ? kExitOk : kExitNoConnection;
}

}  // namespace rdpdoctor::app
