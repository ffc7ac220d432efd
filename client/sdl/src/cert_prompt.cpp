// The certificate question as a window, for runs without a terminal (started from a desktop).
#include <SDL2/SDL.h>

#include <cstdio>

#include "rdpdoctor/sdl/viewer.hpp"

namespace rdpdoctor::sdl {

namespace {

/// Shows `buttons`; the chosen id, or -1 when no box opened.
int showBox(const std::string& title, const std::string& text,
            const SDL_MessageBoxButtonData* buttons, int count, Uint32 flags) {
  const SDL_MessageBoxData box{flags, nullptr, title.c_str(), text.c_str(),
                               count, buttons, nullptr};
  int chosen = -1;
  if (SDL_ShowMessageBox(&box, &chosen) != 0) {  // could not ask: no consent
    std::fprintf(stderr, "rdpdoctor: cannot ask about the certificate in a window: %s\n",
                 SDL_GetError());
    return -1;
  }
  return chosen;
}

enum : int { kNo = 0, kOnce = 1, kAlways = 2, kReplace = 3 };

/// A pinned host shows another certificate: no "always" shortcut, No is the default for both
/// Enter and Escape, and only a click on "Replace the trusted certificate" replaces the pin.
std::optional<CertPolicy> askChanged(const CertificateSeen& c, const std::string& validity) {
  const std::string where = c.host + ":" + std::to_string(c.port);
  const std::string title = "rdpdoctor — the certificate of " + where + " has CHANGED";
  const std::string text =
      "WARNING: the certificate of " + where +
      " has changed since you trusted it.\nThis may be a man in the middle reading everything "
      "you send, your password included.\n\nTrusted fingerprint:  " +
      c.pinnedFingerprint + "\nNew fingerprint:  " + c.fingerprint + "\n\nSubject:  " + c.subject +
      "\nIssuer:  " + c.issuer + "\nValid:  " + validity +
      "\n\nOnly if you know the host got a new certificate, replace the trusted one.";
  const SDL_MessageBoxButtonData buttons[] = {
      {0, kReplace, "Replace the trusted certificate"},
      {SDL_MESSAGEBOX_BUTTON_RETURNKEY_DEFAULT | SDL_MESSAGEBOX_BUTTON_ESCAPEKEY_DEFAULT, kNo,
       "No (do not connect)"},
  };
  const int chosen = showBox(title, text, buttons, SDL_arraysize(buttons), SDL_MESSAGEBOX_ERROR);
  if (chosen == kReplace) return CertPolicy::Replace;
  return std::nullopt;
}

}  // namespace

std::optional<CertPolicy> askCertificate(const CertificateSeen& c, const std::string& validity) {
  if (c.decision == CertDecision::ChangedNeedsConsent) return askChanged(c, validity);
  const std::string title = "rdpdoctor — certificate of " + c.host + ":" + std::to_string(c.port);
  const std::string text = "The certificate of " + c.host + ":" + std::to_string(c.port) +
                           " cannot be verified.\n\nSubject:  " + c.subject +
                           "\nIssuer:  " + c.issuer + "\nValid:  " + validity +
                           "\nFingerprint:  " + c.fingerprint +
                           "\n\nConnect anyway? Enter: accept once. Escape: no.";
  // SDL lays buttons out right to left on X11; the order below reads "No, Always, Accept once"
  const SDL_MessageBoxButtonData buttons[] = {
      {SDL_MESSAGEBOX_BUTTON_RETURNKEY_DEFAULT, kOnce, "Accept once"},
      {0, kAlways, "Always (remember it)"},
      {SDL_MESSAGEBOX_BUTTON_ESCAPEKEY_DEFAULT, kNo, "No"},
  };
  const int chosen = showBox(title, text, buttons, SDL_arraysize(buttons), SDL_MESSAGEBOX_WARNING);
  if (chosen == kOnce) return CertPolicy::AcceptOnce;
  if (chosen == kAlways) return CertPolicy::Tofu;
  return std::nullopt;
}

}  // namespace rdpdoctor::sdl
