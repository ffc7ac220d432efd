// Another client's .rdp file through the doctor (issue 13): an Azure Virtual Desktop-shaped file
// in UTF-16LE whose alternate full address is a legacy TLS 1.0 host. `diagnose --save-rdp` writes
// the same bytes back except the keys the winner changes, and the saved file connects on its own.
#include <fstream>

#include "doctor_scenario.hpp"

namespace rdpdoctor::doctortest {
namespace {

using DoctorRdpRoundTrip = DoctorScenario;

std::string utf16le(const std::string& ascii) {
  std::string out = "\xFF\xFE";
  for (char c : ascii) out += std::string{c, '\0'};
  return out;
}

std::string avdFile(const std::string& alternate, const std::string& credssp,
                    const std::string& extra) {
  return "redirectclipboard:i:1\r\nredirectprinters:i:1\r\nredirectcomports:i:1\r\n"
         "redirectsmartcards:i:1\r\ndevicestoredirect:s:*\r\ndrivestoredirect:s:*\r\n"
         "redirectdrives:i:1\r\nsession bpp:i:32\r\nprompt for credentials on client:i:1\r\n"
         "span monitors:i:1\r\nuse multimon:i:1\r\nremoteapplicationmode:i:0\r\n"
         "server port:i:3389\r\nallow font smoothing:i:1\r\npromptcredentialonce:i:0\r\n"
         "videoplaybackmode:i:1\r\naudiocapturemode:i:1\r\ngatewayusagemethod:i:2\r\n"
         "gatewayprofileusagemethod:i:1\r\ngatewaycredentialssource:i:0\r\n"
         "full address:s:rdgateway-r0.wvd.invalid\r\n"
         "alternate full address:s:" +
         alternate +
         "\r\nuse redirection server name:i:1\r\n"
         "loadbalanceinfo:s:tsv://MS Terminal Services Plugin.1.Desktop_Pool_7f3e\r\n"
         "gatewayhostname:s:rdgateway-r0.wvd.invalid:443\r\n"
         "workspace id:s:5e1b1c1a-0d2f-4c7e-9a51-3f8c2b1d0e77\r\nenablerdsaadauth:i:0\r\n"
         "enablecredsspsupport:i:" +
         credssp +
         "\r\naudiomode:i:0\r\ncamerastoredirect:s:*\r\nscreen mode id:i:2\r\n"
         "autoreconnection enabled:i:1\r\nbandwidthautodetect:i:1\r\nnetworkautodetect:i:1\r\n"
         "signscope:s:Full Address,Alternate Full Address,ServerPort,GatewayHostname\r\n"
         "signature:s:AQABAAEAAAA7CgAAMIIKNwYJKoZIhvcNAQcCoIIKKDCCCiQCAQExDzANBglghkgBZQME\r\n" +
         extra;
}

TEST_F(DoctorRdpRoundTrip,
       AnAvdFileForALegacyTlsHostIsSavedWithOnlyTheWinnersKeysChangedAndConnectsOnItsOwn) {
  auto server = startServer({.kind = lab::Kind::XrdpTls10Ecdhe});
  ASSERT_NE(server, nullptr);
  const auto in = dir_.path() / "avd.rdp";
  const std::string original = utf16le(avdFile(server->hostSpec(), "1", ""));
  {
    std::ofstream f(in, std::ios::binary);
    f << original;
  }
  const auto out = dir_.path() / "saved.rdp";
  const auto run = diagnoseOnTerminal({in.string(), "--save-rdp", out.string()}, {}, "a");
  ASSERT_EQ(run.process.exitCode, 0) << run.describe();
  ASSERT_TRUE(run.json["winner"].is_object()) << run.describe();
  // the winner of this host: TLS (NLA off) at OpenSSL security level 0
  EXPECT_EQ(run.json["winner"]["security"], "tls") << run.json["winner"].dump();
  EXPECT_EQ(run.json["winner"]["tls_seclevel"], 0) << run.json["winner"].dump();
  EXPECT_EQ(run.json["port"], server->port()) << "the alternate full address is dialled";

  const std::string saved = readFile(out);
  EXPECT_EQ(saved, utf16le(avdFile(server->hostSpec(), "0", "rdpdoctor tls seclevel:i:0\r\n")))
      << "every line but enablecredsspsupport and the appended rdpdoctor key as read";
  EXPECT_EQ(readFile(in), original) << "the file read is not touched";

  // answered "always" above: not asked again
  const auto connect = answering({"connect", "--headless", out.string(), "--no-doctor"}, "n");
  EXPECT_EQ(certificateQuestions(connect), 0u) << connect.out;
  EXPECT_EQ(connect.exitCode, 0) << connect.describe() << "\n" << connect.out;
}

}  // namespace
}  // namespace rdpdoctor::doctortest
