#pragma once
// The code tables `explain` answers from: what users paste (mstsc's disconnect and extended
// reasons, FreeRDP's error codes and names, ERRINFO, RDP_NEG_FAILURE, xfreerdp/sdl-freerdp exit
// codes), each from its public reference (cited in codes_*.cpp). Pure data, no FreeRDP headers:
// FreeRDP's error.h values are data here (tests compare them with the installed headers).
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "rdpdoctor/verdict/verdict.hpp"

namespace rdpdoctor {

enum class CodeTable {
  MstscDisconnect,  // IMsTscAxEvents::OnDisconnected discReason
  MstscExtended,    // ExtendedDisconnectReasonCode (the server's error info, as mstsc shows it)
  ErrInfo,          // MS-RDPBCGR 2.2.5.1.1 Set Error Info PDU errorInfo
  FreeRdpError,     // FreeRDP error.h: freerdp_get_last_error() (class << 16 | type)
  NegFailure,       // MS-RDPBCGR 2.2.1.2.2 RDP_NEG_FAILURE failureCode
  ClientExit,       // exit status of xfreerdp / sdl-freerdp (FreeRDP's XF_/SDL_EXIT_CODE)
};
inline constexpr CodeTable kAllCodeTables[] = {CodeTable::MstscDisconnect, CodeTable::MstscExtended,
                                               CodeTable::ErrInfo,         CodeTable::FreeRdpError,
                                               CodeTable::NegFailure,      CodeTable::ClientExit};

/// Which FreeRDP majors define a FreeRDP value (other tables: Both).
enum class FreeRdpMajors { Both, Only2, Only3 };

struct CodeEntry {
  CodeTable table;
  std::uint32_t value;
  std::string_view name;     // the official name: disconnectReasonAtClientWinsockFDCLOSE, ...
  std::string_view meaning;  // plain words, lower case, no final period
  Layer layer;
  FreeRdpMajors majors = FreeRdpMajors::Both;
  std::string_view source = {};  // empty: the table's (sourceOf)
};

[[nodiscard]] std::span<const CodeEntry> codeTable(CodeTable t);
/// "mstsc-disconnect", "mstsc-extended", "errinfo", "freerdp", "rdp-neg-failure", "client-exit"
[[nodiscard]] std::string_view toString(CodeTable t);
/// "mstsc disconnect reason", ... (for sentences)
[[nodiscard]] std::string_view describe(CodeTable t);
/// The public reference of the table (a URL or a header of a tagged FreeRDP release).
[[nodiscard]] std::string_view sourceOf(CodeTable t);
/// The entry's own source when it has one, else its table's.
[[nodiscard]] std::string_view sourceOf(const CodeEntry& e);
[[nodiscard]] std::string_view toString(FreeRdpMajors m);

[[nodiscard]] const CodeEntry* findCode(CodeTable t, std::uint32_t value);
/// Every table's entry with that value, in kAllCodeTables order. A FreeRDP error of the ERRINFO
/// class (0x0001xxxx) is found as its ERRINFO entry too, FreeRDP 2.11's legacy connectErrorCode
/// (10000 + type) as its ERRCONNECT entry.
[[nodiscard]] std::vector<const CodeEntry*> findCodes(std::uint32_t value);
/// By official name, case-insensitive; FreeRDP's FREERDP_ERROR_ spelling of an ERRCONNECT_ /
/// ERRINFO_ name is accepted.
[[nodiscard]] const CodeEntry* findCodeByName(std::string_view name);

}  // namespace rdpdoctor
