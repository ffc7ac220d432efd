// The in-band certificate question's framing (certificate_question.hpp): what a session process
// writes on fd 3 before its result, and the answers the front sends back on its stdin.
#include "rdpdoctor/front/certificate_question.hpp"

#include <gtest/gtest.h>

using namespace rdpdoctor;

namespace {

CertificateQuestion unknownCertificate() {
  CertificateSeen seen{"host.example",
                       3389,
                       "cn",
                       "CN = host",
                       "CN = host",
                       "ab:cd",
                       0,
                       false,
                       CertDecision::NeedsConsent,
                       "",
                       ""};
  return {seen, "2025-01-01T00:00:00Z to 2027-01-01T00:00:00Z (730 days left)"};
}

std::string withoutNewline(std::string frame) {
  EXPECT_EQ(frame.back(), '\n');
  frame.pop_back();
  return frame;
}

}  // namespace

TEST(CertificateQuestion, AFrameIsOneLineThatStartsWithTheMarkAndRoundTrips) {
  auto q = unknownCertificate();
  q.seen.subject = "CN = evil\nrdpdoctor-question@1 {}\r\x1b[2J";  // a host's bytes
  const std::string frame = encodeQuestion(q);
  EXPECT_EQ(frame.rfind(kQuestionMark, 0), 0u);
  EXPECT_EQ(frame.find('\n'), frame.size() - 1) << "one line, whatever the server wrote";
  const auto back = decodeQuestion(withoutNewline(frame));
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->seen.subject, q.seen.subject);
  EXPECT_EQ(back->seen.fingerprint, "ab:cd");
  EXPECT_EQ(back->seen.decision, CertDecision::NeedsConsent);
  EXPECT_EQ(back->validity, q.validity);
}

TEST(CertificateQuestion, OnlyAQuestionAboutACertificateNeedingConsentIsOne) {
  EXPECT_FALSE(decodeQuestion("{\"question\":\"certificate\"}").has_value()) << "no mark";
  EXPECT_FALSE(decodeQuestion(std::string(kQuestionMark) + "not json").has_value());
  EXPECT_FALSE(decodeQuestion(std::string(kQuestionMark) + "[1,2]").has_value());
  EXPECT_FALSE(decodeQuestion(std::string(kQuestionMark) + "{\"question\":\"password\"}"));
  auto accepted = unknownCertificate();
  accepted.seen.decision = CertDecision::AcceptOnce;  // nothing to ask
  EXPECT_FALSE(decodeQuestion(withoutNewline(encodeQuestion(accepted))).has_value());
  auto changed = unknownCertificate();
  changed.seen.decision = CertDecision::ChangedNeedsConsent;
  EXPECT_TRUE(decodeQuestion(withoutNewline(encodeQuestion(changed))).has_value());
  const std::string huge =
      std::string(kQuestionMark) + "{\"pad\":\"" + std::string(kMaxQuestionBytes, 'x') + "\"}";
  EXPECT_FALSE(decodeQuestion(huge).has_value()) << "longer than a frame may be";
}

TEST(CertificateQuestion, AnswersAreTheTerminalQuestionsAndAnythingElseIsNo) {
  const auto unknown = CertDecision::NeedsConsent;
  const auto changed = CertDecision::ChangedNeedsConsent;
  EXPECT_EQ(decodeAnswer(withoutNewline(encodeAnswer(CertPolicy::AcceptOnce)), unknown),
            CertPolicy::AcceptOnce);
  EXPECT_EQ(decodeAnswer(withoutNewline(encodeAnswer(CertPolicy::Tofu)), unknown),
            CertPolicy::Tofu);
  EXPECT_FALSE(decodeAnswer(withoutNewline(encodeAnswer(std::nullopt)), unknown).has_value());
  // a changed certificate is replaced only by "replace"; once/always never override a pin
  EXPECT_EQ(decodeAnswer(withoutNewline(encodeAnswer(CertPolicy::Replace)), changed),
            CertPolicy::Replace);
  EXPECT_FALSE(decodeAnswer(withoutNewline(encodeAnswer(CertPolicy::AcceptOnce)), changed));
  EXPECT_FALSE(decodeAnswer(withoutNewline(encodeAnswer(CertPolicy::Tofu)), changed));
  EXPECT_FALSE(decodeAnswer(withoutNewline(encodeAnswer(CertPolicy::Replace)), unknown));
  EXPECT_FALSE(decodeAnswer("", unknown).has_value()) << "end of input";
  EXPECT_FALSE(decodeAnswer("o", unknown).has_value());
  EXPECT_FALSE(decodeAnswer("{\"answer\":1}", unknown).has_value());
}

TEST(CertificateQuestion, APemCertificateGivesFreerdpsFingerprintAndItsDates) {
  EXPECT_FALSE(readPemCertificate("not a certificate").has_value());
  EXPECT_EQ(validityLine("a", "b", false, false, 12), "a to b (12 days left)");
  EXPECT_EQ(validityLine("a", "b", true, false, -3), "a to b (EXPIRED 3 days ago)");
  EXPECT_EQ(validityLine("a", "b", false, true, 400), "a to b (NOT YET VALID)");
}
