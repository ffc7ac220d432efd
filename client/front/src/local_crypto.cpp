#include "rdpdoctor/front/local_crypto.hpp"

#include <openssl/evp.h>
#include <openssl/provider.h>

namespace rdpdoctor {
namespace {

bool available(const char* digest, const char* cipher) {
  if (digest != nullptr) {
    EVP_MD* md = EVP_MD_fetch(nullptr, digest, nullptr);
    EVP_MD_free(md);
    return md != nullptr;
  }
  EVP_CIPHER* c = EVP_CIPHER_fetch(nullptr, cipher, nullptr);
  EVP_CIPHER_free(c);
  return c != nullptr;
}

}  // namespace

std::vector<std::string> missingLegacyAlgorithms() {
  // WinPR loads the legacy provider when a connection starts; load it the same way here (this
  // process only runs this attempt) so that "missing" means it cannot be loaded on this machine,
  // not that nothing asked for it yet
  if (!available("MD4", nullptr) || !available(nullptr, "RC4"))
    (void)OSSL_PROVIDER_try_load(nullptr, "legacy", 1);
  std::vector<std::string> out;
  if (!available("MD4", nullptr)) out.emplace_back("md4");
  if (!available(nullptr, "RC4")) out.emplace_back("rc4");
  return out;
}

}  // namespace rdpdoctor
