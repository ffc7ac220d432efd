// bench: `rdpdoctor probe` vs `nmap -Pn -p PORT --script +rdp-enum-encryption 127.0.0.1` on the
// same lab hosts in one run. Prints median wall times and ratios, and every claim where the two
// disagree with which one is right (the truth comes from each lab server's configuration).
// Fails (exit 1) when a lab server cannot start, a tool errors out or produces no result.
#include <sys/wait.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "nmap_output.hpp"
#include "rdpdoctor/lab/lab.hpp"
#include "rdpdoctor/probe/prober.hpp"

namespace {

using namespace rdpdoctor;
using Clock = std::chrono::steady_clock;

constexpr int kProbeRuns = 5;
constexpr int kCliRuns = 3;
constexpr int kNmapRuns = 3;

struct Host {
  lab::Kind kind;
  const char* crypt;
  bench::Claims truth;  // what the lab configuration implies
};

bench::Claims truth(bool rdp, bool ssl, bool nla, const char* methods, const char* level) {
  const std::string m = methods;
  return {{"Native RDP", rdp ? "yes" : "no"}, {"SSL", ssl ? "yes" : "no"}, {"CredSSP (NLA)", nla ? "yes" : "no"},
          {"RDSTLS", "no"}, {"CredSSP with Early User Auth", "no"},
          {"40-bit RC4", m == "40" ? "yes" : "no"}, {"56-bit RC4", "no"}, {"128-bit RC4", m == "128" ? "yes" : "no"},
          {"FIPS 140-1", m == "FIPS" ? "yes" : "no"}, {"level", level}};
}

std::vector<Host> hosts() {
  // xrdp 0.9.21 has no NLA, RDSTLS or HYBRID_EX; crypt_level high = 128-bit only; FreeRDP 2.11's
  // shadow server has no RDSTLS/HYBRID_EX and encrypts nothing under standard RDP security.
  return {{lab::Kind::XrdpNegotiate, "high", truth(true, true, false, "128", "High")},
          {lab::Kind::XrdpTls, "high", truth(false, true, false, "", "n/a")},
          {lab::Kind::XrdpRdp, "high", truth(true, false, false, "128", "High")},
          {lab::Kind::ShadowNla, "high", truth(false, false, true, "", "n/a")},
          {lab::Kind::ShadowRdp, "high", truth(true, false, false, "", "None")},
          // in-process fault endpoint: answers at once, so this row shows each tool's own overhead
          {lab::Kind::FaultResetAfterConfirm, "high", truth(true, true, false, "", "n/a")}};
}

struct Command {
  int exitCode = -1;
  std::string out;
  double ms = 0;
};

Command run(const std::string& command) {
  Command c;
  const auto start = Clock::now();
  FILE* p = ::popen((command + " 2>&1").c_str(), "r");
  if (p == nullptr) return c;
  std::array<char, 4096> buf{};
  while (const std::size_t n = std::fread(buf.data(), 1, buf.size(), p)) c.out.append(buf.data(), n);
  const int status = ::pclose(p);
  c.ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  c.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return c;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

struct Row {
  std::string name;
  double probeMs = 0;
  double cliMs = 0;
  double nmapMs = 0;
  bench::Claims ours;
  bench::NmapRun nmap;
  bench::Claims truth;
};

std::string hostName(const Host& h) {
  std::string n(lab::toString(h.kind));
  if (h.kind == lab::Kind::XrdpRdp) n += "/" + std::string(h.crypt);
  return n;
}

/// Runs every tool on one host; false (with a message) when one errors out or gives nothing.
bool measure(const Host& h, Row& row) {
  lab::ServerOptions o;
  o.kind = h.kind;
  o.cryptLevel = h.crypt;
  auto server = lab::start(o);
  if (!server) return std::cerr << "bench: " << server.error().message() << "\n", false;
  const auto spec = parseHostSpec((*server)->hostSpec());
  if (!spec) return std::cerr << "bench: bad host spec\n", false;
  // runs interleave (probe, CLI, nmap, probe, ...) so a busy moment of the machine hits all tools
  std::vector<double> probeMs, cliMs, nmapMs;
  probe::ProbeResult last;
  Command nmap;
  for (int i = 0; i < std::max({kProbeRuns, kCliRuns, kNmapRuns}); ++i) {
    if (i < kProbeRuns) {
      const auto start = Clock::now();
      last = probe::probeHost(*spec);
      probeMs.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
      if (last.negotiation.empty()) return std::cerr << "bench: the probe produced no negotiation result\n", false;
    }
    if (i < kCliRuns) {
      const auto c = run(std::string(RDPDOCTOR_BINARY) + " probe " + (*server)->hostSpec() + " --json -");
      if ((c.exitCode != 0 && c.exitCode != 1) || c.out.find("rdpdoctor/probe@1") == std::string::npos)
        return std::cerr << "bench: rdpdoctor probe failed (exit " << c.exitCode << "): " << c.out << "\n", false;
      cliMs.push_back(c.ms);
    }
    if (i < kNmapRuns) {
      nmap = run("nmap -Pn -p " + std::to_string((*server)->port()) + " --script +rdp-enum-encryption 127.0.0.1");
      if (nmap.exitCode != 0) return std::cerr << "bench: nmap failed (exit " << nmap.exitCode << "): " << nmap.out << "\n", false;
      nmapMs.push_back(nmap.ms);
    }
  }
  row = {hostName(h), median(probeMs), median(cliMs), median(nmapMs), bench::claimsOf(last), bench::parseNmap(nmap.out), h.truth};
  if (!row.nmap.scriptRan) return std::cerr << "bench: nmap printed no rdp-enum-encryption result:\n" << nmap.out, false;
  return true;
}

void printTimes(const std::vector<Row>& rows) {
  std::printf("\n%-26s %12s %12s %12s %14s %12s\n", "host", "probe (lib)", "probe (CLI)", "nmap", "nmap/lib", "nmap/CLI");
  std::vector<double> libRatio, cliRatio;
  for (const auto& r : rows) {
    libRatio.push_back(r.nmapMs / std::max(r.probeMs, 0.001));
    cliRatio.push_back(r.nmapMs / std::max(r.cliMs, 0.001));
    std::printf("%-26s %9.1f ms %9.1f ms %9.1f ms %13.1fx %11.1fx\n", r.name.c_str(), r.probeMs, r.cliMs, r.nmapMs,
                libRatio.back(), cliRatio.back());
  }
  std::printf("median ratio over hosts: nmap/probe(lib) %.1fx, nmap/probe(CLI incl. process start) %.1fx\n",
              median(libRatio), median(cliRatio));
  std::printf("(medians of %d library probes, %d CLI runs and %d nmap runs per host)\n", kProbeRuns, kCliRuns, kNmapRuns);
}

void printDisagreements(const std::vector<Row>& rows) {
  std::printf("\n%-26s %-30s %-14s %-8s %-8s %s\n", "host", "claim", "nmap", "probe", "truth", "right");
  int n = 0;
  for (const auto& r : rows) {
    for (const auto& name : bench::claimNames()) {
      const std::string nm = r.nmap.scriptFailed ? "script-error" : r.nmap.claims.at(name);
      const std::string ours = r.ours.at(name);
      if (nm == ours) continue;
      const std::string& t = r.truth.at(name);
      const char* right = ours == t ? (nm == t ? "both" : "probe") : (nm == t ? "nmap" : "neither");
      std::printf("%-26s %-30s %-14s %-8s %-8s %s\n", r.name.c_str(), name.c_str(), nm.c_str(), ours.c_str(), t.c_str(), right);
      ++n;
    }
  }
  std::printf("%d disagreement(s)\n", n);
}

}  // namespace

int main() {
  std::vector<Row> rows;
  for (const auto& h : hosts()) {
    Row row;
    std::cerr << "bench: " << hostName(h) << " ..." << std::endl;
    if (!measure(h, row)) return 1;
    rows.push_back(std::move(row));
  }
  printTimes(rows);
  printDisagreements(rows);
  return 0;
}
