// Lookups over the code tables of codes_*.cpp.
#include <algorithm>
#include <cctype>

#include "codes_tables.hpp"

namespace rdpdoctor {

std::span<const CodeEntry> codeTable(CodeTable t) {
  switch (t) {
    case CodeTable::MstscDisconnect:
      return codes::mstscDisconnect();
    case CodeTable::MstscExtended:
      return codes::mstscExtended();
    case CodeTable::ErrInfo:
      return codes::errInfo();
    case CodeTable::FreeRdpError:
      return codes::freerdpError();
    case CodeTable::NegFailure:
      return codes::negFailure();
    case CodeTable::ClientExit:
      return codes::clientExit();
  }
  return {};
}

std::string_view toString(CodeTable t) {
  switch (t) {
    case CodeTable::MstscDisconnect:
      return "mstsc-disconnect";
    case CodeTable::MstscExtended:
      return "mstsc-extended";
    case CodeTable::ErrInfo:
      return "errinfo";
    case CodeTable::FreeRdpError:
      return "freerdp";
    case CodeTable::NegFailure:
      return "rdp-neg-failure";
    case CodeTable::ClientExit:
      return "client-exit";
  }
  return "?";
}

std::string_view describe(CodeTable t) {
  switch (t) {
    case CodeTable::MstscDisconnect:
      return "mstsc disconnect reason";
    case CodeTable::MstscExtended:
      return "mstsc extended disconnect reason";
    case CodeTable::ErrInfo:
      return "server error info (ERRINFO)";
    case CodeTable::FreeRdpError:
      return "FreeRDP error code";
    case CodeTable::NegFailure:
      return "RDP negotiation failure code";
    case CodeTable::ClientExit:
      return "xfreerdp / sdl-freerdp exit code";
  }
  return "?";
}

std::string_view sourceOf(CodeTable t) {
  switch (t) {
    case CodeTable::MstscDisconnect:
      return "https://learn.microsoft.com/en-us/windows/win32/termserv/"
             "imstscaxevents-ondisconnected";
    case CodeTable::MstscExtended:
      return "https://learn.microsoft.com/en-us/windows/win32/termserv/"
             "extendeddisconnectreasoncode";
    case CodeTable::ErrInfo:
      return "MS-RDPBCGR 2.2.5.1.1 Set Error Info PDU (https://learn.microsoft.com/en-us/openspecs/"
             "windows_protocols/ms-rdpbcgr/a21a1bd9-2303-49c1-90ec-3932435c248c)";
    case CodeTable::FreeRdpError:
      return "FreeRDP include/freerdp/error.h (2.11.7, 3.10.3)";
    case CodeTable::NegFailure:
      return "MS-RDPBCGR 2.2.1.2.2 RDP Negotiation Failure (https://learn.microsoft.com/en-us/"
             "openspecs/windows_protocols/ms-rdpbcgr/1b3920e7-0116-4345-bc45-f2c4ad012761)";
    case CodeTable::ClientExit:
      return "FreeRDP client/X11/xfreerdp.h XF_EXIT_CODE (2.11.7, 3.10.3), "
             "client/SDL/SDL2/sdl_freerdp.cpp SDL_EXIT_CODE (3.10.3)";
  }
  return "?";
}

std::string_view sourceOf(const CodeEntry& e) {
  return e.source.empty() ? sourceOf(e.table) : e.source;
}

std::string_view toString(FreeRdpMajors m) {
  switch (m) {
    case FreeRdpMajors::Both:
      return "2.11 and 3.x";
    case FreeRdpMajors::Only2:
      return "2.11 only";
    case FreeRdpMajors::Only3:
      return "3.x only";
  }
  return "?";
}

const CodeEntry* findCode(CodeTable t, std::uint32_t value) {
  for (const auto& e : codeTable(t))
    if (e.value == value) return &e;
  return nullptr;
}

std::vector<const CodeEntry*> findCodes(std::uint32_t value) {
  std::vector<const CodeEntry*> found;
  auto add = [&](const CodeEntry* e) {
    if (e && std::find(found.begin(), found.end(), e) == found.end()) found.push_back(e);
  };
  for (auto t : kAllCodeTables) {
    add(findCode(t, value));
    if (t == CodeTable::FreeRdpError) {
      if (value >> 16 == codes::kFreeRdpErrinfoClass)
        add(findCode(CodeTable::ErrInfo, value & 0xFFFF));
      if (value > codes::kLegacyConnectErrorStart && value < codes::kLegacyConnectErrorStart + 12)
        add(findCode(
            t, codes::kFreeRdpConnectClass << 16 | (value - codes::kLegacyConnectErrorStart)));
    }
  }
  return found;
}

const CodeEntry* findCodeByName(std::string_view typed) {
  std::string name(typed);
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  auto equals = [](std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
             return std::toupper(static_cast<unsigned char>(x)) ==
                    std::toupper(static_cast<unsigned char>(y));
           });
  };
  // FreeRDP's FREERDP_ERROR_<X> spelling: ERRCONNECT_<X> or ERRINFO_<X>
  std::vector<std::string> candidates = {name};
  constexpr std::string_view kFreeRdpPrefix = "FREERDP_ERROR_";
  if (name.rfind(kFreeRdpPrefix, 0) == 0) {
    const std::string rest = name.substr(kFreeRdpPrefix.size());
    candidates = {"ERRCONNECT_" + rest, "ERRINFO_" + rest};
  }
  for (const auto& c : candidates)
    for (auto t : kAllCodeTables)
      for (const auto& e : codeTable(t))
        if (equals(e.name, c)) return &e;
  return nullptr;
}

}  // namespace rdpdoctor
