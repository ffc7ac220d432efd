#include "rdpdoctor/probe/inventory.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>

namespace rdpdoctor::probe {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

InventoryEntry entry(HostSpec target, std::string name, std::string tags, std::string source) {
  InventoryEntry e;
  e.target = std::move(target);
  e.name = std::move(name);
  e.tags = std::move(tags);
  e.source = std::move(source);
  return e;
}

HostSpec spec(std::string host, std::uint16_t port, bool v6) {
  HostSpec h;
  h.host = std::move(host);
  h.port = port;
  h.ipv6Literal = v6;
  return h;
}

void add(Inventory& inv, InventoryEntry e) {
  const auto key = lower(e.target.host);
  for (auto& old : inv.entries) {
    if (lower(old.target.host) != key || old.target.port != e.target.port) continue;
    if (old.name.empty()) old.name = e.name;
    if (old.tags.empty()) old.tags = e.tags;
    ++inv.duplicates;
    return;
  }
  inv.entries.push_back(std::move(e));
}

std::optional<std::uint16_t> portOf(std::string_view text) {
  unsigned v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v == 0 || v > 65535)
    return std::nullopt;
  return static_cast<std::uint16_t>(v);
}

/// "a.b.c.d/n[:port]": true when it looked like a range (expanded or reported).
bool addRange(std::string_view text, const std::string& where, const std::string& name,
              Inventory& inv) {
  const auto slash = text.find('/');
  if (slash == std::string_view::npos) return false;
  std::string_view rest = text.substr(slash + 1);
  std::uint16_t port = kDefaultRdpPort;
  if (const auto colon = rest.find(':'); colon != std::string_view::npos) {
    const auto p = portOf(rest.substr(colon + 1));
    if (!p) {
      inv.problems.push_back(where + ": bad port in range '" + std::string(text) + "'");
      return true;
    }
    port = *p;
    rest = rest.substr(0, colon);
  }
  const std::string address(text.substr(0, slash));
  in_addr a{};
  unsigned bits = 0;
  const auto [end, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), bits);
  if (::inet_pton(AF_INET, address.c_str(), &a) != 1 || ec != std::errc() ||
      end != rest.data() + rest.size() || bits > 32) {
    inv.problems.push_back(where + ": not an IPv4 range '" + std::string(text) + "'");
    return true;
  }
  const std::uint64_t count = std::uint64_t{1} << (32 - bits);
  if (count > kMaxRangeHosts) {
    inv.problems.push_back(where + ": range '" + std::string(text) + "' is larger than a /16");
    return true;
  }
  const std::uint32_t mask = bits == 0 ? 0 : ~std::uint32_t{0} << (32 - bits);
  const std::uint32_t base = ntohl(a.s_addr) & mask;
  // a /30 or wider range leaves out its network and broadcast addresses
  const std::uint64_t first = bits <= 30 ? 1 : 0;
  const std::uint64_t last = bits <= 30 ? count - 1 : count;
  for (std::uint64_t i = first; i < last; ++i) {
    in_addr h{};
    h.s_addr = htonl(base + static_cast<std::uint32_t>(i));
    char buf[INET_ADDRSTRLEN] = {};
    ::inet_ntop(AF_INET, &h, buf, sizeof(buf));
    add(inv, entry(spec(buf, port, false), name, {}, where));
  }
  return true;
}

void addOne(std::string_view text, std::uint16_t port, const std::string& where,
            const std::string& name, const std::string& tags, Inventory& inv) {
  if (addRange(text, where, name, inv)) return;
  auto parsed = parseHostSpec(text, port);
  if (!parsed) {
    inv.problems.push_back(where + ": " + parsed.error().message() + " ('" + std::string(text) +
                           "')");
    return;
  }
  add(inv, entry(*parsed, name, tags, where));
}

std::vector<std::string> splitCsv(std::string_view line) {
  std::vector<std::string> cells(1);
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted && c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
      cells.back() += '"';
      ++i;
    } else if (c == '"') {
      quoted = !quoted;
    } else if (c == ',' && !quoted) {
      cells.emplace_back();
    } else {
      cells.back() += c;
    }
  }
  for (auto& c : cells) c = std::string(trim(c));
  return cells;
}

std::vector<std::string_view> lines(std::string_view text) {
  std::vector<std::string_view> out;
  std::size_t at = 0;
  while (at <= text.size()) {
    auto end = text.find('\n', at);
    if (end == std::string_view::npos) end = text.size();
    auto l = text.substr(at, end - at);
    if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
    out.push_back(l);
    at = end + 1;
  }
  return out;
}

void addCsv(const std::vector<std::string_view>& ls, std::size_t headerLine,
            const std::string& origin, Inventory& inv) {
  const auto header = splitCsv(ls[headerLine]);
  auto column = [&](std::string_view want) -> std::optional<std::size_t> {
    for (std::size_t i = 0; i < header.size(); ++i)
      if (lower(header[i]) == want) return i;
    return std::nullopt;
  };
  const auto host = column("host");
  const auto port = column("port");
  const auto name = column("name");
  const auto tags = column("tags");
  for (std::size_t n = headerLine + 1; n < ls.size(); ++n) {
    const auto l = trim(ls[n]);
    if (l.empty() || l.front() == '#') continue;
    const auto where = origin + ":" + std::to_string(n + 1);
    const auto cells = splitCsv(l);
    auto cell = [&](std::optional<std::size_t> c) {
      return c && *c < cells.size() ? cells[*c] : std::string();
    };
    if (cell(host).empty()) {
      inv.problems.push_back(where + ": no host");
      continue;
    }
    std::uint16_t p = kDefaultRdpPort;
    if (!cell(port).empty()) {
      const auto parsed = portOf(cell(port));
      if (!parsed) {
        inv.problems.push_back(where + ": bad port '" + cell(port) + "'");
        continue;
      }
      p = *parsed;
    }
    addOne(cell(host), p, where, cell(name), cell(tags), inv);
  }
}

/// The value of attribute `name` inside one tag's text (`<port protocol="tcp" portid="3389">`).
std::string attribute(std::string_view tag, std::string_view name) {
  const std::string key = " " + std::string(name) + "=\"";
  const auto at = tag.find(key);
  if (at == std::string_view::npos) return {};
  const auto from = at + key.size();
  const auto end = tag.find('"', from);
  return end == std::string_view::npos ? std::string() : std::string(tag.substr(from, end - from));
}

/// Every `<tag ...>` opening inside `text`.
std::vector<std::string_view> tags(std::string_view text, std::string_view tag) {
  std::vector<std::string_view> out;
  const std::string open = "<" + std::string(tag) + " ";
  for (auto at = text.find(open); at != std::string_view::npos; at = text.find(open, at + 1)) {
    const auto end = text.find('>', at);
    if (end == std::string_view::npos) break;
    out.push_back(text.substr(at, end - at + 1));
  }
  return out;
}

/// nmap -oX: each <host> with an open TCP port whose service is RDP (ms-wbt-server), unnamed,
/// or carries an rdp-* script's output.
void addNmapXml(std::string_view text, const std::string& origin, Inventory& inv) {
  std::size_t hosts = 0;
  for (auto at = text.find("<host"); at != std::string_view::npos;
       at = text.find("<host", at + 1)) {
    if (at + 5 < text.size() && text[at + 5] != ' ' && text[at + 5] != '>') continue;
    const auto end = text.find("</host>", at);
    if (end == std::string_view::npos) break;
    const auto host = text.substr(at, end - at);
    ++hosts;
    std::string address;
    for (auto a : tags(host, "address"))
      if (attribute(a, "addrtype") == "ipv4" || attribute(a, "addrtype") == "ipv6")
        address = attribute(a, "addr");
    std::string name;
    if (auto h = tags(host, "hostname"); !h.empty()) name = attribute(h.front(), "name");
    if (address.empty()) continue;
    for (auto p = host.find("<port "); p != std::string_view::npos;
         p = host.find("<port ", p + 1)) {
      const auto close = host.find("</port>", p);
      const auto port =
          host.substr(p, close == std::string_view::npos ? host.size() - p : close - p);
      const auto head = port.substr(0, port.find('>') + 1);
      const auto state = tags(port, "state");
      if (attribute(head, "protocol") != "tcp" || state.empty() ||
          attribute(state.front(), "state") != "open")
        continue;
      const auto service = tags(port, "service");
      const auto serviceName = service.empty() ? "" : attribute(service.front(), "name");
      const bool rdp = service.empty() || serviceName == "ms-wbt-server" ||
                       port.find("id=\"rdp-") != std::string_view::npos;
      const auto number = portOf(attribute(head, "portid"));
      if (!rdp || !number) continue;
      const bool v6 = address.find(':') != std::string::npos;
      add(inv, entry(spec(address, *number, v6), name, {}, origin));
    }
  }
  if (hosts == 0) inv.problems.push_back(origin + ": nmap XML without any <host>");
}

}  // namespace

void addInventoryText(std::string_view text, const std::string& origin, Inventory& inv) {
  if (text.find("<nmaprun") != std::string_view::npos) return addNmapXml(text, origin, inv);
  const auto ls = lines(text);
  for (std::size_t n = 0; n < ls.size(); ++n) {
    auto l = ls[n];
    if (const auto hash = l.find('#'); hash != std::string_view::npos) l = l.substr(0, hash);
    l = trim(l);
    if (l.empty()) continue;
    if (l.find(',') != std::string_view::npos) {
      const auto header = splitCsv(l);
      if (std::any_of(header.begin(), header.end(),
                      [](const std::string& c) { return lower(c) == "host"; }))
        return addCsv(ls, n, origin, inv);
    }
    const auto where = origin + ":" + std::to_string(n + 1);
    if (l.find_first_of(" \t,") != std::string_view::npos) {
      inv.problems.push_back(where + ": more than one host on the line ('" + std::string(l) + "')");
      continue;
    }
    addOne(l, kDefaultRdpPort, where, {}, {}, inv);
  }
}

void addInventoryArgument(const std::string& argument, Inventory& inv,
                          const RdpHostReader& readRdp) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const auto status = fs::status(argument, ec);
  if (!ec && fs::is_directory(status)) {
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(argument, ec))
      if (e.is_regular_file() && lower(e.path().extension().string()) == ".rdp")
        files.push_back(e.path());
    std::sort(files.begin(), files.end());
    if (files.empty()) inv.problems.push_back(argument + ": no .rdp files in the folder");
    for (const auto& f : files) {
      auto read = readRdp(f.string());
      if (!read)
        inv.problems.push_back(f.string() + ": " + read.error().message());
      else
        add(inv, entry(*read, f.stem().string(), {}, f.string()));
    }
    return;
  }
  if (!ec && fs::is_regular_file(status)) {
    std::ifstream in(argument, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in) {
      inv.problems.push_back(argument + ": cannot read the file");
      return;
    }
    return addInventoryText(text.str(), argument, inv);
  }
  if (!ec && fs::exists(status)) {
    inv.problems.push_back(argument + ": neither a file nor a folder");
    return;
  }
  addOne(argument, kDefaultRdpPort, "argument '" + argument + "'", {}, {}, inv);
}

}  // namespace rdpdoctor::probe
