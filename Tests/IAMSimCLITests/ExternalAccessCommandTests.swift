import Foundation
import Testing

@testable import IAMSimCLI

/// A bucket policy: public read of `site/*`, and list and read for account 444455556666, which the example
/// organization holds.
private let bucketPolicy = #"""
  {"Version":"2012-10-17","Statement":[
    {"Sid":"PublicRead","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::site/*"},
    {"Sid":"Engineering","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},
     "Action":["s3:ListBucket","s3:GetObject"],"Resource":["arn:aws:s3:::site","arn:aws:s3:::site/*"]}]}
  """#

/// `audit --resource-policy`: IAM Access Analyzer's external-access findings ("IAM Access Analyzer generates a finding
/// for each instance of a resource-based policy that grants access to a resource within your zone of trust to a
/// principal that is not within your zone of trust.").
@Suite struct ExternalAccessCommandTests {
  @Test func publicAndCrossAccountFindingsInJSONTextAndExitStatus() throws {
    let result = iamsim(
      "audit", "--resource-policy", bucketPolicy, "--resource-account", "111122223333", "--format", "json")
    #expect(result.status == .success, "\(result.err)")
    let json = try #require(try JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [String: Any])
    let findings = try #require(json["findings"] as? [[String: Any]])
    #expect(findings.compactMap { $0["code"] as? String } == ["external-access.public", "external-access.cross-account"])
    #expect(findings.compactMap { $0["severity"] as? String } == ["error", "security-warning"])
    let publicEvidence = try #require((findings[0]["evidence"] as? [[String: Any]])?.first)
    #expect(publicEvidence["caller"] as? String == "anonymous")
    #expect(publicEvidence["decision"] as? String == "allowed")
    let crossEvidence = try #require(findings[1]["evidence"] as? [[String: Any]])
    #expect(crossEvidence.compactMap { $0["action"] as? String } == ["s3:ListBucket", "s3:GetObject"])
    #expect(crossEvidence.allSatisfy { $0["caller"] as? String == "arn:aws:iam::444455556666:role/iamsim-outside" })
    let subjects = try #require(json["subjects"] as? [[String: Any]])
    #expect(subjects.first?["resourcePolicy"] as? String == "inline")

    let text = iamsim("audit", "--resource-policy", bucketPolicy, "--resource-account", "111122223333")
    #expect(text.out.contains("resource policy: inline of account 111122223333"))
    #expect(text.out.contains("error [external-access.public]"))
    let failing = iamsim(
      "audit", "--resource-policy", bucketPolicy, "--resource-account", "111122223333", "--fail-on", "error")
    #expect(failing.status == .failure)
  }

  /// "Any principal in the organization or account that you choose for the analyzer is considered trusted.": with the
  /// example organization, which holds 444455556666, only the public finding is left.
  @Test func organizationAccountsAreInsideTheZoneOfTrust() throws {
    let result = iamsim(
      "audit", "--org", repositoryRoot + "/cases/example-org", "--resource-policy", bucketPolicy, "--resource-account",
      "111122223333", "--format", "json")
    #expect(result.status == .success, "\(result.err)")
    let json = try #require(try JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [String: Any])
    let findings = try #require(json["findings"] as? [[String: Any]])
    let external = findings.filter { $0["subject"] as? String == "inline" }
    #expect(external.compactMap { $0["code"] as? String } == ["external-access.public"])
    // The organization's permission sets are audited too.
    #expect((json["subjects"] as? [[String: Any]])?.count ?? 0 > 1)
  }

  @Test func badUsage() {
    let allowAll = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#
    #expect(iamsim("audit", "--resource-policy", bucketPolicy).status == .usage)
    #expect(iamsim("audit", "--resource-account", "111122223333", "--policy", allowAll).status == .usage)
    #expect(
      iamsim("audit", "--resource-policy", bucketPolicy, "--resource-account", "111122223333", "--boundary", allowAll)
        .status == .usage)
    #expect(iamsim("audit", "--resource-policy", bucketPolicy, "--resource-account", "1111").status == .usage)
    // A resource policy without Principal is invalid input, named.
    let invalid = iamsim(
      "audit", "--resource-policy",
      #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#,
      "--resource-account", "111122223333")
    #expect(invalid.status == .invalidInput, "\(invalid.err)")
  }

  @Test func helpNamesTheFlagsAndCodes() {
    let help = iamsim("audit", "--help").out
    #expect(help.contains("--resource-policy P"))
    #expect(help.contains("--resource-account ID"))
    #expect(help.contains("external-access.public"))
    #expect(help.contains("external-access.cross-account"))
  }
}
