// rdpdoctor-lab KIND [--crypt-level L] [--ipv6] [--with-sesman [--busy-session]]
// Starts one lab server, prints "READY <hostspec>" and runs until SIGTERM/SIGINT.
#include <signal.h>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>
#include <string_view>

#include "rdpdoctor/lab/lab.hpp"

namespace {

using rdpdoctor::lab::Kind;

int usage(const std::string& problem) {
  std::cerr << "rdpdoctor-lab: " << problem << "\n"
            << "usage: rdpdoctor-lab KIND [--crypt-level low|medium|high|fips] [--ipv6] "
               "[--with-sesman [--busy-session]]\nkinds:";
  for (Kind k : rdpdoctor::lab::kAllKinds) std::cerr << " " << rdpdoctor::lab::toString(k);
  std::cerr << "\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  rdpdoctor::lab::ServerOptions options;
  options.sesmanTurnTimeout = std::chrono::milliseconds(0);  // a second lab sesman: fail at once
  bool withSesman = false;
  bool haveKind = false;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--ipv6") {
      options.ipv6 = true;
    } else if (arg == "--with-sesman") {
      withSesman = true;
    } else if (arg == "--busy-session") {
      options.busySession = true;
    } else if (arg == "--crypt-level" && i + 1 < argc) {
      options.cryptLevel = argv[++i];
    } else if (arg == "-h" || arg == "--help") {
      usage("help");
      return 0;
    } else if (auto kind = rdpdoctor::lab::parseKind(arg); kind && !haveKind) {
      options.kind = *kind;
      haveKind = true;
    } else {
      return usage("unexpected argument '" + std::string(arg) + "'");
    }
  }
  if (!haveKind) return usage("missing KIND");

  // Block the stop signals before anything starts, then wait for one (children get a clean mask).
  sigset_t stopSignals;
  sigemptyset(&stopSignals);
  sigaddset(&stopSignals, SIGTERM);
  sigaddset(&stopSignals, SIGINT);
  sigaddset(&stopSignals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &stopSignals, nullptr);

  std::unique_ptr<rdpdoctor::lab::Sesman> sesman;
  if (withSesman) {
    auto s = rdpdoctor::lab::startSesman(options);
    if (!s) {
      std::cerr << "rdpdoctor-lab: " << s.error().message() << "\n";
      return 1;
    }
    sesman = std::move(*s);
  }
  auto server = rdpdoctor::lab::start(options);
  if (!server) {
    std::cerr << "rdpdoctor-lab: " << server.error().message() << "\n";
    return 1;
  }
  std::cout << "READY " << (*server)->hostSpec() << std::endl;  // flushes
  int received = 0;
  sigwait(&stopSignals, &received);
  server->reset();
  sesman.reset();
  return 0;
}
