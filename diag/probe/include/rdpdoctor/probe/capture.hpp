#pragma once
// What the probe's own sockets sent and received, kept for an escalation bundle: every TCP
// connection's bytes in order (X.224, TLS records) and the TLS key log of the probe's handshakes
// (NSS key log format, OpenSSL's keylog callback). No root and no libpcap: these are our bytes.
// The probe never sends credentials, so nothing here can carry a password.
#include <cstdint>
#include <string>
#include <vector>

namespace rdpdoctor::probe {

struct CapturedChunk {
  bool fromClient = true;
  std::int64_t atUs = 0;  // microseconds since the epoch
  std::vector<std::uint8_t> bytes;
};

struct CapturedConnection {
  bool ipv6 = false;
  std::vector<std::uint8_t> clientAddress;  // 4 or 16 bytes, network order
  std::vector<std::uint8_t> serverAddress;
  std::uint16_t clientPort = 0;
  std::uint16_t serverPort = 0;
  std::int64_t openedUs = 0;
  std::vector<CapturedChunk> chunks;
};

struct Capture {
  std::vector<CapturedConnection> connections;
  std::string keyLog;  // NSS key log lines ("CLIENT_RANDOM ...", TLS 1.3 secrets), '\n'-ended
};

/// Starts recording every probe connection of this process (all threads) until stopCapture().
void startCapture();
/// Stops recording and hands over what was recorded.
[[nodiscard]] Capture stopCapture();

/// Hooks of the probe's socket code (no-ops while no capture runs).
void captureConnected(int fd);
void captureBytes(int fd, bool fromClient, const std::uint8_t* data, std::size_t size);
void captureKeyLogLine(const char* line);

/// The capture as a pcapng file (LINKTYPE_RAW IPv4/IPv6 packets with synthesised TCP headers:
/// handshake, data segments of at most 1400 bytes, FIN), readable by Wireshark and tshark.
[[nodiscard]] std::vector<std::uint8_t> toPcapng(const Capture& c);

}  // namespace rdpdoctor::probe
