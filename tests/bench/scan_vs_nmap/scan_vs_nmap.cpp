// bench: `rdpdoctor scan` vs ONE `nmap -Pn -p PORTS --script +rdp-enum-encryption 127.0.0.1` run
// over the same few hundred endpoints of tests/lab's fleet (one process: nla, tls, negotiate, rdp,
// pre-vista, refused, silent), as an administrator would run each. Prints wall times, the ratio,
// how many hosts' facts the scan got right (by the fleet's rules), and the scan's peak RSS at 50
// and at 500 hosts. Fails (exit 1) when the fleet cannot start or a tool errors out.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

struct Run {
  int exitCode = -1;
  std::string out;
  double ms = 0;
  long peakRssKb = 0;
};

/// Runs argv to completion, stdout captured, stderr dropped; wall time and peak RSS (wait4).
Run run(const std::vector<std::string>& argv) {
  Run r;
  int out[2];
  if (::pipe2(out, O_CLOEXEC) != 0) return r;
  const auto start = Clock::now();
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(out[1], STDOUT_FILENO);
    const int null = ::open("/dev/null", O_WRONLY);
    ::dup2(null, STDERR_FILENO);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    ::execvp(args[0], args.data());
    ::_exit(127);
  }
  ::close(out[1]);
  char buf[65536];
  for (ssize_t n; (n = ::read(out[0], buf, sizeof(buf))) > 0;)
    r.out.append(buf, static_cast<std::size_t>(n));
  ::close(out[0]);
  int status = 0;
  rusage usage{};
  ::wait4(pid, &status, 0, &usage);
  r.ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  r.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.peakRssKb = usage.ru_maxrss;
  return r;
}

struct Fleet {
  pid_t pid = -1;
  std::vector<std::pair<std::string, std::string>> endpoints;  // host:port, kind
  ~Fleet() {
    if (pid > 0) {
      ::kill(pid, SIGTERM);
      ::waitpid(pid, nullptr, 0);
    }
  }
};

bool startFleet(Fleet& f, int each) {
  int out[2];
  if (::pipe2(out, O_CLOEXEC) != 0) return false;
  f.pid = ::fork();
  if (f.pid == 0) {
    ::dup2(out[1], STDOUT_FILENO);
    const std::string n = std::to_string(each);
    ::execl(RDPDOCTOR_FLEET, RDPDOCTOR_FLEET, "--each", n.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::close(out[1]);
  std::string text;
  const auto until = Clock::now() + std::chrono::seconds(20);
  while (text.find("READY\n") == std::string::npos && Clock::now() < until) {
    pollfd p{out[0], POLLIN, 0};
    if (::poll(&p, 1, 1000) <= 0) continue;
    char buf[4096];
    const ssize_t n = ::read(out[0], buf, sizeof(buf));
    if (n <= 0) break;
    text.append(buf, static_cast<std::size_t>(n));
  }
  ::close(out[0]);
  std::istringstream in(text);
  for (std::string spec, kind; in >> spec && spec != "READY" && in >> kind;)
    f.endpoints.emplace_back(spec, kind);
  return text.find("READY\n") != std::string::npos;
}

std::string answerOf(const std::string& kind) {
  if (kind == "refused") return "unreachable";
  if (kind == "silent") return "timeout";
  return "works";
}

std::string writeInventory(const std::vector<std::pair<std::string, std::string>>& e, std::size_t n,
                           const std::string& path) {
  std::ofstream out(path);
  for (std::size_t i = 0; i < n && i < e.size(); ++i) out << e[i].first << "\n";
  return path;
}

}  // namespace

int main() {
  char dirTemplate[] = "/tmp/rdpdoctor-bench-scan-XXXXXX";
  const std::string dir = ::mkdtemp(dirTemplate);
  // 43 of each kind = 301 endpoints for the nmap comparison; 72 of each = 504 for the RSS one
  Fleet fleet;
  if (!startFleet(fleet, 72)) return std::cerr << "bench: the fleet did not start\n", 1;
  std::vector<std::pair<std::string, std::string>> nmapSet(fleet.endpoints.begin(),
                                                           fleet.endpoints.begin() + 301);
  const auto inventory = writeInventory(nmapSet, nmapSet.size(), dir + "/fleet.txt");
  const auto scan = run({RDPDOCTOR_BINARY, "scan", inventory, "--json", "-"});
  if (scan.exitCode != 0)
    return std::cerr << "bench: scan failed (exit " << scan.exitCode << ")\n", 1;
  std::map<std::string, std::string> kindOf(nmapSet.begin(), nmapSet.end());
  std::size_t right = 0;
  std::size_t lines = 0;
  std::map<std::string, std::pair<int, int>> byKind;  // right, total
  std::istringstream in(scan.out);
  for (std::string line; std::getline(in, line);) {
    const auto j = nlohmann::json::parse(line);
    if (j["schema"] != "rdpdoctor/probe@1") continue;
    ++lines;
    const auto spec = j["host"].get<std::string>() + ":" + std::to_string(j["port"].get<int>());
    const auto kind = kindOf[spec];
    const bool ok = j["answer"] == answerOf(kind);
    byKind[kind].second++;
    if (ok) byKind[kind].first++, ++right;
  }
  std::string ports;
  for (const auto& [spec, kind] : nmapSet)
    ports += (ports.empty() ? "" : ",") + spec.substr(spec.rfind(':') + 1);
  const auto nmap =
      run({"nmap", "-Pn", "-p", ports, "--script", "+rdp-enum-encryption", "127.0.0.1"});
  if (nmap.exitCode != 0)
    return std::cerr << "bench: nmap failed (exit " << nmap.exitCode << ")\n", 1;
  std::size_t nmapResults = 0;
  for (auto at = nmap.out.find("| rdp-enum-encryption:"); at != std::string::npos;
       at = nmap.out.find("| rdp-enum-encryption:", at + 1))
    ++nmapResults;

  std::printf("\n%zu endpoints of tests/lab's fleet (7 kinds), one run of each tool\n",
              nmapSet.size());
  std::printf("%-34s %10.0f ms  %zu host lines, facts right on %zu of %zu\n", "rdpdoctor scan",
              scan.ms, lines, right, nmapSet.size());
  for (const auto& [kind, rt] : byKind)
    std::printf("    %-12s %d/%d right\n", kind.c_str(), rt.first, rt.second);
  std::printf("%-34s %10.0f ms  rdp-enum-encryption output for %zu ports\n",
              "nmap --script rdp-enum-encryption", nmap.ms, nmapResults);
  std::printf("ratio nmap/scan: %.1fx (target >= 10x)\n", nmap.ms / std::max(scan.ms, 1.0));

  const auto small = run({RDPDOCTOR_BINARY, "scan",
                          writeInventory(fleet.endpoints, 50, dir + "/50.txt"), "--json", "-"});
  const auto large = run({RDPDOCTOR_BINARY, "scan",
                          writeInventory(fleet.endpoints, 500, dir + "/500.txt"), "--json", "-"});
  if (small.exitCode != 0 || large.exitCode != 0) return std::cerr << "bench: scan failed\n", 1;
  std::printf(
      "\npeak RSS of rdpdoctor scan: %ld KB at 50 hosts (%.0f ms), %ld KB at 500 hosts "
      "(%.0f ms): %.2fx (target <= 1.5x)\n",
      small.peakRssKb, small.ms, large.peakRssKb, large.ms,
      static_cast<double>(large.peakRssKb) / std::max(small.peakRssKb, 1L));
  std::filesystem::remove_all(dir);
  return right == nmapSet.size() ? 0 : 1;
}
