// scan inventories from text: lines, comments, CIDR, CSV, nmap XML; duplicates; bad lines.
#include "rdpdoctor/probe/inventory.hpp"

#include <gtest/gtest.h>

namespace rdpdoctor::probe {
namespace {

std::vector<std::string> specs(const Inventory& inv) {
  std::vector<std::string> out;
  for (const auto& e : inv.entries) out.push_back(e.target.display());
  return out;
}

TEST(Inventory, LinesWithCommentsBlanksAndDuplicatesMergeAndBadLinesAreNumbered) {
  Inventory inv;
  addInventoryText(
      "# fleet\n\n127.0.0.1:3390  # lab\r\n[::1]:3391\nHOST.example\n127.0.0.1:3390\n"
      "127.0.0.1:99999\ntwo hosts\n",
      "hosts.txt", inv);
  EXPECT_EQ(specs(inv),
            (std::vector<std::string>{"127.0.0.1:3390", "[::1]:3391", "HOST.example:3389"}));
  EXPECT_EQ(inv.entries[0].source, "hosts.txt:3");
  EXPECT_EQ(inv.duplicates, 1U);
  ASSERT_EQ(inv.problems.size(), 2U);
  EXPECT_EQ(inv.problems[0].rfind("hosts.txt:7: ", 0), 0U) << inv.problems[0];
  EXPECT_EQ(inv.problems[1].rfind("hosts.txt:8: more than one host", 0), 0U) << inv.problems[1];
}

TEST(Inventory, CidrExpandsWithoutNetworkAndBroadcastAndKeepsItsPort) {
  Inventory inv;
  addInventoryText("127.0.0.0/29:3390\n127.0.0.9/32\n10.0.0.0/8\n127.0.0.0/33\n", "r", inv);
  EXPECT_EQ(specs(inv), (std::vector<std::string>{
                            "127.0.0.1:3390", "127.0.0.2:3390", "127.0.0.3:3390", "127.0.0.4:3390",
                            "127.0.0.5:3390", "127.0.0.6:3390", "127.0.0.9:3389"}));
  ASSERT_EQ(inv.problems.size(), 2U);
  EXPECT_NE(inv.problems[0].find("larger than a /16"), std::string::npos);
  EXPECT_NE(inv.problems[1].find("not an IPv4 range"), std::string::npos);
}

TEST(Inventory, CsvUsesItsHeaderWhateverTheColumnOrder) {
  Inventory inv;
  addInventoryText(
      "# export\nName,Tags,Port,Host\nweb,\"a, b\",3390,127.0.0.1\nnohost,,,\n"
      "x,,bad,127.0.0.2\n",
      "fleet.csv", inv);
  ASSERT_EQ(inv.entries.size(), 1U);
  EXPECT_EQ(inv.entries[0].target.display(), "127.0.0.1:3390");
  EXPECT_EQ(inv.entries[0].name, "web");
  EXPECT_EQ(inv.entries[0].tags, "a, b");
  ASSERT_EQ(inv.problems.size(), 2U);
  EXPECT_EQ(inv.problems[0], "fleet.csv:4: no host");
  EXPECT_EQ(inv.problems[1], "fleet.csv:5: bad port 'bad'");
}

TEST(Inventory, NmapXmlKeepsOpenRdpPortsOnly) {
  Inventory inv;
  addInventoryText(
      "<?xml version=\"1.0\"?><nmaprun><host><address addr=\"127.0.0.1\" addrtype=\"ipv4\"/>"
      "<address addr=\"00:11:22:33:44:55\" addrtype=\"mac\"/><hostnames><hostname "
      "name=\"lab\" type=\"PTR\"/></hostnames><ports>"
      "<port protocol=\"tcp\" portid=\"3389\"><state state=\"open\"/><service "
      "name=\"ms-wbt-server\"/></port>"
      "<port protocol=\"tcp\" portid=\"3390\"><state state=\"filtered\"/></port>"
      "<port protocol=\"tcp\" portid=\"22\"><state state=\"open\"/><service name=\"ssh\"/></port>"
      "<port protocol=\"tcp\" portid=\"4000\"><state state=\"open\"/></port>"
      "</ports></host><hosts up=\"1\"/></nmaprun>",
      "scan.xml", inv);
  EXPECT_EQ(specs(inv), (std::vector<std::string>{"127.0.0.1:3389", "127.0.0.1:4000"}));
  EXPECT_EQ(inv.entries[0].name, "lab");
  EXPECT_TRUE(inv.problems.empty());
}

TEST(Inventory, AnArgumentIsAHostARangeOrAMissingFile) {
  Inventory inv;
  const RdpHostReader never = [](const std::string&) -> Result<HostSpec> {
    return Error{"unused", "", {}};
  };
  addInventoryArgument("127.0.0.1:3390", inv, never);
  addInventoryArgument("127.0.0.4/31", inv, never);
  EXPECT_EQ(specs(inv),
            (std::vector<std::string>{"127.0.0.1:3390", "127.0.0.4:3389", "127.0.0.5:3389"}));
}

}  // namespace
}  // namespace rdpdoctor::probe
