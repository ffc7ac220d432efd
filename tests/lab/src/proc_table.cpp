#include "proc_table.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace rdpdoctor::lab {
namespace {

bool parseStat(const std::filesystem::path& dir, ProcInfo& info) {
  std::ifstream stat(dir / "stat");
  std::string line;
  if (!std::getline(stat, line)) return false;
  const auto close = line.rfind(')');  // the command name may contain spaces and parentheses
  if (close == std::string::npos) return false;
  std::istringstream rest(line.substr(close + 1));
  long ppid = 0;
  rest >> info.state >> ppid;
  info.ppid = static_cast<pid_t>(ppid);
  return static_cast<bool>(rest);
}

void parseUid(const std::filesystem::path& dir, ProcInfo& info) {
  std::ifstream status(dir / "status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("Uid:", 0) == 0) {
      std::istringstream in(line.substr(4));
      unsigned long uid = 0;
      in >> uid;
      info.uid = static_cast<uid_t>(uid);
      return;
    }
  }
}

void parseCmdline(const std::filesystem::path& dir, ProcInfo& info) {
  std::ifstream in(dir / "cmdline", std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  const std::string raw = buffer.str();
  std::string arg;
  for (char c : raw) {
    if (c == '\0') {
      info.argv.push_back(arg);
      arg.clear();
    } else {
      arg += c;
    }
  }
  if (!arg.empty()) info.argv.push_back(arg);
}

}  // namespace

std::vector<ProcInfo> listProcesses() {
  std::vector<ProcInfo> out;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/proc", ec)) {
    const auto name = entry.path().filename().string();
    if (name.empty() || !std::all_of(name.begin(), name.end(), ::isdigit)) continue;
    ProcInfo info;
    info.pid = static_cast<pid_t>(std::stol(name));
    if (!parseStat(entry.path(), info)) continue;  // gone meanwhile
    parseUid(entry.path(), info);
    parseCmdline(entry.path(), info);
    out.push_back(std::move(info));
  }
  return out;
}

std::vector<pid_t> descendantsOf(const std::vector<ProcInfo>& table, pid_t root) {
  std::vector<pid_t> found;
  std::vector<pid_t> frontier{root};
  while (!frontier.empty()) {
    const pid_t parent = frontier.back();
    frontier.pop_back();
    for (const auto& p : table) {
      if (p.ppid == parent && p.state != 'Z') {
        found.push_back(p.pid);
        frontier.push_back(p.pid);
      }
    }
  }
  return found;
}

std::vector<pid_t> processesOf(const std::vector<ProcInfo>& table, uid_t uid) {
  std::vector<pid_t> found;
  for (const auto& p : table) {
    if (p.uid == uid && p.state != 'Z') found.push_back(p.pid);
  }
  return found;
}

}  // namespace rdpdoctor::lab
