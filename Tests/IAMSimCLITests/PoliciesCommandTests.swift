import Foundation
import Testing

@testable import IAMSimCLI

/// Issue 12: every AWS managed policy is compiled in, by ARN or name, wherever a policy is accepted.
@Suite struct PoliciesCommandTests {
  /// Runs iamsim with an empty environment from a folder outside the repository, so nothing can be found on disk.
  func isolated(_ arguments: String...) -> (status: IAMSimCLI.ExitStatus, out: String, err: String) {
    var out = ""
    var err = ""
    let status = Tool.run(arguments, environment: [:], stdout: &out, stderr: &err)
    return (status, out, err)
  }

  @Test func anyManagedPolicyByARNOrNameWorksInEval() {
    let byARN = isolated(
      "eval", "--policy", "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess", "--action", "s3:GetObject", "--resource",
      "arn:aws:s3:::b/k")
    #expect(byARN.status == .success)
    #expect(byARN.out.hasPrefix("s3:GetObject on arn:aws:s3:::b/k: allowed"))
    let byName = isolated(
      "eval", "--policy", "AmazonS3ReadOnlyAccess", "--boundary", "arn:aws:iam::aws:policy/PowerUserAccess", "--action",
      "s3:PutObject", "--resource", "arn:aws:s3:::b/k")
    #expect(byName.out.hasPrefix("s3:PutObject on arn:aws:s3:::b/k: implicitDeny"))
  }

  @Test func aMisspelledNameOrARNExits2WithTheClosestNames() {
    let name = isolated("eval", "--policy", "AmazonS3ReadOnlyAcess", "--action", "s3:GetObject")
    #expect(name.status == .invalidInput)
    #expect(name.err.contains("did you mean `AmazonS3ReadOnlyAccess`"))
    let arn = isolated("audit", "--policy", "arn:aws:iam::aws:policy/PowerUserAcess")
    #expect(arn.status == .invalidInput)
    #expect(arn.err.contains("did you mean `arn:aws:iam::aws:policy/PowerUserAccess`"))
    let path = isolated("eval", "--policy", "arn:aws:iam::aws:policy/ViewOnlyAccess", "--action", "s3:ListAllMyBuckets")
    #expect(path.err.contains("did you mean `arn:aws:iam::aws:policy/job-function/ViewOnlyAccess`"))
    let validate = isolated("validate", "arn:aws:iam::aws:policy/job-function/ViewOnlyAcess")
    #expect(validate.status == .invalidInput)
    #expect((validate.out + validate.err).contains("did you mean `arn:aws:iam::aws:policy/job-function/ViewOnlyAccess`"))
  }

  @Test func validateAuditAndDiffTakeManagedPolicies() {
    let validate = isolated("validate", "AmazonS3ReadOnlyAccess", "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess")
    #expect(validate.status == .success)
    #expect(validate.out.contains("AmazonS3ReadOnlyAccess: valid identity policy"))
    let audit = isolated("audit", "--policy", "AmazonS3ReadOnlyAccess", "--format", "json")
    #expect(audit.out.contains("\"s3:GetObject\""))
    #expect(audit.out.contains("\"sha256\""))
    let diff = isolated("diff", "AmazonS3ReadOnlyAccess", "AmazonS3FullAccess", "--format", "json")
    #expect(diff.out.contains("s3:PutObject"))
    #expect(diff.out.contains("\"policies\""))
  }

  @Test func caseFilesAndInlinePermissionSetsTakeAnyManagedPolicy() throws {
    let root = try temporaryRepository([
      "cases/s3.json": """
        {"identityPolicies": ["arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"],
         "requests": [{"action": "s3:GetObject", "resource": "arn:aws:s3:::b/k", "expect": "allowed"},
                      {"action": "s3:PutObject", "resource": "arn:aws:s3:::b/k", "expect": "implicitDeny"}]}
        """,
      "cases/ps.json": """
        {"permissionSet": {"Name": "Reader", "AwsManagedPolicies": ["arn:aws:iam::aws:policy/AmazonDynamoDBReadOnlyAccess"]},
         "requests": [{"action": "dynamodb:GetItem", "resource": "arn:aws:dynamodb:us-east-1:111122223333:table/t", "expect": "allowed"}]}
        """,
      "bad/typo.json": """
        {"identityPolicies": ["arn:aws:iam::aws:policy/AmazonS3ReadOnlyAcess"], "requests": [{"action": "s3:GetObject", "expect": "allowed"}]}
        """,
    ])
    defer { try? FileManager.default.removeItem(atPath: root) }
    let good = isolated("test", root + "/cases")
    #expect(good.status == .success, "\(good.out)\(good.err)")
    #expect(good.out.contains("3 passed, 0 failed"))
    let bad = isolated("test", root + "/bad")
    #expect(bad.status == .invalidInput)
    #expect((bad.out + bad.err).contains("did you mean `arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess`"))
  }

  @Test func listShowInfoAndVersion() {
    let list = isolated("policies", "list", "job-function/")
    #expect(list.status == .success)
    #expect(list.out.split(separator: "\n").count == 11)
    #expect(list.out.contains("arn:aws:iam::aws:policy/job-function/ViewOnlyAccess"))
    let show = isolated("policies", "show", "arn:aws:iam::aws:policy/AdministratorAccess")
    #expect(show.out.contains("version:  v1"))
    #expect(show.out.contains("\"Action\": \"*\""))
    let json = isolated("policies", "show", "ReadOnlyAccess", "--format", "json")
    #expect(json.out.contains("\"versionId\": \"v188\""))
    let info = isolated("policies", "info", "--verify")
    #expect(info.status == .success)
    #expect(info.out.contains("policies:     1570"))
    #expect(info.out.contains("verified:     yes"))
    let version = isolated("--version")
    #expect(version.out.contains("iamsim \(Tool.version)"))
    #expect(version.out.contains("AWS managed policies: 1570 policies, 2026-08-21"))
    #expect(version.out.contains("catalog: AWS Service Authorization Reference, 2026-08-21"))
    for command in ["policies"] {
      #expect(isolated(command, "--help").out.contains("USAGE: iamsim policies list"))
    }
    #expect(isolated("policies", "show", "NoSuchPolicyAnywhere").status == .invalidInput)
    #expect(isolated("policies", "frobnicate").status == .usage)
  }

  @Test func updateRebuildsFromAFolderOfPolicies() throws {
    let root = try temporaryRepository([
      "in/OnlyOne.json": #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListAllMyBuckets","Resource":"*"}]}"#
    ])
    defer { try? FileManager.default.removeItem(atPath: root) }
    let result = isolated("policies", "update", root + "/in", "--output", root + "/out.swift", "--source", "a test")
    #expect(result.status == .success, "\(result.err)")
    #expect(result.out.contains("1 policies, 1 blocks"))
    let written = try String(contentsOfFile: root + "/out.swift", encoding: .utf8)
    #expect(written.contains("enum ShippedPolicies"))
    #expect(written.contains("P\tOnlyOne\t/\t"))
  }
}
