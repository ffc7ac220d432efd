// The probe as JSON (rdpdoctor/probe@1), as text, and as HostFacts.
#include <gtest/gtest.h>

#include "rdpdoctor/report/probe_report.hpp"
#include "rdpdoctor/verdict/host_facts_from.hpp"
#include "rdpdoctor/wire/protocols.hpp"
#include "rdpdoctor/wire/standard_security.hpp"

namespace rdpdoctor {
namespace {

using namespace probe;
using namespace wire;

ProbeResult nlaHost() {
  ProbeResult r;
  r.target = HostSpec{"::1", 3390, true};
  r.addresses = {{"::1", true, "ok", {}, 2}};
  r.probedAddress = "::1";
  NegotiationCheck rdp;
  rdp.requested = kProtocolRdp;
  rdp.status = NegotiationStatus::Failure;
  rdp.failureCode = kHybridRequiredByServer;
  NegotiationCheck nla;
  nla.requested = kProtocolSsl | kProtocolHybrid;
  nla.status = NegotiationStatus::Selected;
  nla.selected = kProtocolHybrid;
  r.negotiation = {rdp, nla};
  r.tls.offered = true;
  r.tls.requested = kProtocolSsl | kProtocolHybrid;
  for (const char* v : {"1.0", "1.1", "1.2", "1.3"}) {
    TlsVersionCheck t;
    t.version = v;
    t.status = std::string(v) >= "1.2" ? TlsStatus::Ok : TlsStatus::Refused;
    if (t.status == TlsStatus::Ok) t.secLevel = 1;
    r.tls.versions.push_back(t);
  }
  r.tls.minSecLevel = 1;
  r.tls.cipher = "TLS_AES_256_GCM_SHA384";
  r.tls.cipherVersion = "1.3";
  CertificateInfo c;
  c.subject = "CN=host";
  c.notBefore = "2020-01-01T00:00:00Z";
  c.notAfter = "2021-01-01T00:00:00Z";
  c.expired = true;
  c.selfSigned = true;
  c.keyBits = 2048;
  c.keyType = "RSA";
  r.tls.certificate = c;
  return r;
}

TEST(ProbeJson, FollowsThePublicContract) {
  const auto j = probeToJson(nlaHost());
  EXPECT_EQ(j["schema"], "rdpdoctor/probe@1");
  EXPECT_EQ(j["host"], "::1");
  EXPECT_EQ(j["port"], 3390);
  EXPECT_EQ(j["addresses"][0]["family"], "ipv6");
  EXPECT_EQ(j["addresses"][0]["tcp"], "ok");
  EXPECT_EQ(j["addresses"][0]["connect_ms"], 2);
  EXPECT_EQ(j["negotiation"][0]["requested"], nlohmann::json::array({"RDP"}));
  EXPECT_EQ(j["negotiation"][0]["result"], "failure");
  EXPECT_EQ(j["negotiation"][0]["failure"], "HYBRID_REQUIRED_BY_SERVER");
  EXPECT_TRUE(j["negotiation"][0]["selected"].is_null());
  EXPECT_EQ(j["negotiation"][1]["requested"], nlohmann::json::array({"SSL", "HYBRID"}));
  EXPECT_EQ(j["negotiation"][1]["selected"], "HYBRID");
  EXPECT_EQ(j["tls"]["versions"]["1.0"], "refused");
  EXPECT_EQ(j["tls"]["versions"]["1.3"], "ok");
  EXPECT_EQ(j["tls"]["min_seclevel"], 1);
  EXPECT_EQ(j["tls"]["certificate"]["expired"], true);
  EXPECT_EQ(j["tls"]["certificate"]["not_after"], "2021-01-01T00:00:00Z");
  EXPECT_EQ(j["tls"]["certificate"]["key_bits"], 2048);
  EXPECT_EQ(j["rdp_security"]["methods"], nlohmann::json::array());
  EXPECT_TRUE(j["rdp_security"]["level"].is_null());
  EXPECT_TRUE(j["verdict"].is_string());
  EXPECT_EQ(j["answer"], "works");
}

TEST(ProbeFacts, NlaOnlyHost) {
  const auto f = hostFactsFrom(nlaHost());
  EXPECT_TRUE(f.probed);
  ASSERT_EQ(f.addresses.size(), 1U);
  EXPECT_TRUE(f.addresses[0].ipv6);
  EXPECT_TRUE(f.addresses[0].tcpOk);
  EXPECT_TRUE(f.nlaRequired);
  EXPECT_TRUE(f.offersNla);
  EXPECT_FALSE(f.offersTls);
  EXPECT_FALSE(f.offersRdp);
  EXPECT_EQ(f.negotiationFailure, "HYBRID_REQUIRED_BY_SERVER");
  EXPECT_EQ(f.tlsVersionsOk, (std::vector<std::string>{"1.2", "1.3"}));
  EXPECT_EQ(f.minSecLevel, 1);
  EXPECT_TRUE(f.certExpired);
  EXPECT_TRUE(f.certSelfSigned);
  EXPECT_FALSE(f.tlsHandshakeClosedByServer);
}

TEST(ProbeText, PlainTableHasEveryLayerAndTheVerdict) {
  const auto text = renderProbeText(nlaHost(), false);
  EXPECT_EQ(text.find('\033'), std::string::npos);
  for (const char* s :
       {"rdpdoctor probe of [::1]:3390", "X.224 negotiation", "TLS", "certificate", "verdict: "})
    EXPECT_NE(text.find(s), std::string::npos) << s;
  EXPECT_NE(renderProbeText(nlaHost(), true).find('\033'), std::string::npos);
}

}  // namespace
}  // namespace rdpdoctor
