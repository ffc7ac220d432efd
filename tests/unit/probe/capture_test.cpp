// The probe's capture: what a real loopback connection sent and received is recorded in order
// (only while a capture runs), and the pcapng made of it is well-formed block by block.
#include "rdpdoctor/probe/capture.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>

#include "rdpdoctor/probe/capture_relay.hpp"
#include "socket.hpp"

namespace rdpdoctor::probe {
namespace {

const wire::Bytes kConfirm{0x03, 0x00, 0x00, 0x13, 0x0e, 0xd0, 0x00, 0x00, 0x12, 0x34,
                           0x00, 0x02, 0x01, 0x08, 0x00, 0x01, 0x00, 0x00, 0x00};
const wire::Bytes kRequest{0x03, 0x00, 0x00, 0x0b, 0x06, 0xe0, 0x00, 0x00, 0x00, 0x00, 0x00};

struct Listener {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  Endpoint at;
  Listener() {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
    EXPECT_EQ(::listen(fd, 1), 0);
    socklen_t len = sizeof a;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    std::memcpy(&at.addr, &a, sizeof a);
    at.length = sizeof a;
    at.text = "127.0.0.1";
  }
  ~Listener() { ::close(fd); }
};

/// One exchange on the probe's event loop: we send the request, the peer answers the Confirm.
Task<std::string> exchangeTask(const Listener& l) {
  const auto within = [] { return Deadline::after(std::chrono::milliseconds(2000)); };
  auto s = co_await connectTcp(l.at, within());
  if (!s) co_return "connect: " + s.error().message();
  const int peer = ::accept(l.fd, nullptr, nullptr);
  if (peer < 0) co_return "accept failed";
  std::string failure;
  if (auto st = co_await sendAll(*s, kRequest, within()); !st)
    failure = "send: " + st.error().message();
  if (::write(peer, kConfirm.data(), kConfirm.size()) != static_cast<ssize_t>(kConfirm.size()))
    failure = "the peer could not write";
  wire::Bytes seen;
  if (auto pdu = co_await recvTpkt(*s, within(), seen); failure.empty() && !pdu)
    failure = "recv: " + pdu.error().message();
  ::close(peer);
  co_return failure;
}

void exchange(const Listener& l) { ASSERT_EQ(runToCompletion(exchangeTask(l)), ""); }

std::uint32_t le32(const std::vector<std::uint8_t>& b, std::size_t at) {
  return static_cast<std::uint32_t>(b[at] | b[at + 1] << 8 | b[at + 2] << 16 | b[at + 3] << 24);
}

TEST(Capture, RecordsBothDirectionsOfARealConnectionInOrder) {
  Listener l;
  startCapture();
  exchange(l);
  const auto c = stopCapture();
  ASSERT_EQ(c.connections.size(), 1u);
  const auto& conn = c.connections.front();
  EXPECT_EQ(conn.serverPort, ntohs(reinterpret_cast<const sockaddr_in*>(&l.at.addr)->sin_port));
  EXPECT_NE(conn.clientPort, 0);
  EXPECT_EQ(conn.serverAddress, (std::vector<std::uint8_t>{127, 0, 0, 1}));
  ASSERT_EQ(conn.chunks.size(), 2u);
  EXPECT_TRUE(conn.chunks[0].fromClient);
  EXPECT_EQ(conn.chunks[0].bytes, kRequest);
  EXPECT_FALSE(conn.chunks[1].fromClient);
  EXPECT_EQ(conn.chunks[1].bytes, kConfirm);
}

TEST(Capture, NothingIsRecordedWhenNoCaptureRuns) {
  Listener l;
  exchange(l);
  startCapture();
  EXPECT_TRUE(stopCapture().connections.empty());
}

/// A client that is not ours (a plain socket: no capture hooks) talks through the relay: the
/// capture holds the relay's connection to the server with both directions, and only that one.
TEST(CaptureRelay, RecordsWhatAForeignClientAndTheServerExchangedThroughIt) {
  Listener l;
  const auto serverPort = ntohs(reinterpret_cast<const sockaddr_in*>(&l.at.addr)->sin_port);
  startCapture();
  auto relay = CaptureRelay::start(HostSpec{"127.0.0.1", serverPort, false},
                                   std::chrono::milliseconds(2000));
  ASSERT_TRUE(relay.ok()) << relay.error().message();
  EXPECT_EQ((*relay)->address(), "127.0.0.1");
  const int client = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons((*relay)->port());
  ASSERT_EQ(::connect(client, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  ASSERT_EQ(::write(client, kRequest.data(), kRequest.size()),
            static_cast<ssize_t>(kRequest.size()));
  const int peer = ::accept(l.fd, nullptr, nullptr);
  ASSERT_GE(peer, 0);
  std::vector<std::uint8_t> got(kRequest.size());
  std::size_t have = 0;
  while (have < got.size()) {
    const ssize_t n = ::read(peer, got.data() + have, got.size() - have);
    ASSERT_GT(n, 0);
    have += static_cast<std::size_t>(n);
  }
  EXPECT_EQ(got, kRequest);
  ASSERT_EQ(::write(peer, kConfirm.data(), kConfirm.size()), static_cast<ssize_t>(kConfirm.size()));
  std::vector<std::uint8_t> back(kConfirm.size());
  have = 0;
  while (have < back.size()) {
    const ssize_t n = ::read(client, back.data() + have, back.size() - have);
    ASSERT_GT(n, 0);
    have += static_cast<std::size_t>(n);
  }
  EXPECT_EQ(back, kConfirm);
  ::close(client);  // the relay passes the close on; the server closes its side in turn
  char eof = 0;
  EXPECT_EQ(::read(peer, &eof, 1), 0);
  ::close(peer);
  EXPECT_TRUE((*relay)->waitUntilIdle(std::chrono::milliseconds(5000)));
  EXPECT_EQ((*relay)->forwarded(), 1u);
  relay->reset();
  const auto c = stopCapture();
  ASSERT_EQ(c.connections.size(), 1u);
  const auto& conn = c.connections.front();
  EXPECT_EQ(conn.serverPort, serverPort);
  ASSERT_EQ(conn.chunks.size(), 2u);
  EXPECT_TRUE(conn.chunks[0].fromClient);
  EXPECT_EQ(conn.chunks[0].bytes, kRequest);
  EXPECT_FALSE(conn.chunks[1].fromClient);
  EXPECT_EQ(conn.chunks[1].bytes, kConfirm);
}

TEST(Pcapng, EveryBlockIsWellFormedAndLongChunksAreSegmented) {
  Capture c;
  CapturedConnection conn;
  conn.clientAddress = {127, 0, 0, 1};
  conn.serverAddress = {127, 0, 0, 1};
  conn.clientPort = 50000;
  conn.serverPort = 3389;
  conn.chunks.push_back({true, 1, kRequest});
  conn.chunks.push_back({false, 2, std::vector<std::uint8_t>(3000, 0xAB)});
  c.connections.push_back(conn);
  const auto b = toPcapng(c);
  std::vector<std::uint32_t> types;
  std::size_t at = 0;
  while (at < b.size()) {
    ASSERT_LE(at + 12, b.size());
    const std::uint32_t type = le32(b, at);
    const std::uint32_t len = le32(b, at + 4);
    ASSERT_EQ(len % 4, 0u) << "block at " << at;
    ASSERT_LE(at + len, b.size()) << "block at " << at;
    ASSERT_EQ(le32(b, at + len - 4), len) << "block at " << at;
    types.push_back(type);
    at += len;
  }
  EXPECT_EQ(at, b.size());
  ASSERT_GE(types.size(), 2u);
  EXPECT_EQ(types[0], 0x0A0D0D0Au);
  EXPECT_EQ(types[1], 1u);
  // SYN, SYN/ACK, ACK, the request, 3000 bytes in 1400+1400+200, FIN, FIN, ACK
  EXPECT_EQ(std::count(types.begin(), types.end(), 6u), 3 + 1 + 3 + 3);
}

}  // namespace
}  // namespace rdpdoctor::probe
