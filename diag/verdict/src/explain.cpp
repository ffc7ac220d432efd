// explain: a pasted code -> its table entries, its structure, the doctor's likely causes.
#include "rdpdoctor/verdict/explain.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdio>

namespace rdpdoctor {
namespace {

std::string hex(std::uint32_t v, int width = 0) {
  char b[16];
  std::snprintf(b, sizeof b, "0x%0*X", width, v);
  return b;
}

std::string_view trimmed(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

struct Number {
  std::uint32_t value = 0;
  bool typedHex = false;
};

std::optional<Number> parseNumber(std::string_view s) {
  s = trimmed(s);
  const bool isHex = s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
  if (isHex) s.remove_prefix(2);
  if (s.empty()) return std::nullopt;
  std::uint32_t v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v, isHex ? 16 : 10);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return Number{v, isHex};
}

bool isName(std::string_view s) {
  if (s.empty() || std::isdigit(static_cast<unsigned char>(s.front()))) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
}

Error usage(std::string context) { return makeError("usage", std::move(context)); }

/// mstsc keeps a layer in the low byte of its disconnect reasons (Microsoft's table groups so).
std::string mstscLayerByte(std::uint32_t d) {
  if (d < 0x100) return "a plain reason below 0x100 (0 to 3 are not errors)";
  const std::uint32_t low = d & 0xFF;
  const std::string where = "low byte " + hex(low, 2) + ", index " + hex(d >> 8) + " in it";
  switch (low) {
    case 0x04:
      return where +
             ": mstsc's network layer (name lookup, TCP connect, send/receive, socket "
             "closed)";
    case 0x06:
      return where +
             ": mstsc's security layer (standard RDP security data, encryption, the "
             "server's certificate)";
    case 0x07:
      return where +
             ": mstsc's security protocol and logon (TLS, CredSSP, credentials): the "
             "SSL_ERR_ rows of Microsoft's OnDisconnected table (0x807 logon failure to "
             "0x2207 smart card blocked)";
    case 0x08:
      return where + ": mstsc's core (timers, licensing, decompression, internal errors)";
    default:
      return where + ": a low byte Microsoft's table does not use";
  }
}

std::string mstscOwnText(std::uint32_t d, std::uint32_t e) {
  return "mstsc's own sentence for it, on Windows (PowerShell): (New-Object -ComObject "
         "MsTscAx.MsTscAx).GetErrorDescription(" +
         std::to_string(d) + ", " + std::to_string(e) + ")";
}

constexpr std::uint32_t kProtocolRangeStart = 0x1000;  // exDiscReasonProtocolRangeStart
constexpr std::uint32_t kProtocolRangeEnd = 0x7FFF;    // exDiscReasonProtocolRangeEnd

std::string freerdpStructure(std::uint32_t v) {
  const std::uint32_t cls = v >> 16;
  const std::string head = "as a FreeRDP error: class " + std::to_string(cls) + ", type " +
                           hex(v & 0xFFFF) + " (FreeRDP codes are class << 16 | type";
  switch (cls) {
    case 0:
      return head + "; class 0: base codes)";
    case 1:
      return head + "; class 1: the server's ERRINFO, wrapped)";
    case 2:
      return head + "; class 2: connection errors, ERRCONNECT_*)";
    default:
      return head + "; class " + std::to_string(cls) + " is not defined in 2.11 or 3.x)";
  }
}

/// What a number tells by its shape when no table (or not only a table) knows it.
void describeShape(Explanation& x, std::uint32_t v) {
  if (v >= 0x10000) {
    x.structure.push_back(freerdpStructure(v));
    return;
  }
  if (v >= 0x100) x.structure.push_back("as an mstsc disconnect reason: " + mstscLayerByte(v));
  if (v >= kProtocolRangeStart && v <= kProtocolRangeEnd)
    x.structure.push_back("as an extended reason or ERRINFO: in the protocol range " +
                          hex(kProtocolRangeStart) + "-" + hex(kProtocolRangeEnd) +
                          " (exDiscReasonProtocolRange): the server found a protocol error in "
                          "what the client sent");
  if (v <= 0xFF)
    x.structure.push_back("as an exit code of xfreerdp / sdl-freerdp: " +
                          std::string(v < 32    ? "0-31 mirror the server's ERRINFO"
                                      : v < 128 ? "32-127 are RDP protocol errors"
                                                : "128-255 are the client's own "
                                                  "errors"));
}

/// The ERRINFO (or connection error) an xfreerdp exit code stands for (xf_client.c's map).
void exitCauses(std::uint32_t code, CauseQuery& q) {
  if (code >= 1 && code <= 11) q.errinfo = code;
  if (code >= 16 && code <= 26) q.errinfo = 0x100 + (code - 16);
  static constexpr std::pair<std::uint32_t, std::string_view> kSpecial[] = {
      {132, "ERRCONNECT_AUTHENTICATION_FAILED"},
      {133, "ERRCONNECT_SECURITY_NEGO_CONNECT_FAILED"},
      {134, "ERRCONNECT_LOGON_FAILURE"}};
  for (const auto& [c, name] : kSpecial)
    if (c == code) q.freerdpName = name;
  const auto* e = findCode(CodeTable::ClientExit, code);
  if (!e || code < 135 || !q.freerdpName.empty()) return;
  std::string rest(e->name.substr(std::string_view("XF_EXIT_").size()));
  for (std::string candidate : {"ERRCONNECT_" + rest, "ERRCONNECT_" + rest.substr(8)})
    if (const auto* f = findCodeByName(candidate); f && f->table == CodeTable::FreeRdpError) {
      q.freerdpName = f->name;
      return;
    }
}

CauseQuery queryFor(const CodeEntry& e) {
  CauseQuery q;
  switch (e.table) {
    case CodeTable::MstscDisconnect:
      q.disconnectReason = e.value;
      break;
    case CodeTable::MstscExtended:
      q.extendedReason = e.value;
      break;
    case CodeTable::ErrInfo:
      q.errinfo = e.value;
      break;
    case CodeTable::FreeRdpError:
      q.freerdpName = e.name;
      break;
    case CodeTable::NegFailure:
      q.negFailure = e.name;
      break;
    case CodeTable::ClientExit:
      exitCauses(e.value, q);
      break;
  }
  return q;
}

void addTellApart(Explanation& x) {
  const bool beforeCredentials =
      x.causes.empty() || std::any_of(x.causes.begin(), x.causes.end(), [](const LikelyCause& c) {
        return c.layer != Layer::Nla && c.layer != Layer::Session;
      });
  const bool afterCredentials =
      x.causes.empty() || std::any_of(x.causes.begin(), x.causes.end(), [](const LikelyCause& c) {
        return c.layer == Layer::Nla || c.layer == Layer::Session;
      });
  if (beforeCredentials)
    x.tellApart.push_back(
        {"rdpdoctor probe HOST",
         "without credentials, in about a second: which addresses accept TCP, what the server "
         "selects for each security layer (its RDP_NEG_FAILURE), the TLS versions and OpenSSL "
         "levels that work, the certificate, standard RDP security"});
  std::string ids;
  for (const auto& c : x.causes) ids += (ids.empty() ? "" : ", ") + c.signature;
  x.tellApart.push_back(
      {afterCredentials ? "rdpdoctor diagnose HOST --user USER" : "rdpdoctor diagnose HOST",
       "tries the combinations, proves the one that works with a second connection and names "
       "the cause" +
           (ids.empty() ? std::string() : " (one of: " + ids + ")") + " with the host-side fix"});
}

Result<Explanation> explainPair(Explanation x, std::string_view first, std::string_view second) {
  const auto d = parseNumber(first);
  const auto e = parseNumber(second);
  if (!d || !e)
    return usage(
        "a pair is an mstsc disconnect reason and its extended reason, as numbers "
        "(0x904/0x7 or --extended 0x7)");
  x.value = d->value;
  x.extendedValue = e->value;
  x.primary = findCode(CodeTable::MstscDisconnect, d->value);
  x.extended = findCode(CodeTable::MstscExtended, e->value);
  if (!x.extended) x.extended = findCode(CodeTable::ErrInfo, e->value);
  x.structure.push_back(hex(d->value) + " is mstsc's disconnect reason, what the client saw (" +
                        mstscLayerByte(d->value) + ")");
  x.structure.push_back(
      hex(e->value) +
      " is the extended reason: the server's own error info (ERRINFO, MS-RDPBCGR 2.2.5.1.1) "
      "sent before the end; 0 means the server said nothing");
  if (e->value >= kProtocolRangeStart && e->value <= kProtocolRangeEnd)
    x.structure.push_back(
        "the extended reason is in the protocol range: the server found a "
        "protocol error in what the client sent");
  if (!x.primary) x.structure.push_back(mstscOwnText(d->value, e->value));
  CauseQuery q;
  q.disconnectReason = d->value;
  q.extendedReason = e->value;
  x.causes = likelyCauses(q);
  if (x.causes.empty()) {
    q.extendedReason.reset();
    x.causes = likelyCauses(q);
    if (!x.causes.empty())
      x.structure.push_back(
          "the doctor reports no cause with exactly this pair: the causes "
          "below are those of " +
          hex(d->value) + " with any extended reason");
  }
  addTellApart(x);
  return x;
}

}  // namespace

Result<Explanation> explainCode(std::string_view code, std::optional<std::string_view> extended) {
  Explanation x;
  code = trimmed(code);
  x.query = std::string(code);
  if (code.empty()) return usage("give a code: rdpdoctor explain 0x904 --extended 0x7");
  if (const auto slash = code.find('/'); slash != std::string_view::npos) {
    if (extended) return usage("give the extended reason once: 0x904/0x7 or 0x904 --extended 0x7");
    return explainPair(std::move(x), code.substr(0, slash), code.substr(slash + 1));
  }
  if (extended) {
    x.query += " --extended " + std::string(trimmed(*extended));
    return explainPair(std::move(x), code, *extended);
  }
  std::vector<const CodeEntry*> found;
  if (const auto n = parseNumber(code)) {
    x.value = n->value;
    found = findCodes(n->value);
    if (found.empty() && !n->typedHex) {
      // "904" pasted without its 0x: the hexadecimal reading, said so
      if (const auto h = parseNumber("0x" + std::string(code)); h && !findCodes(h->value).empty()) {
        x.structure.push_back("as decimal " + std::string(code) + " matches no table; read as " +
                              hex(h->value));
        x.value = h->value;
        found = findCodes(h->value);
      }
    }
    describeShape(x, *x.value);
  } else if (isName(code)) {
    if (const auto* e = findCodeByName(code)) {
      found = {e};
      x.value = e->value;
    } else {
      const std::string up = [&] {
        std::string s(code);
        for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        return s;
      }();
      x.structure.push_back(up.rfind("ERRCONNECT_", 0) == 0 || up.rfind("FREERDP_ERROR_", 0) == 0
                                ? "a FreeRDP error name that neither 2.11 nor 3.x defines"
                            : up.rfind("ERRINFO_", 0) == 0
                                ? "an ERRINFO name MS-RDPBCGR does not define"
                                : "a name no table defines (names: ERRCONNECT_*, ERRINFO_*, "
                                  "disconnectReason*, exDiscReason*, XF_EXIT_*, RDP_NEG_FAILURE "
                                  "codes such as HYBRID_REQUIRED_BY_SERVER)");
    }
  } else {
    return usage("'" + std::string(code) +
                 "' is neither a number (0x904, 2308) nor a name (ERRCONNECT_TLS_CONNECT_FAILED)");
  }
  if (!found.empty()) {
    x.primary = found.front();
    x.alternatives.assign(found.begin() + 1, found.end());
    x.causes = likelyCauses(queryFor(*x.primary));
  } else if (x.value) {
    if (*x.value >= 0x100 && *x.value < 0x10000) {
      x.structure.push_back(
          "no row of Microsoft's OnDisconnected table (nor of MsTscAx.dll's DisconnectReasonCode "
          "enumeration) has this value: its meaning is not published");
      x.structure.push_back(mstscOwnText(*x.value, 0));
    }
  }
  addTellApart(x);
  return x;
}

}  // namespace rdpdoctor
