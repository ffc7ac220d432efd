// The signature table as `explain` and `scan` read it: every row reachable by enum, by contract
// id and by its mstsc codes; every remedy it names exists.
#include "rdpdoctor/verdict/signature_table.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "rdpdoctor/verdict/verdict.hpp"

using namespace rdpdoctor;

TEST(SignatureTable, EveryRowIsReachableByItsEnumAndItsContractId) {
  std::set<std::string_view> keys;
  for (const auto& row : signatureTable()) {
    EXPECT_EQ(&signatureRow(row.id), &row) << row.key;
    EXPECT_EQ(signatureRow(row.key), &row) << row.key;
    EXPECT_TRUE(keys.insert(row.key).second) << "two rows share the id " << row.key;
    EXPECT_EQ(toString(row.id), row.key);
  }
  EXPECT_EQ(signatureRow("no-such-signature"), nullptr);
}

// host findings take their id and severity from the table's own host-finding rows
TEST(SignatureTable, EveryHostFindingRowIsReachableByItsEnumWithOneContractId) {
  std::set<std::string_view> keys;
  for (const auto& row : hostFindingTable()) {
    EXPECT_EQ(&hostFindingRow(row.id), &row) << row.key;
    EXPECT_TRUE(keys.insert(row.key).second) << "two host findings share the id " << row.key;
  }
  EXPECT_EQ(hostFindingRow(HostFindingId::CertificateExpired).severity, Severity::High);
  EXPECT_EQ(toString(hostFindingRow(HostFindingId::CertificateSelfSigned).severity), "low");
}

TEST(SignatureTable, EveryRemedyARowNamesIsInTheRemediesTable) {
  for (const auto& row : signatureTable()) {
    for (auto id : row.remedies) {
      if (!id.empty()) {
        EXPECT_TRUE(remedyById(id).has_value()) << row.key << " names " << id;
      }
    }
  }
}

TEST(SignatureTable, MstscCodesFindTheirRows) {
  const auto dns = signaturesForMstsc(0x104);
  ASSERT_EQ(dns.size(), 1u);
  EXPECT_EQ(dns.front()->id, SignatureId::NameNotResolved);
  const auto denied = signaturesForMstsc(0x904, 0x7u);
  bool nla = false;
  for (const auto* r : denied) {
    EXPECT_EQ(r->mstsc.extendedReason, 0x7u) << r->key;
    nla = nla || r->id == SignatureId::NlaRequired;
  }
  EXPECT_TRUE(nla);
  EXPECT_TRUE(signaturesForMstsc(0xdead).empty());
}

TEST(SignatureTable, ASignatureCarriesItsRowsCauseWithTheEvidence) {
  const auto s = signatureOf(SignatureId::CredentialsRejected, {"ERRCONNECT_LOGON_FAILURE"});
  EXPECT_EQ(s.id, "credentials-rejected");
  EXPECT_EQ(s.cause, "the host rejected the credentials (ERRCONNECT_LOGON_FAILURE)");
  EXPECT_EQ(s.exit, ExitClass::CredentialsRejected);
  EXPECT_TRUE(s.stopsLadder);
}
