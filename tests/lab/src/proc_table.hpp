#pragma once
// A snapshot of /proc: enough to find a server's descendants and a user's processes.
#include <sys/types.h>

#include <string>
#include <vector>

namespace rdpdoctor::lab {

struct ProcInfo {
  pid_t pid = 0;
  pid_t ppid = 0;
  uid_t uid = 0;  // real uid
  char state = '?';
  std::vector<std::string> argv;
};

[[nodiscard]] std::vector<ProcInfo> listProcesses();

/// Every live descendant of `root` (not `root` itself) in `table`.
[[nodiscard]] std::vector<pid_t> descendantsOf(const std::vector<ProcInfo>& table, pid_t root);

/// Every live process of `uid` in `table`.
[[nodiscard]] std::vector<pid_t> processesOf(const std::vector<ProcInfo>& table, uid_t uid);

}  // namespace rdpdoctor::lab
