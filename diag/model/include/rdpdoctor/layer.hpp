#pragma once
// The layers a connection crosses (DESIGN.md's table), one vocabulary for every room: the probe's
// findings, the signature table's failing layer, the reports' picture.
#include <string_view>

namespace rdpdoctor {

enum class Layer {
  Name,
  Tcp,
  Negotiation,  // X.224 (MS-RDPBCGR 2.2.1.1/2.2.1.2)
  Tls,
  Certificate,  // the TLS layer's server certificate: the probe reports its checks apart
  RdpSecurity,
  Nla,
  Session,
  Gateway,  // an RD Gateway in front of the host
  None,
};

/// The contract spelling: "name", "tcp", "negotiation", "tls", "certificate", "rdp-security",
/// "nla", "session", "gateway", "none".
[[nodiscard]] std::string_view toString(Layer l);

}  // namespace rdpdoctor
