#include "io.hpp"

#include <pthread.h>
#include <signal.h>

#include <ctime>

namespace rdpdoctor::probe {
namespace {

sigset_t sigpipeSet() {
  sigset_t s;
  sigemptyset(&s);
  sigaddset(&s, SIGPIPE);
  return s;
}

}  // namespace

SigpipeBlock::SigpipeBlock() {
  const sigset_t pipe = sigpipeSet();
  sigset_t old;
  pthread_sigmask(SIG_BLOCK, &pipe, &old);
  wasBlocked_ = sigismember(&old, SIGPIPE) == 1;
}

SigpipeBlock::~SigpipeBlock() {
  if (wasBlocked_) return;
  const sigset_t pipe = sigpipeSet();
  const timespec now{0, 0};
  while (::sigtimedwait(&pipe, nullptr, &now) == SIGPIPE) {
  }
  pthread_sigmask(SIG_UNBLOCK, &pipe, nullptr);
}

}  // namespace rdpdoctor::probe
