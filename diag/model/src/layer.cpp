#include "rdpdoctor/layer.hpp"

namespace rdpdoctor {

std::string_view toString(Layer l) {
  switch (l) {
    case Layer::Name:
      return "name";
    case Layer::Tcp:
      return "tcp";
    case Layer::Negotiation:
      return "negotiation";
    case Layer::Tls:
      return "tls";
    case Layer::Certificate:
      return "certificate";
    case Layer::RdpSecurity:
      return "rdp-security";
    case Layer::Nla:
      return "nla";
    case Layer::Session:
      return "session";
    case Layer::Gateway:
      return "gateway";
    case Layer::None:
      return "none";
  }
  return "?";
}

}  // namespace rdpdoctor
