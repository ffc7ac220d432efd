// The code tables of `explain`: lookups, parse paths, ambiguity, unknown codes, and FreeRDP's
// values cross-checked against the installed error.h of 2.11 and 3.x (read at test time).
#include "rdpdoctor/verdict/codes.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <tuple>

#include "rdpdoctor/verdict/explain.hpp"

namespace rdpdoctor {
namespace {

/// "#define NAME 0x..." lines of a FreeRDP header.
std::map<std::string, std::uint32_t> headerDefines(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string text = ss.str();
  std::map<std::string, std::uint32_t> out;
  const std::regex re(R"(#define ((?:ERRINFO|ERRCONNECT)_\w+) (0x[0-9A-Fa-f]+))");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), re); it != std::sregex_iterator();
       ++it)
    out[(*it)[1]] = static_cast<std::uint32_t>(std::stoul((*it)[2], nullptr, 16));
  return out;
}

class FreeRdpHeader : public ::testing::TestWithParam<const char*> {};

TEST_P(FreeRdpHeader, EveryErrinfoAndErrconnectValueOfTheHeaderIsInTheTablesWithItsName) {
  const auto defines = headerDefines(GetParam());
  ASSERT_GT(defines.size(), 100u) << "cannot read " << GetParam();
  const bool is3 = std::string(GetParam()).find("freerdp3") != std::string::npos;
  for (const auto& [name, value] : defines) {
    if (name == "ERRINFO_SUCCESS" || name == "ERRINFO_NONE") continue;
    const bool connect = name.rfind("ERRCONNECT_", 0) == 0;
    const auto table = connect ? CodeTable::FreeRdpError : CodeTable::ErrInfo;
    const std::uint32_t full = connect ? (2u << 16 | value) : value;
    const auto* e = findCode(table, full);
    ASSERT_NE(e, nullptr) << name << " " << GetParam();
    EXPECT_EQ(e->name, name);
    if (connect) {
      EXPECT_NE(e->majors, is3 ? FreeRdpMajors::Only2 : FreeRdpMajors::Only3) << name;
    }
  }
  // and the other way: every FreeRDP row the tables claim for this major is in this header
  for (const auto& e : codeTable(CodeTable::FreeRdpError)) {
    if (e.majors == (is3 ? FreeRdpMajors::Only2 : FreeRdpMajors::Only3)) continue;
    const auto it = defines.find(std::string(e.name));
    ASSERT_NE(it, defines.end()) << e.name << " is not in " << GetParam();
    EXPECT_EQ(2u << 16 | it->second, e.value) << e.name;
  }
}

INSTANTIATE_TEST_SUITE_P(Installed, FreeRdpHeader,
                         ::testing::Values("/usr/include/freerdp2/freerdp/error.h",
                                           "/usr/include/freerdp3/freerdp/error.h"));

TEST(CodeTables, EveryTableHasASourceAndNoValueTwiceInOneTable) {
  for (auto t : kAllCodeTables) {
    EXPECT_FALSE(sourceOf(t).empty()) << toString(t);
    std::map<std::uint32_t, std::string_view> seen;
    for (const auto& e : codeTable(t)) {
      EXPECT_EQ(e.table, t);
      EXPECT_FALSE(e.meaning.empty()) << e.name;
      EXPECT_TRUE(seen.emplace(e.value, e.name).second)
          << toString(t) << " has " << e.value << " twice";
    }
  }
}

TEST(CodeLookup, NamesAreFoundWhateverTheirCaseAndFreeRdpsOwnSpelling) {
  const auto* a = findCodeByName("errconnect_tls_connect_failed");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->value, 0x00020008u);
  EXPECT_EQ(findCodeByName("FREERDP_ERROR_TLS_CONNECT_FAILED"), a);
  const auto* denied = findCodeByName("FREERDP_ERROR_SERVER_DENIED_CONNECTION");
  ASSERT_NE(denied, nullptr);
  EXPECT_EQ(denied->table, CodeTable::ErrInfo);
  EXPECT_EQ(findCodeByName("ERRCONNECT_NOT_A_THING"), nullptr);
}

TEST(CodeLookup, FreeRdpErrinfoClassAndLegacyConnectErrorCodesReachTheirEntries) {
  const auto wrapped = findCodes(0x00010007);  // MAKE_FREERDP_ERROR(ERRINFO, 7)
  ASSERT_FALSE(wrapped.empty());
  EXPECT_EQ(wrapped.front()->name, "ERRINFO_SERVER_DENIED_CONNECTION");
  const auto legacy = findCodes(10008);  // 2.11's TLSCONNECTERROR = ERRORSTART + 8
  ASSERT_FALSE(legacy.empty());
  EXPECT_EQ(legacy.front()->name, "ERRCONNECT_TLS_CONNECT_FAILED");
}

TEST(Explain, APairIsTheDisconnectReasonAndTheServersErrorInfo) {
  for (auto [code, ext] :
       {std::pair<std::string_view, std::optional<std::string_view>>{"0x904/0x7", std::nullopt},
        {"2308", "0x7"},
        {" 0x904 / 7 ", std::nullopt}}) {
    auto x = explainCode(code, ext);
    ASSERT_TRUE(x.ok()) << code;
    ASSERT_NE(x->primary, nullptr) << code;
    EXPECT_EQ(x->primary->name, "disconnectReasonAtClientWinsockFDCLOSE");
    ASSERT_NE(x->extended, nullptr) << code;
    EXPECT_EQ(x->extended->name, "exDiscReasonServerDeniedConnection");
    ASSERT_FALSE(x->causes.empty());
    for (const auto& c : x->causes) {
      EXPECT_EQ(c.mstsc.disconnectReason, 0x904u) << c.signature;
      EXPECT_EQ(c.mstsc.extendedReason, 0x7u) << c.signature;
      EXPECT_FALSE(c.remedies.empty()) << c.signature;
    }
  }
}

TEST(Explain, ABareAmbiguousNumberNamesItsTableAndListsTheOthers) {
  auto x = explainCode("0x3", std::nullopt);
  ASSERT_TRUE(x.ok());
  ASSERT_NE(x->primary, nullptr);
  EXPECT_EQ(x->primary->table, CodeTable::MstscDisconnect);
  std::vector<CodeTable> others;
  for (const auto* e : x->alternatives) others.push_back(e->table);
  EXPECT_NE(std::find(others.begin(), others.end(), CodeTable::MstscExtended), others.end());
  EXPECT_NE(std::find(others.begin(), others.end(), CodeTable::NegFailure), others.end());
  EXPECT_NE(std::find(others.begin(), others.end(), CodeTable::ClientExit), others.end());
}

TEST(Explain, DecimalAndHexadecimalSpellingsMeanTheSameCode) {
  auto dec = explainCode("2308", std::nullopt);
  auto hex = explainCode("0X904", std::nullopt);
  auto bare = explainCode("904", std::nullopt);  // pasted without its 0x
  ASSERT_TRUE(dec.ok() && hex.ok() && bare.ok());
  EXPECT_EQ(dec->primary, hex->primary);
  EXPECT_EQ(bare->primary, hex->primary);
  ASSERT_FALSE(bare->structure.empty());
  EXPECT_NE(bare->structure.front().find("read as 0x904"), std::string::npos);
}

TEST(Explain, AnUnknownCodeIsUnknownAndItsStructureIsStillRead) {
  auto x = explainCode("0x2407", std::nullopt);
  ASSERT_TRUE(x.ok());
  EXPECT_FALSE(x->known());
  ASSERT_FALSE(x->structure.empty());
  EXPECT_NE(x->structure.front().find("low byte 0x07"), std::string::npos);
  EXPECT_FALSE(x->tellApart.empty());
  auto freerdp = explainCode("0x00090001", std::nullopt);
  ASSERT_TRUE(freerdp.ok());
  EXPECT_FALSE(freerdp->known());
  ASSERT_FALSE(freerdp->structure.empty());
  EXPECT_NE(freerdp->structure.front().find("class 9"), std::string::npos);
  auto name = explainCode("ERRCONNECT_NOT_A_THING", std::nullopt);
  ASSERT_TRUE(name.ok());
  EXPECT_FALSE(name->known());
}

TEST(Explain, GarbageAndADoubleExtendedReasonAreUsageErrors) {
  EXPECT_FALSE(explainCode("0xZZ", std::nullopt).ok());
  EXPECT_FALSE(explainCode("", std::nullopt).ok());
  EXPECT_FALSE(explainCode("0x904/0x7", "0x7").ok());
  EXPECT_FALSE(explainCode("0x904/abc", std::nullopt).ok());
  EXPECT_EQ(explainCode("0xZZ", std::nullopt).error().code, "usage");
}

TEST(Explain, FreeRdpNamesErrinfoNegotiationFailuresAndExitCodesGetTheDoctorsCauses) {
  const std::vector<std::pair<std::string_view, std::string_view>> cases = {
      {"ERRCONNECT_TLS_CONNECT_FAILED", "tls-closed-by-server"},
      {"0x00020008", "tls-closed-by-server"},
      {"ERRCONNECT_WRONG_PASSWORD", "credentials-rejected"},
      {"HYBRID_REQUIRED_BY_SERVER", "nla-required"},
      {"ERRINFO_SERVER_DENIED_CONNECTION", "server-denied"},
      {"143", "tls-closed-by-server"},  // XF_EXIT_TLS_CONNECT_FAILED
      {"ERRINFO_LICENSE_NO_LICENSE_SERVER", "licensing-failed"},
  };
  for (const auto& [code, signature] : cases) {
    auto x = explainCode(code, std::nullopt);
    ASSERT_TRUE(x.ok()) << code;
    ASSERT_TRUE(x->known()) << code;
    const bool has = std::any_of(x->causes.begin(), x->causes.end(),
                                 [&](const LikelyCause& c) { return c.signature == signature; });
    EXPECT_TRUE(has) << code << " lacks " << signature;
  }
}

/// The pairs the doctor emits (verdict.cpp's signatures, through the adapter's classifier runs):
/// each is explained with a known disconnect reason and at least that signature as a cause.
TEST(Explain, EveryPairTheDoctorReportsIsKnownAndLeadsBackToItsSignature) {
  const auto all = likelyCauses(CauseQuery{0x904, std::nullopt, std::nullopt, "", ""});
  std::vector<LikelyCause> emitted = all;
  for (std::uint32_t d : {0x104u, 0x108u, 0x204u, 0x807u, 0x808u, 0xC06u}) {
    auto more = likelyCauses(CauseQuery{d, std::nullopt, std::nullopt, "", ""});
    ASSERT_FALSE(more.empty()) << d;
    emitted.insert(emitted.end(), more.begin(), more.end());
  }
  ASSERT_GT(emitted.size(), 15u);
  for (const auto& c : emitted) {
    auto x = explainCode(
        std::to_string(c.mstsc.disconnectReason) + "/" + std::to_string(c.mstsc.extendedReason),
        std::nullopt);
    ASSERT_TRUE(x.ok()) << c.signature;
    EXPECT_TRUE(x->primary != nullptr) << c.signature << " " << c.mstsc.disconnectReason;
    if (c.mstsc.extendedReason != 0) {
      EXPECT_NE(x->extended, nullptr) << c.signature;
    }
    const bool leadsBack =
        std::any_of(x->causes.begin(), x->causes.end(),
                    [&](const LikelyCause& o) { return o.signature == c.signature; });
    EXPECT_TRUE(leadsBack) << c.signature;
  }
}

/// The SSL_ERR_ rows of Microsoft's IMsTscAxEvents::OnDisconnected page, as the page prints them
/// (name, decimal (hex)): each is found by its value, its decimal spelling and its name.
TEST(Explain, TheSecurityProtocolRowsOfMicrosoftsDisconnectPageAreAnswered) {
  const std::vector<std::tuple<std::string_view, std::string_view, std::string_view>> page = {
      {"SSL_ERR_ACCOUNT_DISABLED", "2823", "0xB07"},
      {"SSL_ERR_ACCOUNT_EXPIRED", "3591", "0xE07"},
      {"SSL_ERR_ACCOUNT_LOCKED_OUT", "3335", "0xD07"},
      {"SSL_ERR_ACCOUNT_RESTRICTION", "3079", "0xC07"},
      {"SSL_ERR_CERT_EXPIRED", "6919", "0x1B07"},
      {"SSL_ERR_DELEGATION_POLICY", "5639", "0x1607"},
      {"SSL_ERR_FRESH_CRED_REQUIRED_BY_SERVER", "8455", "0x2107"},
      {"SSL_ERR_LOGON_FAILURE", "2055", "0x807"},
      {"SSL_ERR_NO_AUTHENTICATING_AUTHORITY", "6151", "0x1807"},
      {"SSL_ERR_NO_SUCH_USER", "2567", "0xA07"},
      {"SSL_ERR_PASSWORD_EXPIRED", "3847", "0xF07"},
      {"SSL_ERR_PASSWORD_MUST_CHANGE", "4615", "0x1207"},
      {"SSL_ERR_POLICY_NTLM_ONLY", "5895", "0x1707"},
      {"SSL_ERR_SMARTCARD_CARD_BLOCKED", "8711", "0x2207"},
      {"SSL_ERR_SMARTCARD_WRONG_PIN", "7175", "0x1C07"},
  };
  for (const auto& [name, decimal, hexValue] : page) {
    for (std::string_view typed : {decimal, hexValue, name}) {
      auto x = explainCode(typed, std::nullopt);
      ASSERT_TRUE(x.ok()) << typed;
      ASSERT_NE(x->primary, nullptr) << typed;
      EXPECT_EQ(x->primary->table, CodeTable::MstscDisconnect) << typed;
      EXPECT_EQ(x->primary->name, name) << typed;
      EXPECT_EQ(x->primary->value, std::stoul(std::string(decimal))) << typed;
      EXPECT_FALSE(x->tellApart.empty()) << typed;
    }
  }
  const auto* expired = findCode(CodeTable::MstscDisconnect, 0x1B07);
  ASSERT_NE(expired, nullptr);
  EXPECT_EQ(expired->layer, Layer::Tls);
  EXPECT_NE(std::string(sourceOf(*expired)).find("imstscaxevents-ondisconnected"),
            std::string::npos);
  EXPECT_EQ(findCode(CodeTable::MstscDisconnect, 0x807)->layer, Layer::Nla);
}

/// 0x2407: on no Microsoft page (its meaning is only folklore); said to be unknown, with the layer
/// byte read and the Windows command that prints mstsc's own sentence.
TEST(Explain, TheUnpublishedSecurityProtocolCodeIsUnknownWithItsLayerByteAndTheCommand) {
  auto x = explainCode("0x2407", std::nullopt);
  ASSERT_TRUE(x.ok());
  EXPECT_EQ(x->primary, nullptr);
  EXPECT_FALSE(x->known());
  const auto has = [&](std::string_view what) {
    return std::any_of(x->structure.begin(), x->structure.end(),
                       [&](const std::string& s) { return s.find(what) != std::string::npos; });
  };
  EXPECT_TRUE(has("low byte 0x07"));
  EXPECT_TRUE(has("index 0x24"));
  EXPECT_TRUE(has("SSL_ERR_"));
  EXPECT_TRUE(has("not published"));
  EXPECT_TRUE(has("GetErrorDescription(9223, 0)"));
  EXPECT_FALSE(x->tellApart.empty());
}

/// 0x907 is on no OnDisconnected page, but Microsoft's own table of the client's sentences has it:
/// known, with that source (not the OnDisconnected page), and its cause is the changed
/// certificate; 0x1B07 (SSL_ERR_CERT_EXPIRED) leads to the expired certificate, not to a socket
/// closed.
TEST(Explain, TheCertificateCodesLeadToTheCertificateCauses) {
  auto unexpected = explainCode("2311", std::nullopt);
  ASSERT_TRUE(unexpected.ok());
  ASSERT_NE(unexpected->primary, nullptr);
  EXPECT_EQ(unexpected->primary->value, 0x907u);
  EXPECT_EQ(unexpected->primary->layer, Layer::Tls);
  const std::string source(sourceOf(*unexpected->primary));
  EXPECT_NE(source.find("TechNet Wiki 37870"), std::string::npos) << source;
  EXPECT_EQ(source.find("imstscaxevents-ondisconnected"), std::string::npos) << source;
  ASSERT_FALSE(unexpected->causes.empty());
  EXPECT_EQ(unexpected->causes.front().signature, "certificate-changed");

  auto expired = explainCode("0x1B07", std::nullopt);
  ASSERT_TRUE(expired.ok());
  ASSERT_FALSE(expired->causes.empty());
  EXPECT_EQ(expired->causes.front().signature, "certificate-expired");
  for (const auto& c : expired->causes) EXPECT_NE(c.signature, "certificate-changed");
}

TEST(Explain, TheCodesUsersSearchForAreAllAnswered) {
  for (std::string_view code :
       {"0x204", "0x3", "0x4", "0x7", "0x904", "0x907", "0x2407", "0x1B07", "0x112F"}) {
    auto x = explainCode(code, std::nullopt);
    ASSERT_TRUE(x.ok()) << code;
    EXPECT_TRUE(x->known() || !x->structure.empty()) << code;
    EXPECT_FALSE(x->tellApart.empty()) << code;
  }
  auto gfx = explainCode("0x112F", std::nullopt);
  ASSERT_NE(gfx->primary, nullptr);
  EXPECT_EQ(gfx->primary->name, "ERRINFO_GRAPHICS_SUBSYSTEM_FAILED");
  // the graphics cause, not the denied-connection one ("Remote Desktop Users" would be untrue)
  ASSERT_FALSE(gfx->causes.empty());
  EXPECT_EQ(gfx->causes.front().signature, "server-graphics-failed");
  for (const auto& c : gfx->causes)
    for (const auto& r : c.remedies)
      EXPECT_EQ(r.text.find("Remote Desktop Users"), std::string::npos);
}

}  // namespace
}  // namespace rdpdoctor
