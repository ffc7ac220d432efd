#include "rdpdoctor/verdict/verdict.hpp"

#include <gtest/gtest.h>

using namespace rdpdoctor;

namespace {

Profile profile(Security s) {
  Profile p;
  p.target = *parseHostSpec("host.lab:3389");
  p.security = s;
  return p;
}

Outcome failed(std::string errorName, Stage reached) {
  Outcome o;
  o.freerdpErrorName = std::move(errorName);
  o.reached = reached;
  return o;
}

bool hasRemedy(const Signature& s, std::string_view id) {
  for (const auto& r : s.remedies)
    if (r.id == id) return true;
  return false;
}

}  // namespace

TEST(Verdict, SuccessIsOkAndNotRetried) {
  Outcome o;
  o.success = true;
  auto s = classify(o, profile(Security::Tls), {});
  EXPECT_EQ(s.id, "ok");
  EXPECT_FALSE(s.retryable);
}

TEST(Verdict, HybridRequiredWithTlsOnlyProfileMeansNlaRequired) {
  auto o = failed("ERRCONNECT_SECURITY_NEGO_CONNECT_FAILED", Stage::Started);
  HostFacts f;
  f.negotiationFailure = "HYBRID_REQUIRED_BY_SERVER";
  auto s = classify(o, profile(Security::Tls), f);
  EXPECT_EQ(s.id, "nla-required");
  EXPECT_EQ(s.layer, Layer::Negotiation);
  EXPECT_EQ(s.mstsc.disconnectReason, 0x904u);
  EXPECT_EQ(s.mstsc.extendedReason, 0x7u);
  EXPECT_TRUE(hasRemedy(s, "allow-nla"));
  EXPECT_TRUE(s.retryable);
}

TEST(Verdict, HybridRequiredSeenOnlyInFreerdpLogIsStillRecognised) {
  auto o = failed("ERRCONNECT_SECURITY_NEGO_CONNECT_FAILED", Stage::Started);
  o.logTail = {"com.freerdp.core.nego: RDP_NEG_FAILURE: HYBRID_REQUIRED_BY_SERVER"};
  EXPECT_EQ(classify(o, profile(Security::Tls), {}).id, "nla-required");
}

TEST(Verdict, LegacyTlsHostRefusedLocallyAtDefaultLevel) {
  auto o = failed("ERRCONNECT_TLS_CONNECT_FAILED", Stage::Started);
  HostFacts f;
  f.tlsVersionsOk = {"1.0"};
  auto s = classify(o, profile(Security::Tls), f);
  EXPECT_EQ(s.id, "tls-legacy-refused-locally");
  EXPECT_EQ(s.layer, Layer::Tls);
  EXPECT_TRUE(hasRemedy(s, "enable-tls12"));
}

TEST(Verdict, TlsFailureOnModernHostPointsAtTheCertificateAndKey) {
  auto o = failed("ERRCONNECT_TLS_CONNECT_FAILED", Stage::Started);
  HostFacts f;
  f.tlsVersionsOk = {"1.2", "1.3"};
  auto s = classify(o, profile(Security::Tls), f);
  EXPECT_EQ(s.id, "tls-closed-by-server");
  EXPECT_TRUE(hasRemedy(s, "renew-certificate"));
  EXPECT_TRUE(hasRemedy(s, "machinekeys-permissions"));
}

TEST(Verdict, RejectedCertificateStopsTheLadderAndNamesExpiry) {
  auto o = failed("ERRCONNECT_TLS_CONNECT_FAILED", Stage::Certificate);
  o.certificate = CertificateSeen{
      "h", 3389, "cn", "CN = cn", "CN = cn", "aa:bb", 0, false, CertDecision::Deny, "", ""};
  HostFacts f;
  f.certExpired = true;
  auto s = classify(o, profile(Security::Tls), f);
  EXPECT_EQ(s.id, "certificate-expired");
  EXPECT_TRUE(s.stopsLadder);
  f.certExpired = false;
  EXPECT_EQ(classify(o, profile(Security::Tls), f).id, "certificate-untrusted");
  o.certificate->decision = CertDecision::TofuChanged;
  o.certificate->pinnedFingerprint = "cc:dd";
  const auto changed = classify(o, profile(Security::Tls), f);
  EXPECT_EQ(changed.id, "certificate-changed");
  EXPECT_NE(changed.cause.find("cc:dd"), std::string::npos) << changed.cause;
  EXPECT_NE(changed.cause.find("aa:bb"), std::string::npos) << changed.cause;
  EXPECT_NE(changed.cause.find("man in the middle"), std::string::npos) << changed.cause;
  EXPECT_TRUE(changed.stopsLadder);
  o.certificate->decision = CertDecision::ChangedNeedsConsent;
  EXPECT_EQ(classify(o, profile(Security::Tls), f).id, "certificate-changed")
      << "refused until the user replaces it";
  o.certificate->decision = CertDecision::StoreError;
  o.certificate->storeError = "the state directory /x is writable by others";
  const auto store = classify(o, profile(Security::Tls), f);
  EXPECT_EQ(store.id, "certificate-store-unusable");
  EXPECT_NE(store.cause.find("writable by others"), std::string::npos) << store.cause;
  ASSERT_EQ(store.remedies.size(), 1u) << "the fix is this machine's store, not the host";
  EXPECT_EQ(store.remedies.front().id, "trust-store");
  EXPECT_TRUE(store.remedies.front().onThisMachine);
}

TEST(Verdict, AFailureInFreerdpsLicensingPhaseIsLicensingNotThePath) {
  auto o = failed("ERRCONNECT_CONNECT_TRANSPORT_FAILED", Stage::Certificate);
  o.certificate = CertificateSeen{};
  o.certificate->accepted = true;
  const auto closed = classify(o, profile(Security::Tls), {});
  EXPECT_EQ(closed.id, "closed-after-negotiation") << "a plain close after TLS";
  o.logTail = {"com.freerdp.core: license connection sequence aborted."};
  const auto aborted = classify(o, profile(Security::Tls), {});
  EXPECT_EQ(aborted.id, "licensing-failed");
  EXPECT_NE(aborted.cause.find("licensing phase"), std::string::npos) << aborted.cause;
  o.logTail = {"com.freerdp.core.rdp: CONNECTION_STATE_LICENSING status STATE_RUN_FAILED [-1]"};
  EXPECT_EQ(classify(o, profile(Security::Tls), {}).id, "licensing-failed");
}

TEST(Verdict, LogonFailureStopsTheLadder) {
  auto s =
      classify(failed("ERRCONNECT_LOGON_FAILURE", Stage::Certificate), profile(Security::Nla), {});
  EXPECT_EQ(s.id, "credentials-rejected");
  EXPECT_TRUE(s.stopsLadder);
  EXPECT_FALSE(s.retryable);
}

TEST(Verdict, NlaServerThatJustClosesAfterTlsIsTreatedAsRejectedCredentials) {
  auto o = failed("ERRCONNECT_CONNECT_TRANSPORT_FAILED", Stage::Certificate);
  o.certificate =
      CertificateSeen{"h", 3389, "cn", "s", "i", "fp", 0, true, CertDecision::AcceptOnce, "", ""};
  auto s = classify(o, profile(Security::Nla), {});
  EXPECT_EQ(s.id, "credentials-rejected");
  EXPECT_TRUE(s.stopsLadder);
  // the same bytes over plain TLS are not a credential question
  EXPECT_NE(classify(o, profile(Security::Tls), {}).id, "credentials-rejected");
}

TEST(Verdict, ATransportFailureUnderNlaWithoutMd4OrRc4HereIsThisMachinesOpensslNotAPassword) {
  auto o = failed("ERRCONNECT_CONNECT_TRANSPORT_FAILED", Stage::Certificate);
  o.certificate =
      CertificateSeen{"h", 3389, "cn", "s", "i", "fp", 0, true, CertDecision::AcceptOnce, "", ""};
  for (const auto& missing :
       std::vector<std::vector<std::string>>{{"md4"}, {"rc4"}, {"md4", "rc4"}}) {
    o.localCryptoMissing = missing;
    const auto s = classify(o, profile(Security::Nla), {});
    EXPECT_EQ(s.id, "local-crypto-missing") << missing.front();
    EXPECT_FALSE(s.stopsLadder) << "no credential was checked: nothing to lock out";
    ASSERT_FALSE(s.remedies.empty());
    EXPECT_TRUE(s.remedies.front().onThisMachine);
  }
  // standard RDP security needs RC4 only; over TLS neither is needed, so they are no evidence
  o.localCryptoMissing = {"md4"};
  o.selectedProtocol = 0;
  EXPECT_NE(classify(o, profile(Security::Rdp), {}).id, "local-crypto-missing");
  o.localCryptoMissing = {"rc4"};
  EXPECT_EQ(classify(o, profile(Security::Rdp), {}).id, "local-crypto-missing");
  o.selectedProtocol = 1;  // PROTOCOL_SSL
  EXPECT_NE(classify(o, profile(Security::Tls), {}).id, "local-crypto-missing");
  // with both algorithms here, the same failure stays a rejected credential
  o.localCryptoMissing.clear();
  o.selectedProtocol = -1;
  EXPECT_EQ(classify(o, profile(Security::Nla), {}).id, "credentials-rejected");
}

TEST(Verdict, SilentServerIsATimeoutAtNegotiation) {
  Outcome o;
  o.timedOut = true;
  o.reached = Stage::Started;
  o.detail = "deadline of 3000 ms passed";
  auto s = classify(o, profile(Security::Negotiate), {});
  EXPECT_EQ(s.id, "server-silent");
  EXPECT_EQ(s.mstsc.disconnectReason, 0x108u);
  EXPECT_FALSE(s.retryable);
}

TEST(Verdict, AHostThatDripsBytesIsSlowWithWhatItSentNotSilent) {
  Outcome o;
  o.timedOut = true;
  o.reached = Stage::Started;
  o.detail = "deadline of 2000 ms passed";
  HostFacts f;
  f.probed = true;
  f.slowAnswer = SlowAnswer{15, 3004};
  auto s = classify(o, profile(Security::Tls), f);
  EXPECT_EQ(s.id, "server-slow");
  EXPECT_EQ(s.layer, Layer::Negotiation);
  EXPECT_NE(s.cause.find("sent 15 bytes in 3.0 s"), std::string::npos) << s.cause;
  EXPECT_EQ(s.cause.find("stopped answering"), std::string::npos) << s.cause;
  EXPECT_EQ(s.mstsc.disconnectReason, 0x108u);
  EXPECT_FALSE(s.retryable);
  // past the negotiation the probe's reading says nothing about this attempt
  o.reached = Stage::Connected;
  EXPECT_NE(classify(o, profile(Security::Tls), f).id, "server-slow");
}

TEST(Verdict, DeadAddressAmongLiveOnesPointsAtDns) {
  auto o = failed("ERRCONNECT_CONNECT_FAILED", Stage::Started);
  HostFacts f;
  f.addresses = {{"::1", true, false, "refused"}, {"127.0.0.1", false, true, ""}};
  auto s = classify(o, profile(Security::Tls), f);
  EXPECT_EQ(s.id, "address-unreachable");
  EXPECT_EQ(s.layer, Layer::Name);
  EXPECT_TRUE(s.retryable);
  f.addresses[1].tcpOk = false;
  EXPECT_EQ(classify(o, profile(Security::Tls), f).id, "nothing-listening");
}

TEST(Verdict, AConnectionAcceptedThenResetIsNotNothingListening) {
  // the probe's TCP check met the RST of a host that accepts and drops (loopback under load)
  auto o = failed("ERRCONNECT_CONNECT_TRANSPORT_FAILED", Stage::Started);
  HostFacts f;
  f.probed = true;
  f.addresses = {{"127.0.0.1", false, false, "reset"}};
  const auto s = classify(o, profile(Security::Tls), f);
  EXPECT_EQ(s.id, "reset-after-accept");
  EXPECT_EQ(s.layer, Layer::Tcp);
  f.addresses[0].tcpError = "refused";
  EXPECT_EQ(classify(o, profile(Security::Tls), f).id, "nothing-listening");
}

TEST(Verdict, ServerDeniedIsExtendedReasonSeven) {
  Outcome o = failed("ERRCONNECT_CONNECT_TRANSPORT_FAILED", Stage::Connected);
  o.errinfo = 0x7;
  auto s = classify(o, profile(Security::Tls), {});
  EXPECT_EQ(s.id, "server-denied");
  EXPECT_EQ(s.mstsc.extendedReason, 0x7u);
}

TEST(Verdict, TheServersGraphicsFailingIsItsOwnCauseWithTheGraphicsRemedy) {
  for (std::uint32_t code : {0x112Fu, 0x112Du, 0x10u, 0x11u}) {
    Outcome o = failed("", Stage::Connected);
    o.errinfo = code;
    o.errinfoName = "ERRINFO_X";
    auto s = classify(o, profile(Security::Tls), {});
    EXPECT_EQ(s.id, "server-graphics-failed") << code;
    EXPECT_EQ(s.layer, Layer::Session) << code;
    EXPECT_EQ(s.mstsc.disconnectReason, 0x904u) << code;
    EXPECT_EQ(s.mstsc.extendedReason, code) << code;
    EXPECT_TRUE(s.retryable) << code;  // the session variants turn the graphics pipeline off
    EXPECT_TRUE(hasRemedy(s, "server-graphics")) << code;
    EXPECT_FALSE(hasRemedy(s, "server-denied-check")) << code;
    EXPECT_NE(s.cause.find("ERRINFO_X"), std::string::npos) << code;
  }
  // neighbours of the range are not graphics
  for (std::uint32_t code : {0xEu, 0x13u, 0x112Cu, 0x1130u}) {
    Outcome o = failed("", Stage::Connected);
    o.errinfo = code;
    EXPECT_NE(classify(o, profile(Security::Tls), {}).id, "server-graphics-failed") << code;
  }
}

TEST(Verdict, RdpSecurityLogoffAfterHandshakeIsAnEncryptionMismatch) {
  Outcome o = failed("", Stage::Connected);
  o.errinfo = 0xC;
  auto s = classify(o, profile(Security::Rdp), {});
  EXPECT_EQ(s.id, "rdp-encryption-mismatch");
  EXPECT_EQ(s.layer, Layer::RdpSecurity);
  auto legacy = profile(Security::Rdp);
  legacy.saltedMac = false;
  EXPECT_NE(classify(o, legacy, {}).id, "rdp-encryption-mismatch");
}

TEST(Verdict, ResetAfterConfirmIsSocketClosedAfterNegotiation) {
  auto s = classify(failed("ERRCONNECT_CONNECT_TRANSPORT_FAILED", Stage::Started),
                    profile(Security::Tls), {});
  EXPECT_EQ(s.id, "closed-after-negotiation");
  EXPECT_EQ(s.mstsc.disconnectReason, 0x904u);
  EXPECT_TRUE(hasRemedy(s, "firewall-av"));
}

TEST(Verdict, PreVistaHostWithoutNegotiationDataNeedsStandardRdpSecurity) {
  HostFacts f;
  f.noNegotiationData = true;
  auto s = classify(failed("ERRCONNECT_SECURITY_NEGO_CONNECT_FAILED", Stage::Started),
                    profile(Security::Tls), f);
  EXPECT_EQ(s.id, "pre-vista-host");
  EXPECT_TRUE(hasRemedy(s, "legacy-rdp-security"));
}

TEST(Verdict, EveryRemedyHasTextAndAUniqueId) {
  const auto& all = allRemedies();
  for (size_t i = 0; i < all.size(); ++i) {
    EXPECT_FALSE(all[i].text.empty()) << all[i].id;
    for (size_t j = i + 1; j < all.size(); ++j) EXPECT_NE(all[i].id, all[j].id);
  }
}

TEST(Verdict, WinnerAtSecurityLevelZeroProvesALegacyTlsHost) {
  auto o = failed("ERRCONNECT_TLS_CONNECT_FAILED", Stage::Started);
  const auto orig = profile(Security::Tls);
  auto s = classify(o, orig, {});
  EXPECT_EQ(s.id, "tls-closed-by-server");
  auto winner = orig;
  winner.tlsSecLevel = 0;
  auto sharpened = explainByWinner(s, orig, winner);
  EXPECT_EQ(sharpened.id, "tls-legacy-refused-locally");
  EXPECT_TRUE(hasRemedy(sharpened, "enable-tls12"));
  EXPECT_FALSE(hasRemedy(sharpened, "renew-certificate"));
  // a winner that changed nothing relevant proves nothing
  EXPECT_EQ(explainByWinner(s, orig, orig).id, "tls-closed-by-server");
}

TEST(Verdict, WinnerWithNlaProvesNlaWasRequired) {
  auto o = failed("ERRCONNECT_CONNECT_TRANSPORT_FAILED", Stage::Started);
  const auto orig = profile(Security::Tls);
  auto s = classify(o, orig, {});
  EXPECT_EQ(explainByWinner(s, orig, profile(Security::Nla)).id, "nla-required");
}

TEST(Verdict, RefusedPortReportedAsTransportFailureIsNothingListeningWhenTheProbeSawIt) {
  auto o = failed("ERRCONNECT_CONNECT_TRANSPORT_FAILED", Stage::Started);
  HostFacts f;
  f.probed = true;
  f.addresses = {{"127.0.0.1", false, false, "refused"}};
  auto s = classify(o, profile(Security::Tls), f);
  EXPECT_EQ(s.id, "nothing-listening");
  EXPECT_FALSE(s.retryable);
}

TEST(Verdict, OurOwnSetupFailureIsNotTheHostsFaultAndStopsTheLadder) {
  auto s =
      classify(failed("ERRCONNECT_PRE_CONNECT_FAILED", Stage::Started), profile(Security::Tls), {});
  EXPECT_EQ(s.id, "client-setup-failed");
  EXPECT_TRUE(s.stopsLadder);
  EXPECT_TRUE(s.remedies.empty());
}

TEST(Verdict, NegotiateThatLandedOnNlaTreatsACloseAfterTlsAsRejectedCredentials) {
  auto o = failed("ERRCONNECT_CONNECT_TRANSPORT_FAILED", Stage::Certificate);
  o.certificate =
      CertificateSeen{"h", 3389, "cn", "s", "i", "fp", 0, true, CertDecision::AcceptOnce, "", ""};
  o.selectedProtocol = 2;  // HYBRID
  auto s = classify(o, profile(Security::Negotiate), {});
  EXPECT_EQ(s.id, "credentials-rejected");
  EXPECT_TRUE(s.stopsLadder);
}

TEST(Verdict, NamedNegotiationFailuresAreNotUnknown) {
  auto o = failed("ERRCONNECT_SECURITY_NEGO_CONNECT_FAILED", Stage::Started);
  HostFacts f;
  f.negotiationFailure = "SSL_CERT_NOT_ON_SERVER";
  auto s = classify(o, profile(Security::Tls), f);
  EXPECT_EQ(s.id, "tls-no-server-certificate");
  EXPECT_NE(s.cause.find("SSL_CERT_NOT_ON_SERVER"), std::string::npos);
  EXPECT_TRUE(hasRemedy(s, "renew-certificate"));
}

TEST(Verdict, APortThatNeverConfirmsIsNotRdp) {
  HostFacts f;
  f.notRdp = true;
  auto s = classify(failed("ERRCONNECT_CONNECT_TRANSPORT_FAILED", Stage::Started),
                    profile(Security::Tls), f);
  EXPECT_EQ(s.id, "not-rdp");
  EXPECT_FALSE(s.retryable);
}

TEST(Verdict, ResetAfterTheConfirmOnEveryPathIsAPathProblemNotACertificate) {
  HostFacts f;
  f.tlsHandshakeClosedByServer = true;
  f.rdpSecurityClosed = true;
  auto s =
      classify(failed("ERRCONNECT_TLS_CONNECT_FAILED", Stage::Started), profile(Security::Tls), f);
  EXPECT_EQ(s.id, "closed-after-negotiation");
  ASSERT_FALSE(s.remedies.empty());
  EXPECT_EQ(s.remedies.front().id, "firewall-av");
}

TEST(Verdict, ConnectFailureWhereTheProbeConnectedIsAResetAfterAccept) {
  HostFacts f;
  f.addresses = {{"127.0.0.1", false, true, ""}};
  auto s = classify(failed("ERRCONNECT_CONNECT_FAILED", Stage::Started), profile(Security::Tls), f);
  EXPECT_EQ(s.id, "reset-after-accept");
}

TEST(Verdict, AFailureTheProbeSawForAnotherRequestDoesNotExplainATlsFailure) {
  HostFacts f;
  f.negotiationFailure =
      "SSL_REQUIRED_BY_SERVER";  // the probe's RDP-only request on a TLS-only host
  f.tlsVersionsOk = {"1.0"};
  auto s =
      classify(failed("ERRCONNECT_TLS_CONNECT_FAILED", Stage::Started), profile(Security::Tls), f);
  EXPECT_EQ(s.id, "tls-legacy-refused-locally");
}

TEST(Verdict, ARefusedPortSeenByTheAttemptItselfIsNothingListening) {
  auto o = failed("ERRCONNECT_CONNECT_TRANSPORT_FAILED", Stage::Started);
  o.tcpRefused = true;
  EXPECT_EQ(classify(o, profile(Security::Tls), {}).id, "nothing-listening");
}

TEST(Verdict, ARefusedPortIsNothingListeningAndNotAFirewallOrAntivirus) {
  HostFacts f;
  f.probed = true;
  f.addresses = {{"127.0.0.1", false, false, "refused"}};
  auto s = classify(failed("ERRCONNECT_CONNECT_TRANSPORT_FAILED", Stage::Started),
                    profile(Security::Tls), f);
  EXPECT_EQ(s.id, "nothing-listening");
  EXPECT_TRUE(hasRemedy(s, "start-service"));
  EXPECT_FALSE(hasRemedy(s, "firewall-av"));
}

TEST(Verdict, APortThatNeverAnswersIsFilteredNotNothingListening) {
  HostFacts f;
  f.probed = true;
  f.addresses = {{"127.0.0.1", false, false, "timeout"}};
  auto s = classify(failed("ERRCONNECT_CONNECT_TRANSPORT_FAILED", Stage::Started),
                    profile(Security::Tls), f);
  EXPECT_EQ(s.id, "port-filtered");
  EXPECT_TRUE(hasRemedy(s, "firewall-av"));
}

TEST(Verdict, ClientCertificateRequiredIsTlsWithACertificateNotNla) {
  auto o = failed("ERRCONNECT_SECURITY_NEGO_CONNECT_FAILED", Stage::Started);
  HostFacts f;
  f.negotiationFailure = "SSL_WITH_USER_AUTH_REQUIRED_BY_SERVER";
  auto s = classify(o, profile(Security::Tls), f);
  EXPECT_EQ(s.id, "tls-client-certificate-required");
  EXPECT_FALSE(hasRemedy(s, "allow-nla"));
  EXPECT_NE(s.cause.find("client certificate"), std::string::npos) << s.cause;
}

TEST(Verdict, AServerThatSelectedStandardRdpSecurityIsNotUsingNla) {
  // PROTOCOL_RDP is 0: a known selection, not "unknown", so a close is not a CredSSP rejection
  auto o = failed("ERRCONNECT_CONNECT_TRANSPORT_FAILED", Stage::Certificate);
  o.certificate =
      CertificateSeen{"h", 3389, "cn", "s", "i", "fp", 0, true, CertDecision::AcceptOnce, "", ""};
  o.selectedProtocol = 0;
  HostFacts f;
  f.offersNla = true;
  auto s = classify(o, profile(Security::Negotiate), f);
  EXPECT_NE(s.id, "credentials-rejected");
}

TEST(Verdict, ANameThatDoesNotResolveIsThatEvenWhenTheDeadlinePassed) {
  auto o = failed("ERRCONNECT_DNS_NAME_NOT_FOUND", Stage::None);
  o.timedOut = true;
  auto s = classify(o, profile(Security::Negotiate), {});
  EXPECT_EQ(s.id, "name-not-resolved");
  EXPECT_FALSE(hasRemedy(s, "dns-fix"));
  EXPECT_EQ(s.exit, ExitClass::NoConnection);
}

// the resolver did not answer before the deadline (connect's own name fact, or the probe's): a
// timeout at the name layer, never a silent server
TEST(Verdict, AResolverThatDidNotAnswerInTimeIsATimeoutAtTheNameLayer) {
  Outcome o;
  o.timedOut = true;
  o.reached = Stage::None;
  HostFacts f;
  f.resolveFailed = true;
  f.resolveTimedOut = true;
  auto s = classify(o, profile(Security::Negotiate), f);
  EXPECT_EQ(s.id, "name-not-resolved");
  EXPECT_EQ(s.layer, Layer::Name);
  EXPECT_EQ(s.exit, ExitClass::Timeout);
  EXPECT_NE(s.cause.find("did not answer before the deadline"), std::string::npos) << s.cause;
  EXPECT_TRUE(hasRemedy(s, "check-name"));
  EXPECT_FALSE(hasRemedy(s, "network-retry"));
  // the resolver answered "no such name" after all: not a timeout
  auto answered = failed("ERRCONNECT_DNS_NAME_NOT_FOUND", Stage::None);
  EXPECT_EQ(classify(answered, profile(Security::Negotiate), f).exit, ExitClass::NoConnection);
}

TEST(Verdict, AWrongPasswordGetsTheAccountRemediesAndNeverTurnNlaOff) {
  auto s =
      classify(failed("ERRCONNECT_LOGON_FAILURE", Stage::Certificate), profile(Security::Nla), {});
  EXPECT_EQ(s.id, "credentials-rejected");
  EXPECT_TRUE(hasRemedy(s, "check-credentials"));
  EXPECT_FALSE(hasRemedy(s, "allow-nla"));
}

// the attempt's own program could not be started (a broken install): a local problem that no
// other combination fixes, never a host fault with host remedies
TEST(Verdict, AnAttemptProgramThatCannotStartIsThisClientsProblemNotTheHosts) {
  Outcome o;
  o.notStarted = true;
  o.detail = "cannot start the session process /usr/libexec/rdpdoctor/rdpdoctor-attempt";
  HostFacts live;
  live.probed = true;
  live.offersTls = true;
  const auto s = classify(o, profile(Security::Tls), live);
  EXPECT_EQ(s.id, "client-setup-failed");
  EXPECT_TRUE(s.stopsLadder);
  EXPECT_NE(s.cause.find("rdpdoctor-attempt"), std::string::npos) << s.cause;
  EXPECT_TRUE(s.remedies.empty()) << "no host-side fix for a local install problem";
}
