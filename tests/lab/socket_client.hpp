#pragma once
// A tiny blocking TCP client for the lab tests (byte-level checks of the fault endpoints).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace rdpdoctor::lab {

/// MS-RDPBCGR 2.2.1.1: TPKT + X.224 CR + "Cookie: mstshash=lab" + RDP_NEG_REQ(protocols).
inline std::vector<std::uint8_t> connectionRequest(std::uint32_t protocols) {
  const std::string cookie = "Cookie: mstshash=lab\r\n";
  std::vector<std::uint8_t> pdu;
  pdu.reserve(64);
  for (std::uint8_t b : {0x03, 0x00, 0x00, 0x00}) pdu.push_back(b);  // TPKT, length below
  for (std::uint8_t b : {0x00, 0xe0, 0x00, 0x00, 0x00, 0x00, 0x00}) pdu.push_back(b);  // X.224 CR
  for (char c : cookie) pdu.push_back(static_cast<std::uint8_t>(c));
  for (std::uint8_t b : {0x01, 0x00, 0x08, 0x00}) pdu.push_back(b);  // RDP_NEG_REQ
  for (unsigned shift = 0; shift < 32; shift += 8) {
    pdu.push_back(static_cast<std::uint8_t>((protocols >> shift) & 0xFFU));
  }
  pdu[2] = static_cast<std::uint8_t>((pdu.size() >> 8U) & 0xFFU);
  pdu[3] = static_cast<std::uint8_t>(pdu.size() & 0xFFU);
  pdu[4] = static_cast<std::uint8_t>(pdu.size() - 5);  // X.224 length indicator
  return pdu;
}

class SocketClient {
 public:
  SocketClient(const std::string& address, std::uint16_t port) {
    sockaddr_in v4{};
    sockaddr_in6 v6{};
    if (::inet_pton(AF_INET, address.c_str(), &v4.sin_addr) == 1) {
      v4.sin_family = AF_INET;
      v4.sin_port = htons(port);
      fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
      connected_ = fd_ >= 0 && ::connect(fd_, reinterpret_cast<sockaddr*>(&v4), sizeof(v4)) == 0;
    } else if (::inet_pton(AF_INET6, address.c_str(), &v6.sin6_addr) == 1) {
      v6.sin6_family = AF_INET6;
      v6.sin6_port = htons(port);
      fd_ = ::socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
      connected_ = fd_ >= 0 && ::connect(fd_, reinterpret_cast<sockaddr*>(&v6), sizeof(v6)) == 0;
    }
  }
  ~SocketClient() {
    if (fd_ >= 0) ::close(fd_);
  }
  SocketClient(const SocketClient&) = delete;
  SocketClient& operator=(const SocketClient&) = delete;

  [[nodiscard]] bool connected() const { return connected_; }
  [[nodiscard]] bool wasReset() const { return reset_; }

  bool send(const std::vector<std::uint8_t>& bytes) {
    if (!connected_) return false;
    return ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL) ==
           static_cast<ssize_t>(bytes.size());
  }

  bool readableWithin(std::chrono::milliseconds timeout) {
    pollfd p{fd_, POLLIN, 0};
    return ::poll(&p, 1, static_cast<int>(timeout.count())) > 0;
  }

  /// Everything received until the peer closes (FIN or RST) or the timeout passes.
  std::vector<std::uint8_t> receiveUntilClosed(std::chrono::milliseconds timeout) {
    std::vector<std::uint8_t> out;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (!readableWithin(left)) break;
      std::array<std::uint8_t, 512> buf{};
      const ssize_t n = ::recv(fd_, buf.data(), buf.size(), 0);
      if (n < 0) {
        reset_ = errno == ECONNRESET;
        break;
      }
      if (n == 0) break;
      out.insert(out.end(), buf.begin(), buf.begin() + n);
    }
    return out;
  }

 private:
  int fd_ = -1;
  bool connected_ = false;
  bool reset_ = false;
};

}  // namespace rdpdoctor::lab
