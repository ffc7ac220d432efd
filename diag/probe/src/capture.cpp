// The probe's capture: a process-wide recorder fed by the socket code's hooks.
#include "rdpdoctor/probe/capture.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>

namespace rdpdoctor::probe {
namespace {

std::atomic<bool> gActive{false};
std::mutex gMutex;
Capture gCapture;
std::map<int, std::size_t> gOpen;  // fd -> index in gCapture.connections

std::int64_t nowUs() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void fill(const sockaddr_storage& a, std::vector<std::uint8_t>& address, std::uint16_t& port) {
  if (a.ss_family == AF_INET6) {
    const auto* v6 = reinterpret_cast<const sockaddr_in6*>(&a);
    address.assign(v6->sin6_addr.s6_addr, v6->sin6_addr.s6_addr + 16);
    port = ntohs(v6->sin6_port);
  } else {
    const auto* v4 = reinterpret_cast<const sockaddr_in*>(&a);
    const auto* b = reinterpret_cast<const std::uint8_t*>(&v4->sin_addr.s_addr);
    address.assign(b, b + 4);
    port = ntohs(v4->sin_port);
  }
}

}  // namespace

void startCapture() {
  std::lock_guard lock(gMutex);
  gCapture = {};
  gOpen.clear();
  gActive = true;
}

Capture stopCapture() {
  std::lock_guard lock(gMutex);
  gActive = false;
  gOpen.clear();
  return std::move(gCapture);
}

void captureConnected(int fd) {
  if (!gActive) return;
  sockaddr_storage local{};
  sockaddr_storage peer{};
  socklen_t ll = sizeof local;
  socklen_t pl = sizeof peer;
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &ll) != 0 ||
      ::getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &pl) != 0)
    return;
  CapturedConnection c;
  c.ipv6 = peer.ss_family == AF_INET6;
  fill(local, c.clientAddress, c.clientPort);
  fill(peer, c.serverAddress, c.serverPort);
  c.openedUs = nowUs();
  std::lock_guard lock(gMutex);
  gOpen[fd] = gCapture.connections.size();
  gCapture.connections.push_back(std::move(c));
}

void captureBytes(int fd, bool fromClient, const std::uint8_t* data, std::size_t size) {
  if (!gActive || size == 0) return;
  std::lock_guard lock(gMutex);
  const auto it = gOpen.find(fd);
  if (it == gOpen.end()) return;
  auto& chunks = gCapture.connections[it->second].chunks;
  if (!chunks.empty() && chunks.back().fromClient == fromClient) {
    chunks.back().bytes.insert(chunks.back().bytes.end(), data, data + size);
    return;
  }
  chunks.push_back({fromClient, nowUs(), std::vector<std::uint8_t>(data, data + size)});
}

void captureKeyLogLine(const char* line) {
  if (!gActive || line == nullptr) return;
  std::lock_guard lock(gMutex);
  gCapture.keyLog += line;
  gCapture.keyLog += '\n';
}

}  // namespace rdpdoctor::probe
