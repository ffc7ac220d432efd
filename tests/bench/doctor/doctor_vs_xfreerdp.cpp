// bench_doctor_vs_xfreerdp: on the legacy TLS 1.0 ECDHE host and the standard-RDP-only host,
//   doctor   = `rdpdoctor diagnose HOST ... --json -`, median of 5: the whole run (probe, ladder,
//              confirmation) and, from its JSON, the time until the winner was known (probe +
//              attempts up to the winner's first success);
//   one      = one xfreerdp 2.11 run with the known-good flags (+auth-only /cert:ignore), median of
//   5; loop     = a sequential xfreerdp loop over the rungs our ladder tried (attempts[].profile.
//              xfreerdp_args, each with a 15 s timeout, stopping at the first success), median
//              of 3.
// Targets (not asserted): doctor <= 1.2x one known-good run; doctor >= 5x faster than the loop.
// Exit 1 only when a tool errors (cannot start, crashes, rdpdoctor exits non-zero, known-good
// fails).
#include <algorithm>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "harness/doctor_run.hpp"
#include "rdpdoctor/lab/lab.hpp"

namespace {

using namespace rdpdoctor;
using namespace rdpdoctor::doctortest;
using std::chrono::milliseconds;

bool g_toolError = false;

void toolError(const std::string& what) {
  std::cerr << "TOOL ERROR: " << what << std::endl;
  g_toolError = true;
}

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const auto n = v.size();
  return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

struct Xfreerdp {
  std::string display;
  std::string home;

  /// One xfreerdp run; returns its result (exit 0 = connected/authenticated).
  ProcessResult run(std::vector<std::string> args,
                    milliseconds timeout = milliseconds(15000)) const {
    ProcessRequest r;
    r.argv = {"/usr/bin/xfreerdp"};
    r.argv.insert(r.argv.end(), args.begin(), args.end());
    // +auth-only needs a user and password even where nothing checks them (no NLA: the whole
    // connection sequence runs, LAB.md); these are dummies, not the lab user's
    r.argv.insert(r.argv.end(), {"/u:bench", "/p:bench", "/cert:ignore", "+auth-only"});
    r.env = baseEnvironment(home);
    r.env.push_back("DISPLAY=" + display);
    r.deadline = timeout;
    auto res = runProcess(r);
    if (!res.spawnError.empty()) toolError(res.spawnError);
    if (res.termSignal != 0 && !res.killedAtDeadline) toolError("xfreerdp died: " + res.describe());
    return res;
  }
};

struct HostCase {
  std::string title;
  lab::ServerOptions server;
  std::vector<std::string> doctorArgs;  // besides HOST and --json -
  std::vector<std::string> knownGood;   // xfreerdp args besides /v:; empty: none exists
  std::string knownGoodNote;
};

void bench(const HostCase& c, const Xfreerdp& xf) {
  auto server = lab::start(c.server);
  if (!server) {
    toolError("lab server did not start: " + server.error().message());
    return;
  }
  const std::string host = (*server)->hostSpec();
  std::cout << "\n== " << c.title << " (" << host << ")\n";

  // the doctor, 5 times
  std::vector<double> wall, toWinner;
  nlohmann::json last;
  for (int i = 0; i < 5; ++i) {
    lab::TempDir dir;
    DoctorEnvironment env(dir.path());
    std::vector<std::string> args{host};
    args.insert(args.end(), c.doctorArgs.begin(), c.doctorArgs.end());
    const auto run = diagnoseJson(RDPDOCTOR_BIN, args, env);
    if (run.process.exitCode != 0 || !run.json.is_object()) {
      toolError("rdpdoctor: " + run.describe());
      return;
    }
    wall.push_back(static_cast<double>(run.process.elapsed.count()));
    double t = run.json["probe"].is_object() ? run.json["probe"].value("elapsed_ms", 0.0) : 0.0;
    for (const auto& a : ranAttempts(run.json)) {
      t += a["elapsed_ms"].get<double>();
      if (a["result"] == "ok") break;
    }
    toWinner.push_back(t);
    last = run.json;
  }
  const double doctorWall = median(wall), doctorWinner = median(toWinner);
  std::cout << "winner: " << last["winner"]["summary"].get<std::string>()
            << " (xfreerdp_reproducible " << last["winner"]["xfreerdp_reproducible"] << ")\n";
  std::printf(
      "doctor  whole run median %7.0f ms   time until the winner median %7.0f ms   (5 runs)\n",
      doctorWall, doctorWinner);

  // one xfreerdp run with the known-good flags
  double one = 0;
  if (!c.knownGood.empty()) {
    std::vector<double> t;
    for (int i = 0; i < 5; ++i) {
      std::vector<std::string> args{"/v:" + (*server)->address(),
                                    "/port:" + std::to_string((*server)->port())};
      args.insert(args.end(), c.knownGood.begin(), c.knownGood.end());
      const auto r = xf.run(args);
      if (r.exitCode != 0) {
        toolError("known-good xfreerdp run failed: " + r.describe() + "\n" + r.out.substr(0, 1500));
        return;
      }
      t.push_back(static_cast<double>(r.elapsed.count()));
    }
    one = median(t);
    std::printf("xfreerdp known-good run median %7.0f ms (5 runs)\n", one);
  } else {
    std::cout << "xfreerdp known-good run: none exists (" << c.knownGoodNote << ")\n";
  }

  // a sequential xfreerdp loop over the rungs our ladder tried
  std::vector<std::vector<std::string>> rungs;
  for (const auto& a : ranRungs(last))
    rungs.push_back(a["profile"]["xfreerdp_args"].get<std::vector<std::string>>());
  std::vector<double> loops;
  bool loopFound = false;
  for (int i = 0; i < 3; ++i) {
    double t = 0;
    loopFound = false;
    for (const auto& args : rungs) {
      const auto r = xf.run(args);
      t += static_cast<double>(r.elapsed.count());
      if (r.exitCode == 0) {
        loopFound = true;
        break;
      }
    }
    loops.push_back(t);
  }
  const double loop = median(loops);
  std::printf("xfreerdp loop over our %zu rungs median %7.0f ms (3 runs; %s)\n", rungs.size(), loop,
              loopFound ? "it found a working rung" : "no rung worked for xfreerdp");
  if (one > 0)
    std::printf(
        "ratio doctor-until-winner / known-good = %.2fx (target <= 1.2x); whole run / known-good = "
        "%.2fx\n",
        doctorWinner / one, doctorWall / one);
  std::printf("ratio loop / doctor-until-winner = %.2fx (target >= 5x); loop / whole run = %.2fx\n",
              loop / doctorWinner, loop / doctorWall);
}

}  // namespace

int main() {
  auto display = lab::startDisplay();
  if (!display) {
    std::cerr << "TOOL ERROR: Xvfb did not start: " << display.error().message() << std::endl;
    return 1;
  }
  lab::TempDir home;
  const Xfreerdp xf{(*display)->name(), home.path().string()};
  // --cert accept-once below: a timed, non-interactive run beside xfreerdp's /cert:ignore; a
  // terminal question would time the person answering it
  bench({"legacy TLS 1.0 ECDHE host (xrdp-tls10-ecdhe)",
         {.kind = lab::Kind::XrdpTls10Ecdhe},
         {"--security", "tls", "--cert", "accept-once"},
         {"/sec:tls", "/tls-seclevel:0"},
         ""},
        xf);
  bench({"standard-RDP-only host (xrdp-rdp, crypt_level high)",
         {.kind = lab::Kind::XrdpRdp, .cryptLevel = "high"},
         {"--min-security", "rdp", "--cert", "accept-once"},
         {},
         "the classic MAC that xrdp needs below FIPS has no xfreerdp 2.11 option: xfreerdp cannot "
         "connect"},
        xf);
  bench({"standard-RDP-only host (xrdp-rdp, crypt_level fips)",
         {.kind = lab::Kind::XrdpRdp, .cryptLevel = "fips"},
         {"--min-security", "rdp", "--cert", "accept-once"},
         {"/sec:rdp"},
         ""},
        xf);
  std::cout << std::endl;
  return g_toolError ? 1 : 0;
}
