// TPKT framing over a real socket pair, with deadlines (no sleeps: the deadline is the wait).
#include "socket.hpp"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <asio/post.hpp>

#include "check_pool.hpp"

namespace rdpdoctor::probe {
namespace {

struct Pair {
  int ours = -1;  // handed to the event loop by recv()
  int peer = -1;
  Pair() {
    int fds[2];
    EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, fds), 0);
    ours = fds[0];
    peer = fds[1];
  }
  ~Pair() {
    if (ours >= 0) ::close(ours);
    if (peer >= 0) ::close(peer);
  }
  /// recvTpkt on our end, on a fresh event loop, until `deadline`.
  Result<wire::Bytes> recv(Deadline deadline, wire::Bytes& seen) {
    auto task = [](int fd, Deadline d, wire::Bytes& out) -> Task<Result<wire::Bytes>> {
      Socket s(co_await asio::this_coro::executor, fd);
      co_return co_await recvTpkt(s, d, out);
    };
    const int fd = std::exchange(ours, -1);
    return runToCompletion(task(fd, deadline, seen));
  }
  void send(const wire::Bytes& b) const {
    EXPECT_EQ(::write(peer, b.data(), b.size()), static_cast<ssize_t>(b.size()));
  }
};

const wire::Bytes kConfirm{0x03, 0x00, 0x00, 0x13, 0x0e, 0xd0, 0x00, 0x00, 0x12, 0x34,
                           0x00, 0x02, 0x01, 0x08, 0x00, 0x01, 0x00, 0x00, 0x00};

TEST(RecvTpkt, ReadsExactlyOnePduAndLeavesTheRest) {
  Pair p;
  wire::Bytes twice = kConfirm;
  twice.insert(twice.end(), kConfirm.begin(), kConfirm.end());
  p.send(twice);
  wire::Bytes seen;
  auto pdu = p.recv(Deadline::after(std::chrono::milliseconds(1000)), seen);
  ASSERT_TRUE(pdu.ok()) << pdu.error().message();
  EXPECT_EQ(*pdu, kConfirm);
  EXPECT_EQ(seen, kConfirm);
}

TEST(RecvTpkt, SilenceEndsAtTheDeadline) {
  Pair p;
  p.send({0x03, 0x00});
  wire::Bytes seen;
  const auto start = Clock::now();
  auto pdu = p.recv(Deadline::after(std::chrono::milliseconds(50)), seen);
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
    EXPECT_EQ(p.recv(Deadline::after(std::chrono::milliseconds(1000)), seen).error().code,
              "closed");
  }
  Pair p;
  p.send({'H', 'T', 'T', 'P', '/', '1', '.', '1'});
  wire::Bytes seen;
  auto pdu = p.recv(Deadline::after(std::chrono::milliseconds(1000)), seen);
  ASSERT_FALSE(pdu.ok());
  EXPECT_EQ(pdu.error().code, "not-tpkt");
}

struct PoolCount {
  int active = 0;
  int maxActive = 0;
  int done = 0;
};

/// A check that stays in flight for a few turns of the event loop.
Task<void> busyCheck(PoolCount& c) {
  c.maxActive = std::max(c.maxActive, ++c.active);
  for (int turn = 0; turn < 3; ++turn)
    co_await asio::post(co_await asio::this_coro::executor, asio::use_awaitable);
  --c.active;
  ++c.done;
}

Task<bool> runPool(unsigned width, int tasks, PoolCount& c) {
  CheckPool pool(width);
  for (int i = 0; i < tasks; ++i) pool.add([&c] { return busyCheck(c); });
  co_await pool.run();
  co_return true;
}

TEST(CheckPool, RunsEveryTaskWithAtMostItsWidthInFlight) {
  PoolCount c;
  EXPECT_TRUE(runToCompletion(runPool(3, 7, c)));
  EXPECT_EQ(c.done, 7);
  EXPECT_EQ(c.maxActive, 3);
}

TEST(CheckPool, AnEmptyPoolReturnsAtOnce) {
  PoolCount c;
  EXPECT_TRUE(runToCompletion(runPool(3, 0, c)));
  EXPECT_EQ(c.done, 0);
}

}  // namespace
}  // namespace rdpdoctor::probe
