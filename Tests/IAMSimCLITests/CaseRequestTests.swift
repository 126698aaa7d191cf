import Foundation
import Testing

@testable import IAMSimCLI

/// Named requests, `decidedBy`, and statement coverage of the policies under test, in text, JSON and JUnit.
@Suite struct CaseRequestTests {
  static let policy = #"""
    {"Version":"2012-10-17","Statement":[
      {"Sid":"Read","Effect":"Allow","Action":"s3:GetObject","Resource":"*"},
      {"Sid":"Write","Effect":"Allow","Action":"s3:PutObject","Resource":"*"},
      {"Effect":"Deny","Action":"s3:DeleteBucket","Resource":"*"}]}
    """#

  static func caseFile(_ requests: String, extra: String = "") -> String {
    #"{"identityPolicies":["p.json"\#(extra)],"requests":[\#(requests)]}"#
  }

  static func repository(_ requests: String, extra: String = "") throws -> String {
    try temporaryRepository(["cases/p.json": policy, "cases/a.json": caseFile(requests, extra: extra)])
  }

  @Test func aNamedRequestIsNamedInFailuresJSONAndJUnit() throws {
    let root = try Self.repository(
      #"{"name":"writers may not delete buckets","action":"s3:DeleteBucket","resource":"arn:aws:s3:::b","expect":"allowed"}"#)
    let text = iamsim("test", root + "/cases")
    #expect(text.status == .failure)
    #expect(text.out.contains(#"requests[0] "writers may not delete buckets" s3:DeleteBucket on arn:aws:s3:::b: expected allowed, got explicitDeny"#))
    let junit = iamsim("test", root + "/cases", "--format", "junit")
    #expect(junit.out.contains(#"name="requests[0] writers may not delete buckets">"#))
    let json = try JSONSerialization.jsonObject(with: Data(iamsim("test", root + "/cases", "--format", "json").out.utf8))
    let request = (((json as? [String: Any])?["files"] as? [[String: Any]])?.first?["requests"] as? [[String: Any]])?.first
    #expect(request?["name"] as? String == "writers may not delete buckets")
  }

  @Test(arguments: [
    #""Read""#, #"{"sid":"Read"}"#, #"{"policy":"p.json","index":0}"#, #"{"layer":"identity","sid":"Read"}"#,
    #"["Read"]"#,
  ])
  func decidedByMatchesTheDecidingStatement(decidedBy: String) throws {
    let root = try Self.repository(
      #"{"action":"s3:GetObject","resource":"arn:aws:s3:::b/k","expect":"allowed","decidedBy":\#(decidedBy)}"#)
    let result = iamsim("test", root + "/cases")
    #expect(result.status == .success, "\(result.out)\(result.err)")
    #expect(result.out == "1 passed, 0 failed\n")
  }

  @Test func aDifferentDecidingStatementFailsTheRequest() throws {
    // The right decision from the wrong statement: `Write` is not what allowed s3:GetObject.
    let root = try Self.repository(
      #"{"action":"s3:GetObject","resource":"arn:aws:s3:::b/k","expect":"allowed","decidedBy":"Write"}"#)
    let result = iamsim("test", root + "/cases")
    #expect(result.status == .failure)
    #expect(result.out.contains(
      #"expected allowed decided by statement "Write", got allowed (an identity-based policy allows it and nothing denies it); decided by identity p.json statement "Read""#))
    #expect(result.out.hasSuffix("0 passed, 1 failed\n"))
    let junit = iamsim("test", root + "/cases", "--format", "junit")
    #expect(junit.out.contains(#"<failure message="not decided by the statements of decidedBy">"#))
    let json = try JSONSerialization.jsonObject(with: Data(iamsim("test", root + "/cases", "--format", "json").out.utf8))
    let request = (((json as? [String: Any])?["files"] as? [[String: Any]])?.first?["requests"] as? [[String: Any]])?.first
    #expect(request?["passed"] as? Bool == false)
    #expect((request?["decidedBy"] as? [[String: Any]])?.first?["sid"] as? String == "Write")
  }

  @Test func decidedByOnAnExplicitDenyNamesTheDeny() throws {
    let root = try Self.repository(#"""
      {"action":"s3:DeleteBucket","resource":"arn:aws:s3:::b","expect":"explicitDeny","decidedBy":{"policy":"p.json","index":2}},
      {"action":"s3:DeleteBucket","resource":"arn:aws:s3:::b","expect":"explicitDeny","decidedBy":{"layer":"boundary"}}
      """#)
    let result = iamsim("test", root + "/cases")
    #expect(result.out.hasSuffix("1 passed, 1 failed\n"))
    #expect(result.out.contains("requests[1] s3:DeleteBucket on arn:aws:s3:::b: expected explicitDeny decided by statement in boundary, got explicitDeny"))
  }

  @Test func anInlinePolicyIsNamedByItsJSONPath() throws {
    let root = try temporaryRepository([
      "cases/a.json": #"{"identityPolicies":[{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}],"requests":[{"action":"s3:GetObject","resource":"arn:aws:s3:::b/k","expect":"allowed","decidedBy":{"policy":"$.identityPolicies[0]","index":0}}]}"#
    ])
    let result = iamsim("test", root + "/cases")
    #expect(result.status == .success, "\(result.out)")
  }

  @Test(arguments: [
    (#""decidedBy":[]"#, "`decidedBy` holds no statement"),
    (#""decidedBy":{}"#, "needs at least one of"),
    (#""decidedBy":{"statement":"Read"}"#, "`statement` is not a member of `decidedBy`"),
    (#""decidedBy":{"layer":"scp"}"#, "`layer` must be identity, boundary, session, resource, scp[N] or rcp[N]"),
    (#""decidedBy":{"index":-1}"#, "`index` must be a statement index"),
    (#""decidedBy":42"#, "`decidedBy` must be a Sid"),
    (#""name":" ""#, "`name` must not be empty"),
    (#""name":7"#, "`name` must be a string"),
  ])
  func badNamesAndDecidedByAreInvalidInput(member: String, message: String) throws {
    let root = try Self.repository(
      #"{"action":"s3:GetObject","resource":"arn:aws:s3:::b/k","expect":"allowed",\#(member)}"#)
    let result = iamsim("test", root + "/cases")
    #expect(result.status == .invalidInput)
    #expect(result.err.contains(message), "\(result.err)")
    #expect(result.err.contains("$.requests[0]"))
  }

  @Test func decidedByCannotHoldForAnImplicitDeny() throws {
    let root = try Self.repository(
      #"{"action":"iam:CreateUser","resource":"*","expect":"implicitDeny","decidedBy":"Read"}"#)
    let result = iamsim("test", root + "/cases")
    #expect(result.status == .invalidInput)
    #expect(result.err.contains("no statement decides an implicit deny"))
  }

  @Test func coverageLeavesOutAWSManagedPoliciesAndIsInJSONAndJUnit() throws {
    let root = try Self.repository(
      #"{"action":"s3:GetObject","resource":"arn:aws:s3:::b/k","expect":"allowed"}"#,
      extra: #","arn:aws:iam::aws:policy/ReadOnlyAccess""#)
    let text = iamsim("test", root + "/cases", "--coverage")
    // Three statements of p.json, one of which applied; ReadOnlyAccess's statements are not counted.
    #expect(text.out.contains("statement coverage: 1 of 3 statements (33.3%)"), "\(text.out)")
    #expect(text.out.contains("not counted: 1 AWS managed policy (not under test)"))
    #expect(!text.out.contains("UNCOVERED arn:aws:iam::aws:policy/ReadOnlyAccess"))
    let json = try JSONSerialization.jsonObject(
      with: Data(iamsim("test", root + "/cases", "--coverage", "--format", "json").out.utf8)) as? [String: Any]
    let coverage = json?["coverage"] as? [String: Any]
    #expect(coverage?["statements"] as? Int == 3)
    #expect(coverage?["covered"] as? Int == 1)
    #expect(coverage?["awsManagedPoliciesNotCounted"] as? [String] == ["arn:aws:iam::aws:policy/ReadOnlyAccess"])
    let junit = iamsim("test", root + "/cases", "--format", "junit", "--min-coverage", "50")
    #expect(junit.status == .failure)
    #expect(junit.out.contains(#"<testsuites name="iamsim" tests="2" failures="1" errors="0">"#))
    #expect(junit.out.contains(#"<property name="percentage" value="33.3"/>"#))
    #expect(junit.out.contains(#"<failure message="statement coverage 33.3% is below --min-coverage 50.0">"#))
    #expect(junit.out.contains("UNCOVERED p.json statement &quot;Write&quot;"))
  }

  @Test func aPermissionSetsAWSManagedPoliciesAreNotCounted() throws {
    let root = try temporaryRepository([
      "cases/ps.json": #"{"Name":"Readers","AwsManagedPolicies":["arn:aws:iam::aws:policy/ReadOnlyAccess"],"InlinePolicy":{"Version":"2012-10-17","Statement":[{"Sid":"Mine","Effect":"Allow","Action":"s3:PutObject","Resource":"*"}]}}"#,
      "cases/a.json": #"{"permissionSet":"ps.json","requests":[{"action":"s3:PutObject","resource":"arn:aws:s3:::b/k","expect":"allowed"}]}"#,
    ])
    let text = iamsim("test", root + "/cases", "--coverage")
    #expect(text.status == .success, "\(text.out)\(text.err)")
    #expect(text.out.contains("statement coverage: 1 of 1 statements (100.0%)"), "\(text.out)")
    #expect(text.out.contains("not counted: 1 AWS managed policy"))
  }
}
