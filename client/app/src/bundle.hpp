#pragma once
// `diagnose --bundle FILE.tar.gz`: one file to attach to a ticket (README.txt lists what is in it).
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

/// Writes the bundle (0600, through a temporary file and a rename). No file of it holds the
/// password: every file is checked for it (plain, UTF-16LE, base64) and one that would is replaced
/// by a note. Throws UsageError when the file cannot be written.
/// `traceLog`: what went through stderr during the diagnosis, the attempts at trace level
/// (empty: not recorded).
void writeBundle(const BundleRequest& r, const Diagnosis& d, const probe::Capture& capture,
                 const Secret& password, const std::string& traceLog = {});

}  // namespace rdpdoctor::app
