#pragma once
// Children of the lab are spawned from one long-lived thread with PR_SET_PDEATHSIG=SIGKILL (via
// setpriv): the kernel ties that signal to the spawning *thread*, so spawning from this thread
// (which lives as long as the process) means servers die with the test process even when it is
// SIGKILLed (a CTest timeout, a crash) and never with a short-lived caller thread.
#include <sys/types.h>

#include <functional>

#include "rdpdoctor/result.hpp"

namespace rdpdoctor::lab {

/// Runs `spawn` on the keeper thread and returns its result (directly in a fork()ed copy of the
/// process, which has no keeper thread).
[[nodiscard]] Result<pid_t> onKeeperThread(const std::function<Result<pid_t>()>& spawn);

}  // namespace rdpdoctor::lab
