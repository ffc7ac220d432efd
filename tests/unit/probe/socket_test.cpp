// TPKT framing over a real socket pair, with deadlines (no sleeps: the deadline is the wait).
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <mutex>

#include "check_pool.hpp"
#include "socket.hpp"

namespace rdpdoctor::probe {
namespace {

struct Pair {
  Socket ours;
  int peer = -1;
  Pair() {
    int fds[2];
    EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, fds), 0);
    ours = Socket(fds[0]);
    peer = fds[1];
  }
  ~Pair() {
    if (peer >= 0) ::close(peer);
  }
  void send(const wire::Bytes& b) const { EXPECT_EQ(::write(peer, b.data(), b.size()), static_cast<ssize_t>(b.size())); }
};

const wire::Bytes kConfirm{0x03, 0x00, 0x00, 0x13, 0x0e, 0xd0, 0x00, 0x00, 0x12, 0x34, 0x00,
                           0x02, 0x01, 0x08, 0x00, 0x01, 0x00, 0x00, 0x00};

TEST(RecvTpkt, ReadsExactlyOnePduAndLeavesTheRest) {
  Pair p;
  wire::Bytes twice = kConfirm;
  twice.insert(twice.end(), kConfirm.begin(), kConfirm.end());
  p.send(twice);
  wire::Bytes seen;
  auto pdu = recvTpkt(p.ours, Deadline::after(std::chrono::milliseconds(1000)), seen);
  ASSERT_TRUE(pdu.ok()) << pdu.error().message();
  EXPECT_EQ(*pdu, kConfirm);
  EXPECT_EQ(seen, kConfirm);
}

TEST(RecvTpkt, SilenceEndsAtTheDeadline) {
  Pair p;
  p.send({0x03, 0x00});
  wire::Bytes seen;
  const auto start = Clock::now();
  auto pdu = recvTpkt(p.ours, Deadline::after(std::chrono::milliseconds(50)), seen);
  ASSERT_FALSE(pdu.ok());
  EXPECT_EQ(pdu.error().code, "timeout");
  EXPECT_GE(msSince(start), 49);
  EXPECT_EQ(seen, (wire::Bytes{0x03, 0x00}));
}

TEST(RecvTpkt, CloseAndGarbageAreNamed) {
  {
    Pair p;
    ::close(p.peer);
    p.peer = -1;
    wire::Bytes seen;
    EXPECT_EQ(recvTpkt(p.ours, Deadline::after(std::chrono::milliseconds(1000)), seen).error().code, "closed");
  }
  Pair p;
  p.send({'H', 'T', 'T', 'P', '/', '1', '.', '1'});
  wire::Bytes seen;
  auto pdu = recvTpkt(p.ours, Deadline::after(std::chrono::milliseconds(1000)), seen);
  ASSERT_FALSE(pdu.ok());
  EXPECT_EQ(pdu.error().code, "not-tpkt");
}

TEST(CheckPool, RunsEveryTaskWithAtMostItsWidthInFlight) {
  CheckPool pool(3);
  std::mutex m;
  std::condition_variable cv;
  int active = 0;
  int maxActive = 0;
  std::atomic<int> done{0};
  for (int i = 0; i < 7; ++i) {
    pool.add([&] {
      std::unique_lock lock(m);
      maxActive = std::max(maxActive, ++active);
      cv.notify_all();
      cv.wait_for(lock, std::chrono::milliseconds(200), [&] { return active >= 3; });
      --active;
      ++done;
    });
  }
  pool.run();
  EXPECT_EQ(done.load(), 7);
  EXPECT_EQ(maxActive, 3);
}

}  // namespace
}  // namespace rdpdoctor::probe
