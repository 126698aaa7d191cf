import Foundation
import Testing

@testable import IAMSimCLI

/// The rules of `diff` over IAM resources that the independent scenarios do not pin: where an IAM resource's
/// account comes from, values known only after apply, trust policies, and what cannot be resolved. They run
/// against `Fixtures/iam-changes/org-platform` (staging 222233334444 holds the role CiRunner, trusted by CodeBuild
/// only, with an inline `ci-base` policy, and OpsAutomation, which attaches the customer managed policy
/// `/platform/PlatformOperations`; the permission set PlatformOperator references that policy by name and is
/// assigned to AWS-Platform = {dana, erik} in both member accounts).
@Suite struct IAMChangeRuleTests {
  static let org = IAMChangeFixtureTests.folder + "/org-platform"

  static func iamsim(_ arguments: String...) -> (status: IAMSimCLI.ExitStatus, out: String, err: String) {
    var out = ""
    var err = ""
    let status = Tool.run(
      arguments, environment: ["IAMSIM_POLICIES": repositoryRoot + "/policies/aws-managed"], stdout: &out, stderr: &err)
    return (status, out, err)
  }

  /// A plan of resource changes, with an optional `configuration`.
  static func plan(_ changes: [String], configuration: String = "{}") throws -> String {
    try ChangeReviewTests.file(
      "plan.json",
      #"{"format_version": "1.2", "terraform_version": "1.9.5", "resource_changes": ["#
        + changes.joined(separator: ",") + #"], "configuration": "# + configuration + "}")
  }

  static func change(_ address: String, _ actions: String, before: String, after: String, unknown: String = "{}")
    -> String
  {
    let type = String(address.split(separator: ".")[0])
    return #"{"address": "\#(address)", "mode": "managed", "type": "\#(type)", "name": "x", "#
      + #""provider_name": "registry.terraform.io/hashicorp/aws", "change": {"actions": [\#(actions)], "#
      + #""before": \#(before), "after": \#(after), "after_unknown": \#(unknown)}}"#
  }

  static func entries(_ out: String) throws -> [String: [String: Any]] {
    var found: [String: [String: Any]] = [:]
    for change in try ChangeReviewTests.json(out)["changes"] as? [[String: Any]] ?? [] {
      let principal = change["principal"] as? [String: String] ?? [:]
      found["\(principal["type"]!) \(principal["name"]!) \(change["account"] as! String)"] = change
    }
    return found
  }

  static let newRole = change(
    "aws_iam_role.deploy", #""create""#, before: "null",
    after: #"{"name": "Deployer", "path": "/", "assume_role_policy": "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"codebuild.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}"}"#,
    unknown: #"{"arn": true, "id": true, "unique_id": true}"#)

  static let adminAttachment = change(
    "aws_iam_role_policy_attachment.deploy_admin", #""create""#, before: "null",
    after: #"{"role": "Deployer", "policy_arn": "arn:aws:iam::aws:policy/AdministratorAccess"}"#,
    unknown: #"{"id": true}"#)

  /// Terraform's configuration gives the provider's account as `assume_role`'s role ARN: the resources of that
  /// provider are in that account, with no `--account`.
  @Test func theProvidersAssumedRolePlacesACreatedRole() throws {
    let configuration = #"""
      {"provider_config": {"aws.staging": {"name": "aws", "alias": "staging", "expressions": {
         "assume_role": [{"role_arn": {"constant_value": "arn:aws:iam::222233334444:role/terraform"}}]}}},
       "root_module": {"resources": [
         {"address": "aws_iam_role.deploy", "mode": "managed", "type": "aws_iam_role", "name": "deploy",
          "provider_config_key": "aws.staging", "expressions": {"name": {"constant_value": "Deployer"}}},
         {"address": "aws_iam_role_policy_attachment.deploy_admin", "mode": "managed",
          "type": "aws_iam_role_policy_attachment", "name": "deploy_admin", "provider_config_key": "aws.staging",
          "expressions": {"role": {"references": ["aws_iam_role.deploy.name", "aws_iam_role.deploy"]}}}]}}
      """#
    let plan = try Self.plan([Self.newRole, Self.adminAttachment], configuration: configuration)
    let result = Self.iamsim("diff", "--plan", plan, "--org", Self.org, "--format", "json")
    #expect(result.status == .success, "\(result.err)")
    let found = try Self.entries(result.out)
    #expect(Set(found.keys) == ["role Deployer 222233334444"])
    let gained = found["role Deployer 222233334444"]?["gained"] as? [String] ?? []
    #expect(gained.contains("iam:CreateUser") && gained.contains("s3:DeleteBucket"))
    // Without a provider account or --account, a created role cannot be placed: invalid input, never a guess.
    let unplaced = Self.iamsim("diff", "--plan", try Self.plan([Self.newRole, Self.adminAttachment]), "--org", Self.org)
    #expect(unplaced.status == .invalidInput)
    #expect(unplaced.err.contains("aws_iam_role.deploy: the account of this IAM resource is not known"))
    #expect(unplaced.err.contains("give it with --account ID"))
  }

  /// A customer managed policy whose new document is known only after apply: every session of its account is
  /// not compared, users and roles alike, and a gate that could match trips (fail closed).
  @Test func aPolicyDocumentKnownOnlyAfterApplyLeavesItsAccountNotCompared() throws {
    let document = #"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"ssm:Describe*\",\"Resource\":\"*\"}]}"#
    let values = #"{"name": "PlatformOperations", "path": "/platform/", "arn": "arn:aws:iam::222233334444:policy/platform/PlatformOperations", "policy": "\#(document)"}"#
    let plan = try Self.plan([
      Self.change(
        "aws_iam_policy.operations", #""update""#, before: values,
        after: #"{"name": "PlatformOperations", "path": "/platform/", "arn": "arn:aws:iam::222233334444:policy/platform/PlatformOperations"}"#,
        unknown: #"{"policy": true}"#)
    ])
    let result = Self.iamsim(
      "diff", "--plan", plan, "--org", Self.org, "--format", "json", "--fail-on", "access-level=Permissions management")
    #expect(result.status == .failure, "\(result.err)")
    let object = try ChangeReviewTests.json(result.out)
    #expect((object["changes"] as? [Any])?.isEmpty == true)
    let notCompared = object["notCompared"] as? [[String: Any]] ?? []
    let names = Set(notCompared.compactMap { ($0["principal"] as? [String: String])?["name"] })
    #expect(names.isSuperset(of: ["dana@example.com", "erik@example.com"]))
    #expect(notCompared.allSatisfy { $0["account"] as? String == "222233334444" })
    #expect(notCompared.contains { ($0["reason"] as? String)?.contains("the document of the policy /platform/PlatformOperations") == true })
  }

  /// "A role trust policy is a required resource-based policy that is attached to a role in IAM. The principals
  /// that you can specify in the trust policy include users, roles, accounts, and services." A trust policy that
  /// newly names every AWS principal makes the role public: the role's entry gains `external-access.public`
  /// without gaining an action.
  @Test func aTrustPolicyOpenedToEveryoneIsANewFinding() throws {
    let trust = { (principal: String) in
      #"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\#(principal),\"Action\":\"sts:AssumeRole\"}]}"#
    }
    let role = { (principal: String) in
      #"{"name": "CiRunner", "path": "/", "arn": "arn:aws:iam::222233334444:role/CiRunner", "assume_role_policy": "\#(trust(principal))"}"#
    }
    let plan = try Self.plan([
      Self.change(
        "aws_iam_role.ci", #""update""#, before: role(#"{\"Service\":\"codebuild.amazonaws.com\"}"#),
        after: role(#"{\"AWS\":\"*\"}"#))
    ])
    let result = Self.iamsim("diff", "--plan", plan, "--org", Self.org, "--format", "json", "--fail-on", "finding=external-access")
    #expect(result.status == .failure, "\(result.err)")
    let entry = try #require(try Self.entries(result.out)["role CiRunner 222233334444"])
    #expect(entry["gained"] as? [String] == [])
    #expect(entry["findingsGained"] as? [String] == ["external-access.public"])
    #expect((entry["causes"] as? [String] ?? []).contains("role CiRunner: trust policy changed"))
  }

  /// A plan that deletes a customer managed policy while a role it does not touch still attaches it is refused:
  /// AWS refuses it too ("You must detach the policy from all users, groups, and roles that it is attached to
  /// before you can delete it"), and iamsim will not guess which side wins.
  @Test func deletingAPolicyARoleStillAttachesIsAnError() throws {
    let document = #"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"ssm:Describe*\",\"Resource\":\"*\"}]}"#
    let plan = try Self.plan([
      Self.change(
        "aws_iam_policy.operations", #""delete""#,
        before: #"{"name": "PlatformOperations", "path": "/platform/", "arn": "arn:aws:iam::222233334444:policy/platform/PlatformOperations", "policy": "\#(document)"}"#,
        after: "null")
    ])
    let result = Self.iamsim("diff", "--plan", plan, "--org", Self.org)
    #expect(result.status == .invalidInput)
    #expect(result.err.contains("the role OpsAutomation attaches `arn:aws:iam::222233334444:policy/platform/PlatformOperations`, which is not a customer managed policy of account 222233334444"))
  }
}

extension IAMChangeRuleTests {
  /// A case suite about an IAM role runs against the planned organization and fails on the request the plan breaks:
  /// `tf-inline-deny-removes-action` adds a Deny of `s3:DeleteObject` to ReportingService (which
  /// AmazonS3FullAccess allows), so the suite's "may delete objects" request, true today, fails under `--plan`.
  @Test func aRoleCaseSuiteFailsOnTheRequestThePlanBreaks() throws {
    let suite = try ChangeReviewTests.file(
      "reporting.json",
      #"""
      {
        "organization": "\#(Self.org)",
        "caller": {"account": "222233334444", "role": "ReportingService"},
        "requests": [
          {"name": "reporting deletes an old report", "action": "s3:DeleteObject",
           "resource": "arn:aws:s3:::reports-staging/2026/old.csv", "expect": "allowed"},
          {"name": "reporting reads a report", "action": "s3:GetObject",
           "resource": "arn:aws:s3:::reports-staging/2026/q3.csv", "expect": "allowed"}
        ]
      }
      """#)
    let today = Self.iamsim("test", suite, "--allow-outside-paths")
    #expect(today.status == .success, "\(today.out)\(today.err)")
    let plan = IAMChangeFixtureTests.folder + "/tf-inline-deny-removes-action/plan.json"
    let planned = Self.iamsim("test", suite, "--plan", plan, "--allow-outside-paths", "--format", "json")
    #expect(planned.status == .failure, "\(planned.err)")
    #expect(planned.out.contains("reporting deletes an old report"))
    let object = try ChangeReviewTests.json(planned.out)
    let summary = object["summary"] as? [String: Any] ?? object
    #expect(summary["failed"] as? Int == 1, "\(planned.out)")
  }
}

extension IAMChangeRuleTests {
  /// Two Terraform states compared without an organization directory: the states are all that is known of the
  /// account, roles are placed by their ARNs, and a role whose state records one more attached policy gains it.
  @Test func twoStatesWithRolesAreComparedOnTheirOwn() throws {
    func state(_ attached: [String]) throws -> String {
      let arns = attached.map { "\"\($0)\"" }.joined(separator: ", ")
      return try ChangeReviewTests.file(
        "state.json",
        #"""
        {"format_version": "1.0", "terraform_version": "1.9.5", "values": {"root_module": {"resources": [
          {"address": "aws_iam_role.app", "mode": "managed", "type": "aws_iam_role", "name": "app",
           "provider_name": "registry.terraform.io/hashicorp/aws",
           "values": {"name": "App", "path": "/", "arn": "arn:aws:iam::333344445555:role/App",
                      "assume_role_policy": "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"lambda.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}",
                      "managed_policy_arns": [\#(arns)], "inline_policy": [], "tags": {}, "tags_all": {}}}]}}}
        """#)
    }
    let before = try state(["arn:aws:iam::aws:policy/ReadOnlyAccess"])
    let after = try state(["arn:aws:iam::aws:policy/ReadOnlyAccess", "arn:aws:iam::aws:policy/AmazonS3FullAccess"])
    let result = Self.iamsim("diff", before, after, "--format", "json")
    #expect(result.status == .success, "\(result.err)")
    let found = try Self.entries(result.out)
    #expect(Set(found.keys) == ["role App 333344445555"])
    let entry = try #require(found["role App 333344445555"])
    let gained = entry["gained"] as? [String] ?? []
    #expect(gained.contains("s3:DeleteBucket") && gained.contains("s3:PutObject"))
    // ReadOnlyAccess already allowed reading objects.
    #expect(!gained.contains("s3:GetObject"))
    #expect(entry["lost"] as? [String] == [])
    #expect((entry["causes"] as? [String] ?? []).contains("role App: attaches AmazonS3FullAccess"))
  }
}

extension IAMChangeRuleTests {
  /// Text, Markdown and HTML name the role in their summary, and count roles apart from users.
  @Test func everyFormatSummarisesTheRole() throws {
    let plan = IAMChangeFixtureTests.folder + "/tf-gate-permissions-management-trips/plan.json"
    let text = Self.iamsim("diff", "--plan", plan, "--org", Self.org)
    #expect(text.out.contains("   IAM roles: 1 gains access, 0 lose access\n"))
    #expect(text.out.contains("  +role CiRunner gains 4 actions (Permissions management 4)"))
    #expect(text.out.contains("  role CiRunner in 222233334444\n    because: role CiRunner: inline policy ci-iam-bootstrap added\n"))
    let markdown = Self.iamsim("diff", "--plan", plan, "--org", Self.org, "--format", "markdown")
    #expect(markdown.out.contains("**IAM roles: 1 gains access, 0 lose access.**"))
    #expect(markdown.out.contains("| ➕ | role CiRunner gains |"))
    let html = Self.iamsim("diff", "--plan", plan, "--org", Self.org, "--format", "html")
    #expect(html.out.contains("<h3>role CiRunner in 222233334444 (platform-staging)</h3>"))
  }
}
