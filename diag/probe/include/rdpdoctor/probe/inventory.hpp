#pragma once
// What `scan` probes: HOST[:PORT] arguments and files of them (# comments, blank lines), IPv4
// CIDR ranges, nmap XML (-oX: the hosts with an open RDP port), CSV with a `host` header (and
// optional `port`, `name`, `tags`), a folder of .rdp files (read by the caller's reader).
// Duplicates (same host and port) are merged; a bad entry is a problem with its line, never fatal.
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "rdpdoctor/host_spec.hpp"
#include "rdpdoctor/result.hpp"

namespace rdpdoctor::probe {

struct InventoryEntry {
  HostSpec target;
  std::string name;    // CSV `name`, nmap hostname, .rdp file name; "" when none
  std::string tags;    // CSV `tags`, as written
  std::string source;  // "hosts.txt:12", "argument", "lab/a.rdp"
};

struct Inventory {
  std::vector<InventoryEntry> entries;
  std::vector<std::string> problems;  // "hosts.txt:7: bad port '99999'" (file text: escape it)
  std::size_t duplicates = 0;
};

/// Reads the host of one .rdp file (the caller's .rdp reader; diag/probe links no client code).
using RdpHostReader = std::function<Result<HostSpec>(const std::string& path)>;

/// The largest range expanded (a /16).
inline constexpr std::size_t kMaxRangeHosts = 65536;

/// Adds one command-line argument: a folder, a file (format told from its content), a CIDR
/// range or a HOST[:PORT].
void addInventoryArgument(const std::string& argument, Inventory& inventory,
                          const RdpHostReader& readRdp);

/// Adds the entries of a file's text; `origin` names it in sources and problems.
void addInventoryText(std::string_view text, const std::string& origin, Inventory& inventory);

}  // namespace rdpdoctor::probe
