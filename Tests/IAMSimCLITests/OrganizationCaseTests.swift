import Foundation
import IAMTestSupport
import Testing

@testable import IAMSimCLI

/// Case files asked as callers of an organization (`organization`, `caller`), and `iamsim test --org/--plan`.
///
/// Expectations come from the example organization's policies (cases/example-org/README.md): AWS-DBA = {alice}
/// holds DatabaseAdministrator in 111122223333; AWS-Engineering = {bob (department Finance), carol (Engineering)}
/// holds DepartmentEngineer in 444455556666; carol holds DatabaseAdministrator there directly. AWS's
/// DatabaseAdministrator job function allows `rds:*` but not `s3:DeleteBucket`; the engineering account's SCP
/// `DenyOutsideEU` denies every action but IAM, STS, Organizations and Support outside eu-west-1 and eu-central-1;
/// DepartmentEngineer's inline policy allows `s3:GetObject` only on objects tagged with the caller's own
/// Department (statement `OwnDepartmentObjects`), and ViewOnlyAccess does not allow `s3:GetObject`.
@Suite struct OrganizationCaseTests {
  static let org = repositoryRoot + "/cases/example-org"
  static let suite = org + "/cases"
  static let instance = "arn:aws:sso:::instance/ssoins-1234567890abcdef"
  static let engineerArn = "arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-eng0000000000002"

  /// Writes a fixture to a fresh temporary folder and returns its path.
  static func file(_ name: String, _ text: String) throws -> String {
    let folder = Scratch.root.appendingPathComponent("iamsim-orgcases-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    let path = folder + "/" + name
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  /// A case file of one request by `caller` (a JSON object) expecting `expect`.
  static func oneRequest(_ caller: String, _ action: String, _ resource: String, expect: String, context: String = "{}") -> String {
    """
    {
      "requests": [
        {"caller": \(caller), "action": "\(action)", "resource": "\(resource)", "context": \(context), "expect": "\(expect)"}
      ]
    }
    """
  }

  static let alice = #"{"user": "alice@example.com", "account": "111122223333", "permissionSet": "DatabaseAdministrator"}"#
  static let carol = #"{"user": "carol@example.com", "account": "444455556666", "permissionSet": "DatabaseAdministrator"}"#
  static let bob = #"{"user": "bob@example.com", "account": "444455556666", "permissionSet": "DepartmentEngineer"}"#

  @Test(arguments: [
    (alice, "rds:CreateDBInstance", "arn:aws:rds:eu-west-1:111122223333:db:orders", "allowed", "{}"),
    (alice, "s3:DeleteBucket", "arn:aws:s3:::audit-logs", "implicitDeny", "{}"),
    (carol, "rds:CreateDBInstance", "arn:aws:rds:eu-west-1:444455556666:db:x", "allowed", #"{"aws:RequestedRegion": "eu-west-1"}"#),
    (carol, "rds:CreateDBInstance", "arn:aws:rds:us-east-1:444455556666:db:x", "explicitDeny", #"{"aws:RequestedRegion": "us-east-1"}"#),
    (bob, "ec2:StopInstances", "arn:aws:ec2:eu-west-1:444455556666:instance/i-1", "allowed",
     #"{"aws:RequestedRegion": "eu-west-1", "aws:ResourceTag/Department": "Finance"}"#),
    (bob, "ec2:StopInstances", "arn:aws:ec2:eu-west-1:444455556666:instance/i-2", "implicitDeny",
     #"{"aws:RequestedRegion": "eu-west-1", "aws:ResourceTag/Department": "Engineering"}"#),
  ])
  func aCallerOfTheOrganizationGetsTheDecisionItsPoliciesGiveAndNoOther(
    caller: String, action: String, resource: String, expect: String, context: String
  ) throws {
    let path = try Self.file("case.json", Self.oneRequest(caller, action, resource, expect: expect, context: context))
    let passed = iamsim("test", path, "--org", Self.org)
    #expect(passed.status == .success, "\(passed.out)\(passed.err)")
    #expect(passed.out.contains("1 passed, 0 failed"))
    // The same request expecting any other decision fails: the expectation is checked, not echoed.
    for other in ["allowed", "explicitDeny", "implicitDeny"] where other != expect {
      let wrong = try Self.file("case.json", Self.oneRequest(caller, action, resource, expect: other, context: context))
      let failed = iamsim("test", wrong, "--org", Self.org)
      #expect(failed.status == .failure, "\(other): \(failed.out)\(failed.err)")
      #expect(failed.out.contains("expected \(other), got \(expect)"), "\(failed.out)")
    }
  }

  @Test func theExampleOrganizationsCaseFilesPassAsTheyAreInTheRepository() {
    let result = iamsim("test", Self.suite)
    #expect(result.status == .success, "\(result.out)\(result.err)")
    #expect(result.out.contains("14 passed, 0 failed"), "\(result.out)")
  }

  /// A plan that narrows DepartmentEngineer's inline policy: `OwnDepartmentObjects` (s3:GetObject on the caller's
  /// department's objects) is dropped, the other statements kept. Written as `terraform show -json` prints a plan.
  static func narrowingPlan() throws -> String {
    let permissionSet = """
      {"arn": "\(engineerArn)", "id": "\(engineerArn),\(instance)", "instance_arn": "\(instance)", "name": "DepartmentEngineer",
       "description": "ABAC example", "relay_state": null, "session_duration": "PT4H", "tags": null}
      """
    let data = try Data(contentsOf: URL(fileURLWithPath: org + "/permission-sets/DepartmentEngineer.json"))
    let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    var inline = try #require(object["InlinePolicy"] as? [String: Any])
    func encoded(_ policy: [String: Any]) throws -> String {
      let text = String(decoding: try JSONSerialization.data(withJSONObject: policy, options: [.sortedKeys]), as: UTF8.self)
      // As a JSON string inside the plan.
      return String(decoding: try JSONSerialization.data(withJSONObject: [text], options: []), as: UTF8.self).dropFirst().dropLast()
        .description
    }
    let before = try encoded(inline)
    let statements = try #require(inline["Statement"] as? [[String: Any]])
    #expect(statements.contains { $0["Sid"] as? String == "OwnDepartmentObjects" })
    inline["Statement"] = statements.filter { $0["Sid"] as? String != "OwnDepartmentObjects" }
    let after = try encoded(inline)
    func values(_ policy: String) -> String {
      """
      {"id": "\(engineerArn),\(instance)", "instance_arn": "\(instance)", "permission_set_arn": "\(engineerArn)", "inline_policy": \(policy)}
      """
    }
    return try file("plan.json", """
      {
        "format_version": "1.2", "terraform_version": "1.9.5",
        "resource_changes": [
          {"address": "aws_ssoadmin_permission_set.engineer", "mode": "managed", "type": "aws_ssoadmin_permission_set",
           "name": "engineer", "provider_name": "registry.terraform.io/hashicorp/aws",
           "change": {"actions": ["no-op"], "before": \(permissionSet), "after": \(permissionSet), "after_unknown": {},
                      "before_sensitive": {}, "after_sensitive": {}}},
          {"address": "aws_ssoadmin_permission_set_inline_policy.engineer", "mode": "managed",
           "type": "aws_ssoadmin_permission_set_inline_policy", "name": "engineer",
           "provider_name": "registry.terraform.io/hashicorp/aws",
           "change": {"actions": ["update"], "before": \(values(before)), "after": \(values(after)), "after_unknown": {},
                      "before_sensitive": {}, "after_sensitive": {}}}
        ]
      }
      """)
  }

  @Test func aPlanThatBreaksOneExpectedAccessFailsExactlyThatRequest() throws {
    let plan = try Self.narrowingPlan()
    let without = iamsim("test", Self.suite, "--org", Self.org)
    #expect(without.status == .success, "\(without.out)\(without.err)")
    let with = iamsim("test", Self.suite, "--plan", plan, "--org", Self.org)
    #expect(with.status == .failure, "\(with.out)\(with.err)")
    let failures = with.out.split(separator: "\n").filter { $0.hasPrefix("FAIL") }
    #expect(failures.count == 1, "\(with.out)")
    #expect(failures.first?.contains("organization-abac.json requests[2] \"bob reads a Finance object\" s3:GetObject") == true)
    #expect(failures.first?.contains("expected allowed, got implicitDeny") == true)
    #expect(with.out.contains("13 passed, 1 failed"))
    // Without --org, the plan is laid over the organization each case file names: the same single failure.
    let overFiles = iamsim("test", Self.suite, "--plan", plan)
    #expect(overFiles.status == .failure)
    #expect(overFiles.out.split(separator: "\n").filter { $0.hasPrefix("FAIL") } == failures)
    // The planned state is the after side `diff --plan` reviews: it reports the same loss for bob and carol.
    let diff = iamsim("diff", "--plan", plan, "--org", Self.org, "--format", "json")
    #expect(diff.out.contains("s3:GetObject"), "\(diff.out)")
  }

  @Test func aSessionThePlanLeavesUnknownUntilApplyIsAnErrorNotAGuess() throws {
    // DatabaseAdministrator gets an inline policy whose text is known only after apply.
    let plan = try Self.file("plan.json", """
      {
        "format_version": "1.2", "terraform_version": "1.9.5",
        "resource_changes": [
          \(ChangeReviewTests.dbaNoOp),
          {"address": "aws_ssoadmin_permission_set_inline_policy.dba", "mode": "managed",
           "type": "aws_ssoadmin_permission_set_inline_policy", "name": "dba",
           "provider_name": "registry.terraform.io/hashicorp/aws",
           "change": {"actions": ["create"], "before": null,
                      "after": {"instance_arn": "\(Self.instance)", "permission_set_arn": "\(ChangeReviewTests.dbaArn)"},
                      "after_unknown": {"id": true, "inline_policy": true}}}
        ]
      }
      """)
    let result = iamsim("test", Self.suite + "/organization-callers.json", "--plan", plan, "--org", Self.org)
    #expect(result.status == .invalidInput, "\(result.out)\(result.err)")
    #expect(result.err.contains("organization-callers.json:7:17: error: the session of alice@example.com with DatabaseAdministrator in 111122223333 is known only after apply"),
            "\(result.err)")
    #expect(result.err.contains("[change.unresolved] (at $.requests[0].caller)"))
    // The DepartmentEngineer sessions the plan does not touch are still tested.
    let abac = iamsim("test", Self.suite + "/organization-abac.json", "--plan", plan, "--org", Self.org)
    #expect(abac.status == .success, "\(abac.out)\(abac.err)")
  }

  @Test func aCallerTheOrganizationDoesNotHaveIsAnErrorWithItsPosition() throws {
    let path = try Self.file("case.json", """
      {
        "requests": [
          {"action": "s3:GetObject", "resource": "arn:aws:s3:::b/k", "expect": "implicitDeny",
           "caller": {"user": "dave@example.com", "account": "111122223333", "permissionSet": "DatabaseAdministrator"}},
          {"action": "s3:GetObject", "resource": "arn:aws:s3:::b/k", "expect": "implicitDeny",
           "caller": {"user": "alice@example.com", "account": "444455556666", "permissionSet": "DatabaseAdministrator"}},
          {"action": "s3:GetObject", "resource": "arn:aws:s3:::b/k", "expect": "implicitDeny",
           "caller": {"account": "111122223333", "iamUser": "nobody"}}
        ]
      }
      """)
    let result = iamsim("test", path, "--org", Self.org)
    // Never a silent pass or "denied": expecting implicitDeny does not make an unknown caller pass.
    #expect(result.status == .invalidInput)
    #expect(result.out.contains("0 passed, 0 failed"))
    #expect(result.err.contains("case.json:4:16: error: the identity store has no user named `dave@example.com`"), "\(result.err)")
    #expect(result.err.contains("[organization.unknown-user] (at $.requests[0].caller)"))
    #expect(result.err.contains("case.json:6:16: error: `alice@example.com` is not assigned the permission set `DatabaseAdministrator` in account 444455556666"))
    #expect(result.err.contains("[organization.not-assigned] (at $.requests[1].caller)"))
    #expect(result.err.contains("(at $.requests[2].caller)"))
    // Without an organization, a caller is an error where it is named.
    let none = iamsim("test", path)
    #expect(none.status == .invalidInput)
    #expect(none.err.contains("case.json:4:16: error: the file names no `organization` for its callers"), "\(none.err)")
  }

  @Test func membersThatSpellOutPoliciesCannotBeCombinedWithAnOrganizationCaller() throws {
    for member in ["identityPolicies", "scps", "permissionSet", "principal"] {
      let value = member == "principal" ? #"{"arn": "arn:aws:iam::111122223333:role/r"}"# : "[]"
      let path = try Self.file("case.json", """
        {
          "caller": {"user": "alice@example.com", "account": "111122223333", "permissionSet": "DatabaseAdministrator"},
          "\(member)": \(value),
          "requests": [{"action": "s3:GetObject", "resource": "arn:aws:s3:::b/k", "expect": "implicitDeny"}]
        }
        """)
      let result = iamsim("test", path, "--org", Self.org)
      #expect(result.status == .invalidInput, "\(member)")
      #expect(result.err.contains("case.json:3:3: error: `\(member)` spells out the caller or its policies"), "\(result.err)")
      #expect(result.err.contains("(at $.\(member))"))
    }
    // resourcePolicy, context and the network members still go with a caller: a bucket policy that denies alice
    // turns her allowed request into an explicit deny.
    let path = try Self.file("case.json", """
      {
        "caller": {"user": "alice@example.com", "account": "111122223333", "permissionSet": "DatabaseAdministrator"},
        "resourcePolicy": {"Version": "2012-10-17", "Statement": [{"Sid": "NoDeletes", "Effect": "Deny", "Principal": "*",
                           "Action": "rds:DeleteDBInstance", "Resource": "*"}]},
        "requests": [
          {"action": "rds:DeleteDBInstance", "resource": "arn:aws:rds:eu-west-1:111122223333:db:orders", "expect": "explicitDeny",
           "decidedBy": {"sid": "NoDeletes", "layer": "resource"}},
          {"action": "rds:CreateDBInstance", "resource": "arn:aws:rds:eu-west-1:111122223333:db:orders", "expect": "allowed"}
        ]
      }
      """)
    let result = iamsim("test", path, "--org", Self.org)
    #expect(result.status == .success, "\(result.out)\(result.err)")
  }

  @Test func aRequestWithoutACallerInAnOrganizationFileAndABadCallerAreErrors() throws {
    let path = try Self.file("case.json", """
      {
        "requests": [
          {"action": "s3:GetObject", "resource": "arn:aws:s3:::b/k", "expect": "implicitDeny",
           "caller": {"user": "alice@example.com", "account": "111122223333", "permissionSet": "DatabaseAdministrator"}},
          {"action": "s3:GetObject", "resource": "arn:aws:s3:::b/k", "expect": "implicitDeny"},
          {"action": "s3:GetObject", "resource": "arn:aws:s3:::b/k", "expect": "implicitDeny",
           "caller": {"user": "alice@example.com", "account": "111122223333"}}
        ]
      }
      """)
    let result = iamsim("test", path, "--org", Self.org)
    #expect(result.status == .invalidInput)
    #expect(result.err.contains("case.json:5:5: error: this request has no `caller`"), "\(result.err)")
    #expect(result.err.contains("case.json:7:16: error: `caller` names one caller with `account`"), "\(result.err)")
    // eval --case cannot answer for such a file: it has no policies of its own.
    #expect(iamsim("eval", "--case", Self.suite + "/organization-callers.json").status == .usage)
  }

  @Test func orgOrPlanThatNoCaseFileAsksInIsAnErrorAndAStateIsNotAPlan() throws {
    // Fail closed: a suite with no caller proves nothing about the organization it was run against.
    let noCallers = iamsim("test", repositoryRoot + "/cases/aws-docs", "--org", Self.org)
    #expect(noCallers.status == .invalidInput)
    #expect(noCallers.err.contains("--org/--plan given, but no case file names a `caller`"), "\(noCallers.err)")
    let state = try Self.file("state.json", #"{"format_version": "1.0", "terraform_version": "1.9.5", "values": {"root_module": {}}}"#)
    #expect(iamsim("test", Self.suite, "--plan", state, "--org", Self.org).status == .usage)
    #expect(iamsim("test", Self.suite, "--org", Self.suite + "/organization-abac.json").status == .usage)
  }

  @Test func anOrganizationThatDoesNotLoadIsAnErrorWhereTheFileNamesIt() throws {
    let path = try Self.file("case.json", """
      {
        "organization": "no-such-org",
        "caller": {"user": "alice@example.com", "account": "111122223333", "permissionSet": "DatabaseAdministrator"},
        "requests": [{"action": "s3:DeleteBucket", "resource": "arn:aws:s3:::audit-logs", "expect": "implicitDeny"}]
      }
      """)
    let result = iamsim("test", path)
    #expect(result.status == .invalidInput)
    #expect(result.err.contains("case.json:2:19: error: the organization"), "\(result.err)")
    #expect(result.err.contains("(at $.organization)"))
    // --org on the command line takes the place of the one the file names.
    let given = iamsim("test", path, "--org", Self.org)
    #expect(given.status == .success, "\(given.out)\(given.err)")
  }
}
