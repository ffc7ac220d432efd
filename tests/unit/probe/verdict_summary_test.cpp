// The three lines every diagnosis starts with (problem, fix on the host, connect now), for the
// lab's real scenarios built by hand: the legacy TLS 1.0 host, the standard-RDP-only host, a host
// that works as typed, nothing above the floor, a certificate nobody accepted.
#include <gtest/gtest.h>

#include <sstream>

#include "rdpdoctor/report/diagnosis.hpp"

namespace rdpdoctor {
namespace {

Profile base() {
  Profile p;
  p.target = HostSpec{"127.0.0.1", 3390, false};
  return p;
}

Attempt failed(const Profile& p, SignatureId id) {
  Attempt a;
  a.rung = Rung{p, "the original settings", false};
  a.signature = signatureOf(id);
  return a;
}

Attempt works(const Profile& p, std::int64_t selected, std::string why, bool confirmation = false) {
  Attempt a;
  a.rung = Rung{p, std::move(why), false};
  a.outcome.success = true;
  a.outcome.selectedProtocol = selected;
  a.signature = signatureOf(SignatureId::Ok);
  a.confirmation = confirmation;
  return a;
}

void win(Diagnosis& d, const Profile& w, std::int64_t selected, const std::string& why) {
  d.ladder.attempts.push_back(works(w, selected, why));
  d.ladder.attempts.push_back(works(w, selected, why, true));
  d.ladder.winner = Rung{w, why, false};
  d.ladder.confirmed = true;
}

/// The legacy TLS 1.0 host: --security tls fails at OpenSSL's default level, level 0 works.
Diagnosis legacyTls() {
  Diagnosis d;
  d.original = base();
  d.original.security = Security::Tls;
  d.command = "rdpdoctor diagnose 127.0.0.1:3390";
  d.ladder.attempts.push_back(failed(d.original, SignatureId::TlsClosedByServer));
  Profile w = d.original;
  w.tlsSecLevel = 0;
  w.cert = CertPolicy::AcceptOnce;
  win(d, w, 0x1, "TLS 1.0 host: OpenSSL security level 0");
  summarize(d);
  return d;
}

/// The standard-RDP-only host at crypt level high: the classic MAC over standard RDP security.
Diagnosis rdpOnly() {
  Diagnosis d;
  d.original = base();
  d.floor = SecurityFloor::Rdp;
  Attempt first = failed(d.original, SignatureId::RdpEncryptionMismatch);
  d.ladder.attempts.push_back(first);
  Profile w = d.original;
  w.security = Security::Rdp;
  w.saltedMac = false;
  win(d, w, 0x0, "xrdp rejects salted MACs: the classic MAC");
  summarize(d);
  return d;
}

TEST(VerdictSummary, ARejectedPasswordsFixLineIsTheAccountCheckNotAFragmentOfIt) {
  Diagnosis d;
  d.original = base();
  d.original.security = Security::Nla;
  d.ladder.attempts.push_back(failed(d.original, SignatureId::CredentialsRejected));
  summarize(d);
  // the remedy's first clause is the action; a later "...: ask the administrator" is not a prefix
  EXPECT_EQ(d.summary.fix.rfind("check the user name", 0), 0u) << d.summary.fix;
  EXPECT_FALSE(d.summary.fixOnThisMachine);
}

TEST(VerdictSummary, LegacyTlsHostNamesTheLayerTheFixAndTheExactCommand) {
  const Diagnosis d = legacyTls();
  EXPECT_EQ(d.summary.problem.rfind("TLS fails: ", 0), 0u) << d.summary.problem;
  EXPECT_NE(d.summary.problem.find("OpenSSL"), std::string::npos) << d.summary.problem;
  EXPECT_EQ(d.summary.problem.find("tls-legacy"), std::string::npos)
      << "no ids: " << d.summary.problem;
  EXPECT_EQ(d.summary.fix.rfind("install the updates that enable TLS 1.2", 0), 0u) << d.summary.fix;
  EXPECT_TRUE(d.summary.haveCommand);
  EXPECT_EQ(d.summary.connect,
            "rdpdoctor connect 127.0.0.1:3390 --security tls --tls-seclevel 0 --cert accept-once");
  EXPECT_EQ(d.summary.xfreerdp,
            "xfreerdp /v:127.0.0.1:3390 /sec:tls /tls-seclevel:0 /size:1024x768");
}

TEST(VerdictSummary, TheTextReportShowsTheLineOfThePeerThisMachineHas) {
  Diagnosis d = legacyTls();
  EXPECT_EQ(d.summary.xfreerdp3,
            "xfreerdp3 /v:127.0.0.1:3390 /sec:tls /tls:seclevel:0 /size:1024x768");
  const std::string two = "xfreerdp /v:127.0.0.1:3390";
  const std::string three = "xfreerdp3 /v:127.0.0.1:3390";
  d.context.xfreerdp3Installed = true;
  std::string text = renderText(d, false);
  EXPECT_NE(text.find(three), std::string::npos) << text;
  EXPECT_EQ(text.find(two), std::string::npos) << "xfreerdp 2.11 is not installed:\n" << text;
  d.context.xfreerdp2Installed = true;
  d.context.xfreerdp3Installed = false;
  text = renderText(d, false);
  EXPECT_NE(text.find(two), std::string::npos) << text;
  EXPECT_EQ(text.find(three), std::string::npos) << text;
}

TEST(VerdictSummary, RdpOnlyHostNeedsTheFloorInTheCommandAndXfreerdpCannot) {
  const Diagnosis d = rdpOnly();
  EXPECT_EQ(
      d.summary.problem.rfind("standard RDP security fails: the host rejects this client's MAC", 0),
      0u)
      << d.summary.problem;
  EXPECT_EQ(d.summary.connect,
            "rdpdoctor connect 127.0.0.1:3390 --security rdp --min-security rdp --rdp-mac classic");
  EXPECT_NE(d.summary.xfreerdp.find("xfreerdp 2.11 cannot"), std::string::npos)
      << d.summary.xfreerdp;
}

TEST(VerdictSummary, OriginalSettingsThatWorkSayNone) {
  Diagnosis d;
  d.original = base();
  win(d, d.original, 0x2, "the original settings");
  summarize(d);
  EXPECT_EQ(d.summary.problem, "none: the original settings work.");
  EXPECT_EQ(d.summary.fix.rfind("nothing", 0), 0u) << d.summary.fix;
  EXPECT_EQ(d.summary.connect, "rdpdoctor connect 127.0.0.1:3390");
}

TEST(VerdictSummary, NothingAboveTheFloorSaysWhichFloorWouldBeNeeded) {
  Diagnosis d;
  d.original = base();
  d.command = "rdpdoctor diagnose 127.0.0.1:3390";
  d.ladder.attempts.push_back(failed(d.original, SignatureId::BelowFloor));
  Profile rdp = d.original;
  rdp.security = Security::Rdp;
  d.ladder.belowFloor.push_back(Rung{rdp, "standard RDP security only", true});
  summarize(d);
  EXPECT_FALSE(d.summary.haveCommand);
  EXPECT_EQ(d.summary.connect.rfind("not yet: nothing at or above your floor (tls) works", 0), 0u)
      << d.summary.connect;
  EXPECT_NE(d.summary.connect.find("rdpdoctor diagnose 127.0.0.1:3390 --min-security rdp"),
            std::string::npos)
      << d.summary.connect;
  EXPECT_TRUE(d.summary.xfreerdp.empty());
}

TEST(VerdictSummary, AnUnacceptedCertificateIsWhatIsMissing) {
  Diagnosis d;
  d.original = base();
  d.command = "rdpdoctor diagnose 127.0.0.1:3390";
  Attempt a = failed(d.original, SignatureId::CertificateUntrusted);
  a.outcome.certificate = CertificateSeen{};
  a.outcome.certificate->fingerprint = "ab:cd:ef";
  d.ladder.attempts.push_back(a);
  summarize(d);
  EXPECT_FALSE(d.summary.haveCommand);
  EXPECT_NE(d.summary.connect.find("certificate was not accepted"), std::string::npos)
      << d.summary.connect;
  EXPECT_NE(d.summary.connect.find("ab:cd:ef"), std::string::npos) << d.summary.connect;
  EXPECT_NE(d.summary.connect.find("rdpdoctor diagnose 127.0.0.1:3390 --cert accept-once"),
            std::string::npos)
      << d.summary.connect;
}

TEST(VerdictSummary, EveryReportStartsWithTheThreeLinesAndStatesDowngradesOnce) {
  const Diagnosis d = legacyTls();
  const std::string text = renderText(d, false);
  std::istringstream in(text);
  std::string title, blank, problem, fix, connect;
  std::getline(in, title);
  std::getline(in, blank);
  std::getline(in, problem);
  std::getline(in, fix);
  std::getline(in, connect);
  EXPECT_EQ(problem.rfind("problem:", 0), 0u) << text;
  EXPECT_EQ(fix.rfind("fix on the host:", 0), 0u) << text;
  EXPECT_EQ(connect, "connect now:      " + d.summary.connect) << text;
  EXPECT_LT(text.find("connect now:"), text.find("attempts ("));
  const std::string level0 = "OpenSSL security level 0 (allows";
  EXPECT_NE(text.find(level0), std::string::npos) << text;
  EXPECT_EQ(text.find(level0), text.rfind(level0)) << "the downgrade is stated once:\n" << text;

  const std::string md = renderMarkdown(d);
  EXPECT_LT(md.find("- **Problem:** TLS fails"), md.find("| # |")) << md;
  EXPECT_NE(md.find("- **Connect now:** `" + d.summary.connect + "`"), std::string::npos) << md;

  const auto j = toJson(d);
  EXPECT_EQ(j["summary"]["problem"], d.summary.problem);
  EXPECT_EQ(j["summary"]["fix"], d.summary.fix);
  EXPECT_EQ(j["summary"]["connect"], d.summary.connect);
  EXPECT_TRUE(j["summary"]["connect_is_command"].get<bool>());
}

TEST(VerdictSummary, HtmlMarksTheFailingLayerAndTheWinnersPath) {
  Diagnosis d = rdpOnly();
  d.context =
      ReportContext{"9.9.9", "2.11.7", "OpenSSL 3.0.x", "client-box", "2026-12-01 10:00:00 UTC"};
  const std::string html = renderHtml(d);
  EXPECT_LT(html.find("id=\"problem\""), html.find("class=\"layers\""))
      << "the three lines come first";
  EXPECT_NE(html.find("<div class=\"layer fail win\" id=\"layer-rdp-security\">"),
            std::string::npos)
      << html;
  EXPECT_NE(html.find("<div class=\"layer\" id=\"layer-tls\">"), std::string::npos)
      << "TLS is not on the path";
  EXPECT_NE(html.find("<div class=\"layer win\" id=\"layer-session\">"), std::string::npos);
  EXPECT_NE(html.find("xfreerdp 2.11 cannot"), std::string::npos);
  EXPECT_NE(html.find("client-box by rdpdoctor 9.9.9, FreeRDP 2.11.7, OpenSSL 3.0.x"),
            std::string::npos)
      << html;
  EXPECT_EQ(html.find("http"), std::string::npos) << "self-contained: no external resource";
}

}  // namespace
}  // namespace rdpdoctor
