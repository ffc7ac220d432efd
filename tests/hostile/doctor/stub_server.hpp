#pragma once
// A byte-scripted RDP stub server: a thread with a listening socket on 127.0.0.1:0 that plays a
// Scenario's steps on every connection it accepts (the probe's and every attempt's), building its
// PDUs with diag/wire. Stopped and joined in the destructor.
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "scenario.hpp"

struct ssl_ctx_st;  // OpenSSL's SSL_CTX

namespace rdpdoctor::hostile {

class StubServer {
 public:
  /// Binds 127.0.0.1:0 and starts accepting; an Error when the socket cannot be set up. `tls` is
  /// the server context (certificate and key) of the tls-accept step; without it that step fails.
  [[nodiscard]] static Result<std::unique_ptr<StubServer>> start(
      std::vector<Step> steps, std::shared_ptr<ssl_ctx_st> tls = nullptr);
  ~StubServer();
  StubServer(const StubServer&) = delete;
  StubServer& operator=(const StubServer&) = delete;

  [[nodiscard]] std::uint16_t port() const { return port_; }
  [[nodiscard]] int connections() const { return connections_.load(); }
  /// Connections whose Connection Request parsed (read-request).
  [[nodiscard]] int requestsParsed() const { return requests_.load(); }
  /// Connections whose TLS handshake completed (tls-accept).
  [[nodiscard]] int tlsHandshakes() const { return handshakes_.load(); }

 private:
  StubServer(int listenFd, int wakeFd, std::uint16_t port, std::vector<Step> steps,
             std::shared_ptr<ssl_ctx_st> tls);
  void acceptLoop();
  void serve(int fd);

  int listenFd_;
  int wakeFd_;  // eventfd: readable once stopping
  std::uint16_t port_;
  std::vector<Step> steps_;
  std::atomic<int> connections_{0};
  std::atomic<int> requests_{0};
  std::atomic<int> handshakes_{0};
  std::shared_ptr<ssl_ctx_st> tls_;
  std::mutex mutex_;
  std::vector<int> clientFds_;
  std::vector<std::thread> workers_;
  std::thread acceptor_;
};

}  // namespace rdpdoctor::hostile
