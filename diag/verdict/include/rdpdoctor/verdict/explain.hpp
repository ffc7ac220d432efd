#pragma once
// `rdpdoctor explain CODE`: what a pasted code means, the layer it points at, how an mstsc pair is
// composed, the likely causes (the doctor's own signatures and remedies) and the command that
// tells them apart. Pure: no I/O.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rdpdoctor/result.hpp"
#include "rdpdoctor/verdict/codes.hpp"
#include "rdpdoctor/verdict/verdict.hpp"

namespace rdpdoctor {

/// What the causes are looked up by (any subset).
struct CauseQuery {
  std::optional<std::uint32_t> disconnectReason;  // mstsc discReason
  std::optional<std::uint32_t> extendedReason;    // mstsc extended reason (= ERRINFO)
  std::optional<std::uint32_t> errinfo;           // the server's ERRINFO
  std::string freerdpName;                        // ERRCONNECT_...
  std::string negFailure;                         // RDP_NEG_FAILURE name
};

/// One cause the doctor can name for a code: its signature, ranked by the caller's order.
struct LikelyCause {
  std::string signature;  // the doctor's signature id ("nla-required", ...)
  Layer layer = Layer::None;
  MstscCodes mstsc;
  std::string cause;
  std::vector<Remedy> remedies;
};

/// explain_causes.cpp: the adapter between explain and the doctor's signatures and remedies,
/// most likely first. Empty when the doctor knows no cause for that code.
[[nodiscard]] std::vector<LikelyCause> likelyCauses(const CauseQuery& q);

/// A command that tells the causes apart, and what it shows.
struct TellApart {
  std::string command;  // "rdpdoctor probe HOST"
  std::string shows;
};

struct Explanation {
  std::string query;                           // as typed ("0x904/0x7", "ERRCONNECT_...")
  std::optional<std::uint32_t> value;          // the number, when the query is one
  const CodeEntry* primary = nullptr;          // the table entry it most likely is
  std::vector<const CodeEntry*> alternatives;  // the same number in other tables
  std::optional<std::uint32_t> extendedValue;  // the pair's (or --extended) second code
  const CodeEntry* extended = nullptr;         // its entry (extended reason, else ERRINFO)
  std::vector<std::string> structure;  // how the code is composed; what an unknown one tells
  std::vector<LikelyCause> causes;
  std::vector<TellApart> tellApart;
  [[nodiscard]] bool known() const { return primary != nullptr; }
};

/// Parses what users paste: 0x904, 2308, 0x904/0x7, 0x00020008, ERRCONNECT_TLS_CONNECT_FAILED,
/// ERRINFO_SERVER_DENIED_CONNECTION, FREERDP_ERROR_... ; `extended` is --extended's value.
/// Errors (code "usage"): text that is neither a number nor a name, a pair and --extended both.
[[nodiscard]] Result<Explanation> explainCode(std::string_view code,
                                              std::optional<std::string_view> extended);

}  // namespace rdpdoctor
