#include "rdpdoctor/front/certificate_question.hpp"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <ctime>
#include <memory>
#include <nlohmann/json.hpp>

#include "rdpdoctor/text_safety.hpp"

namespace rdpdoctor {

std::string encodeQuestion(const CertificateQuestion& q) {
  Outcome carrier;  // CertificateSeen's JSON is the Outcome's "certificate"
  carrier.certificate = q.seen;
  const nlohmann::json j{
      {"question", "certificate"}, {"outcome", carrier}, {"validity", q.validity}};
  return std::string(kQuestionMark) + jsonText(j) + "\n";  // one line: every control escaped
}

std::optional<CertificateQuestion> decodeQuestion(std::string_view line) {
  if (line.size() > kMaxQuestionBytes || line.substr(0, kQuestionMark.size()) != kQuestionMark)
    return std::nullopt;
  try {
    const auto j = nlohmann::json::parse(line.substr(kQuestionMark.size()));
    if (!j.is_object() || j.value("question", "") != "certificate") return std::nullopt;
    const auto seen = j.at("outcome").get<Outcome>().certificate;
    if (!seen || !needsConsent(seen->decision)) return std::nullopt;
    return CertificateQuestion{*seen, j.value("validity", "")};
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

std::string encodeAnswer(std::optional<CertPolicy> answer) {
  const nlohmann::json j{{"answer", answer ? std::string(toString(*answer)) : "no"}};
  return j.dump() + "\n";
}

std::optional<CertPolicy> decodeAnswer(std::string_view line, CertDecision asked) {
  try {
    const auto j = nlohmann::json::parse(line);
    if (!j.is_object() || !j.contains("answer") || !j["answer"].is_string()) return std::nullopt;
    const auto policy = parseCertPolicy(j["answer"].get<std::string>());
    if (!policy) return std::nullopt;
    // the terminal question's answers only: a changed certificate is replaced or refused
    if (asked == CertDecision::NeedsConsent &&
        (*policy == CertPolicy::AcceptOnce || *policy == CertPolicy::Tofu))
      return *policy;
    if (asked == CertDecision::ChangedNeedsConsent && *policy == CertPolicy::Replace)
      return *policy;
  } catch (const std::exception&) {
  }
  return std::nullopt;
}

std::string validityLine(const std::string& notBefore, const std::string& notAfter, bool expired,
                         bool notYetValid, long long daysLeft) {
  const std::string days = expired       ? "EXPIRED " + std::to_string(-daysLeft) + " days ago"
                           : notYetValid ? "NOT YET VALID"
                                         : std::to_string(daysLeft) + " days left";
  return notBefore + " to " + notAfter + " (" + days + ")";
}

namespace {

struct X509Free {
  void operator()(X509* x) const { X509_free(x); }
};
struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};

std::string isoTime(const ASN1_TIME* t, std::tm& tm) {
  tm = {};
  if (t == nullptr || ASN1_TIME_to_tm(t, &tm) != 1) return {};
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace

std::optional<PemCertificate> readPemCertificate(std::string_view pem) {
  std::unique_ptr<BIO, BioFree> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) return std::nullopt;
  std::unique_ptr<X509, X509Free> cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
  if (!cert) return std::nullopt;
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (X509_digest(cert.get(), EVP_sha256(), md, &len) != 1) return std::nullopt;
  static constexpr char kHex[] = "0123456789abcdef";  // FreeRDP's own form
  PemCertificate out;
  for (unsigned i = 0; i < len; ++i) {
    if (i != 0) out.fingerprint += ':';
    out.fingerprint += kHex[md[i] >> 4];
    out.fingerprint += kHex[md[i] & 0x0F];
  }
  std::tm before{}, after{};
  const std::string notBefore = isoTime(X509_get0_notBefore(cert.get()), before);
  const std::string notAfter = isoTime(X509_get0_notAfter(cert.get()), after);
  if (notBefore.empty() || notAfter.empty()) return out;  // dates not known: no validity line
  const std::time_t now = std::time(nullptr);
  const std::time_t beforeT = ::timegm(&before), afterT = ::timegm(&after);
  const auto diff = static_cast<long long>(afterT) - static_cast<long long>(now);
  const long long daysLeft = diff >= 0 ? diff / 86400 : -((-diff + 86399) / 86400);
  out.validity = validityLine(notBefore, notAfter, now > afterT, now < beforeT, daysLeft);
  return out;
}

}  // namespace rdpdoctor
