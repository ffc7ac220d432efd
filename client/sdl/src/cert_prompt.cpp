// The certificate question as a window, for runs without a terminal (started from a desktop).
#include <SDL2/SDL.h>

#include <cstdio>

#include "rdpdoctor/sdl/viewer.hpp"

namespace rdpdoctor::sdl {

std::optional<CertPolicy> askCertificate(const CertificateSeen& c, const std::string& validity) {
  const std::string title = "rdpdoctor — certificate of " + c.host + ":" + std::to_string(c.port);
  const std::string text = "The certificate of " + c.host + ":" + std::to_string(c.port) +
                           " cannot be verified.\n\nSubject:  " + c.subject + "\nIssuer:  " + c.issuer +
                           "\nValid:  " + validity +
                           "\nFingerprint:  " + c.fingerprint +
                           "\n\nConnect anyway? Enter: accept once. Escape: no.";
  enum : int { kNo = 0, kOnce = 1, kAlways = 2 };
  // SDL lays buttons out right to left on X11; the order below reads "No, Always, Accept once"
  const SDL_MessageBoxButtonData buttons[] = {
      {SDL_MESSAGEBOX_BUTTON_RETURNKEY_DEFAULT, kOnce, "Accept once"},
      {0, kAlways, "Always (remember it)"},
      {SDL_MESSAGEBOX_BUTTON_ESCAPEKEY_DEFAULT, kNo, "No"},
  };
  const SDL_MessageBoxData box{SDL_MESSAGEBOX_WARNING, nullptr, title.c_str(), text.c_str(),
                               SDL_arraysize(buttons), buttons, nullptr};
  int chosen = kNo;
  if (SDL_ShowMessageBox(&box, &chosen) != 0) {  // could not ask: no consent
    std::fprintf(stderr, "rdpdoctor: cannot ask about the certificate in a window: %s\n", SDL_GetError());
    return std::nullopt;
  }
  if (chosen == kOnce) return CertPolicy::AcceptOnce;
  if (chosen == kAlways) return CertPolicy::Tofu;
  return std::nullopt;
}

}  // namespace rdpdoctor::sdl
