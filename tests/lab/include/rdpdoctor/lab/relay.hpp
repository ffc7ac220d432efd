#pragma once
// A TCP relay on loopback in front of a real server. The test can cut its connections (a network
// drop, both ends stay up), refuse new ones, strip TLS from the X.224 negotiation (a man in the
// middle that rewrites the client's requested protocols to standard RDP security only), and read
// every byte the client sent (what left the client machine), and break on a TLS version (a
// version-intolerant middlebox that drops a ClientHello offering more than it knows).
#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace rdpdoctor::lab {

class Relay {
 public:
  explicit Relay(std::uint16_t upstreamPort);
  ~Relay();
  Relay(const Relay&) = delete;
  Relay& operator=(const Relay&) = delete;

  /// 0 when the relay could not listen.
  [[nodiscard]] std::uint16_t port() const { return port_; }
  /// "127.0.0.1:PORT": what a user would type.
  [[nodiscard]] std::string hostSpec() const { return "127.0.0.1:" + std::to_string(port_); }
  [[nodiscard]] int accepted() const { return accepted_; }
  /// From now on, the requestedProtocols of each new connection's X.224 Connection Request
  /// (MS-RDPBCGR 2.2.1.1.1) become PROTOCOL_RDP: the server then selects standard RDP security.
  void stripTls(bool on) { stripTls_ = on; }
  /// From now on, a connection whose client sends a TLS ClientHello offering a version above
  /// `wireVersion` (0x0303: TLS 1.2; RFC 8446 4.2.1 supported_versions, else the legacy
  /// client_version) is dropped at once, no alert; 0 relays every version.
  void dropTlsAbove(std::uint16_t wireVersion) { dropTlsAbove_ = wireVersion; }
  /// Connections dropped by dropTlsAbove().
  [[nodiscard]] int droppedHellos() const { return droppedHellos_; }
  /// Every byte the clients sent, all connections in order of arrival.
  [[nodiscard]] std::string clientBytes() const;
  /// Stops listening: new connections are refused (the server is gone, as far as the client sees).
  void refuse();
  /// Drops every relayed connection (both sides see the connection close).
  void cut();

 private:
  void acceptLoop();
  void pump(int client, int server);

  std::uint16_t upstream_;
  std::uint16_t port_ = 0;
  int listener_ = -1;
  std::atomic<bool> stop_{false};
  std::atomic<bool> accepting_{true};
  std::atomic<bool> stripTls_{false};
  std::atomic<int> accepted_{0};
  std::atomic<std::uint16_t> dropTlsAbove_{0};
  std::atomic<int> droppedHellos_{0};
  mutable std::mutex mutex_;
  std::vector<int> open_;           // guarded by mutex_
  std::string fromClients_;         // guarded by mutex_
  std::vector<std::thread> pipes_;  // touched by the acceptor, joined after it
  std::thread acceptor_;
};

}  // namespace rdpdoctor::lab
