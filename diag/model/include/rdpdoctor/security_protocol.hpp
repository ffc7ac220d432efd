#pragma once
// The one vocabulary of security protocols every room shares: the PROTOCOL_* flags of the X.224
// negotiation, "is it NLA / is it TLS", and the floor comparison (rdp < tls < nla).
#include <cstdint>

namespace rdpdoctor {

/// MS-RDPBCGR 2.2.1.1.1 RDP Negotiation Request requestedProtocols, and 2.2.1.2.1 RDP
/// Negotiation Response selectedProtocol.
inline constexpr std::uint32_t kProtocolRdp = 0x00000000;  // standard RDP security
inline constexpr std::uint32_t kProtocolSsl = 0x00000001;
inline constexpr std::uint32_t kProtocolHybrid = 0x00000002;  // CredSSP (NLA)
inline constexpr std::uint32_t kProtocolRdstls = 0x00000004;
inline constexpr std::uint32_t kProtocolHybridEx = 0x00000008;  // NLA with Early User Auth
inline constexpr std::uint32_t kProtocolRdsaad = 0x00000010;

/// A selected protocol that authenticates the user before the session: HYBRID or HYBRID_EX.
[[nodiscard]] constexpr bool isNla(std::uint32_t selected) {
  return (selected & (kProtocolHybrid | kProtocolHybridEx)) != 0;
}
/// A selected protocol on TLS (NLA runs inside TLS too).
[[nodiscard]] constexpr bool isTls(std::uint32_t selected) {
  return (selected & (kProtocolSsl | kProtocolRdstls)) != 0 || isNla(selected);
}

/// Strength order used by the floor: rdp < tls < nla. Negotiate counts as its weakest offer.
enum class SecurityFloor { Rdp = 0, Tls = 1, Nla = 2 };

/// rdp < tls < nla: is `layer` at or above `floor`?
[[nodiscard]] constexpr bool meetsFloor(SecurityFloor layer, SecurityFloor floor) {
  return static_cast<int>(layer) >= static_cast<int>(floor);
}
/// The layer a server's selectedProtocol (MS-RDPBCGR 2.2.1.2.1) puts the connection on:
/// PROTOCOL_RDP (0) standard RDP security; SSL, RDSTLS TLS; HYBRID, HYBRID_EX NLA.
[[nodiscard]] constexpr SecurityFloor layerOfSelectedProtocol(std::uint32_t selected) {
  if (isNla(selected)) return SecurityFloor::Nla;
  if (isTls(selected)) return SecurityFloor::Tls;
  return SecurityFloor::Rdp;
}

}  // namespace rdpdoctor
