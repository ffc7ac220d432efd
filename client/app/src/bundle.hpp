#pragma once
// `diagnose --bundle FILE.tar.gz`: one file to attach to a ticket (README.txt lists what is in it).
#include <chrono>
#include <string>
#include <vector>

#include "rdpdoctor/front/credentials.hpp"
#include "rdpdoctor/probe/capture.hpp"
#include "rdpdoctor/report/diagnosis.hpp"

namespace rdpdoctor::app {

/// main() hands over the command line once, for the bundle's command-line.txt.
void rememberCommandLine(int argc, char** argv);

struct BundleRequest {
  std::string path;  // FILE.tar.gz
  bool keepUserNames = false;
  std::string user;    // redacted everywhere unless keepUserNames
  std::string domain;  // idem
};

/// The bundle's own connection: one, with the winner and no credentials (README.txt says it).
struct BundleSession {
  bool made = false;         // false: no winner, or the relay could not start (`what` says)
  std::string what;          // what it reached, or why none was made
  std::size_t keyLines = 0;  // TLS secrets FreeRDP exported for it (2.11: none)
  std::string freerdp;       // the attempt program's FreeRDP version
};

/// While the capture runs (probe::startCapture): so that the capture shows a session, connects
/// once with the winner and no credentials (no user name, no password: the login screen, or on
/// an NLA host the point where credentials would be needed) through a probe::CaptureRelay that
/// records its bytes, FreeRDP 3 writing the TLS secrets into a private file whose lines join the
/// capture's key log. Connections that carried credentials never get a key log.
[[nodiscard]] BundleSession recordWinnerSession(const Diagnosis& d, const std::string& logLevel,
                                                std::chrono::milliseconds deadline);

/// Writes the bundle (0600, through a temporary file and a rename). No file of it holds the
/// password: every file is checked for it (plain, UTF-16LE, base64) and one that would is replaced
/// by a note. Throws UsageError when the file cannot be written.
/// `traceLog`: what went through stderr during the diagnosis, the attempts at trace level
/// (empty: not recorded).
void writeBundle(const BundleRequest& r, const Diagnosis& d, const probe::Capture& capture,
                 const BundleSession& session, const Secret& password,
                 const std::string& traceLog = {});

}  // namespace rdpdoctor::app
