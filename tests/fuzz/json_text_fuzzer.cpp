// Fuzz target: jsonText / makeJsonSafe (diag/model text_safety). The input's bytes become a member
// value, an array element, a key and a nested value of a document. Oracles: jsonText never throws;
// its output parses; it holds no raw control byte outside '\n' and no invalid UTF-8; a value that
// was valid UTF-8 comes back unchanged, one that was not has a `_hex` sibling that decodes back to
// the exact input bytes.
#include <cstddef>
#include <cstdint>
#include <string>

#include "rdpdoctor/text_safety.hpp"
#include "text_oracles.hpp"

namespace {

std::string unhex(const std::string& hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
    out += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace rdpdoctor;
  const std::string raw(reinterpret_cast<const char*>(data), size);
  const nlohmann::json doc{{"subject", raw},
                           {"names", {"DNS:ok", raw}},
                           {raw, 1},
                           {"nested", {{"outcome", {{"log_tail", {raw}}}}}}};
  std::string text;
  try {
    text = jsonText(doc, 2);
  } catch (...) {
    fuzz::require(false);
  }
  // the document's own newlines are its layout; everything else must be terminal-safe
  std::string flat = text;
  std::erase(flat, '\n');
  fuzz::requireTerminalSafe(flat);
  nlohmann::json back;
  try {
    back = nlohmann::json::parse(text);
  } catch (...) {
    fuzz::require(false);
  }
  const bool valid = isValidUtf8(raw);
  if (valid) {
    fuzz::require(back["subject"] == raw && !back.contains("subject_hex"));
    fuzz::require(back["names"][1] == raw && !back.contains("names_hex"));
    fuzz::require(back.contains(raw));
  } else {
    fuzz::require(unhex(back["subject_hex"].get<std::string>()) == raw);
    fuzz::require(back["names_hex"][0].is_null() &&
                  unhex(back["names_hex"][1].get<std::string>()) == raw);
    fuzz::require(unhex(back["nested"]["outcome"]["log_tail_hex"][0].get<std::string>()) == raw);
    fuzz::require(back["subject"] == utf8Repaired(raw));
  }
  return 0;
}
