import Foundation
import IAMOrganization
import IAMTestSupport
import Testing

@testable import IAMSimCLI

/// `iamsim diff --plan` and `--template`: Terraform plans and states and CloudFormation templates, written here in
/// Terraform's and AWS's documented shapes, reviewed in people against the example organization.
///
/// Expectations come from the policies, not from the tool: the example organization has AWS-DBA = {alice}
/// holding DatabaseAdministrator in 111122223333, AWS-Engineering = {bob, carol} holding DepartmentEngineer in
/// 444455556666, and carol holding DatabaseAdministrator directly in 444455556666. AWS's DatabaseAdministrator job
/// function grants no `s3:DeleteBucket` and no `iam:CreateUser`; AdministratorAccess (`"Action": "*"`) grants both;
/// ReadOnlyAccess grants `s3:GetObject`.
@Suite struct ChangeReviewTests {
  static let org = repositoryRoot + "/cases/example-org"
  static let instance = "arn:aws:sso:::instance/ssoins-1234567890abcdef"
  static let dbaArn = "arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-dba0000000000001"
  static let alice = "9067a1b2c3-11111111-1111-1111-1111-111111111111"
  static let bob = "9067a1b2c3-22222222-2222-2222-2222-222222222222"
  static let carol = "9067a1b2c3-33333333-3333-3333-3333-333333333333"
  static let dbaGroup = "9067a1b2c3-aaaaaaaa-0000-0000-0000-000000000001"
  static let engineeringGroup = "9067a1b2c3-aaaaaaaa-0000-0000-0000-000000000002"

  /// Writes a fixture to a fresh temporary file.
  static func file(_ name: String, _ text: String) throws -> String {
    let folder = Scratch.root.appendingPathComponent("iamsim-change-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    let path = folder + "/" + name
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  static func json(_ text: String) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
  }

  /// `changes` entries of users, by (user, account, via): gained and lost.
  static func users(_ object: [String: Any]) -> [String: (gained: Set<String>, lost: Set<String>, group: String?)] {
    var result: [String: (gained: Set<String>, lost: Set<String>, group: String?)] = [:]
    for change in object["changes"] as? [[String: Any]] ?? [] {
      guard let principal = change["principal"] as? [String: String], principal["type"] == "user" else { continue }
      let key = "\(principal["name"]!) \(change["account"] as! String) \(change["via"] as! String)"
      result[key] = (Set(change["gained"] as? [String] ?? []), Set(change["lost"] as? [String] ?? []), change["group"] as? String)
    }
    return result
  }

  /// The permission set DatabaseAdministrator as the plan's prior state knows it (unchanged): it joins the ARN the
  /// attachments name to the name the organization directory uses.
  static let dbaNoOp = """
    {
      "address": "aws_ssoadmin_permission_set.dba", "mode": "managed", "type": "aws_ssoadmin_permission_set", "name": "dba",
      "provider_name": "registry.terraform.io/hashicorp/aws",
      "change": {
        "actions": ["no-op"],
        "before": {"arn": "\(dbaArn)", "id": "\(dbaArn),\(instance)", "instance_arn": "\(instance)", "name": "DatabaseAdministrator",
                   "description": "Database administration", "relay_state": null, "session_duration": "PT8H", "tags": null},
        "after": {"arn": "\(dbaArn)", "id": "\(dbaArn),\(instance)", "instance_arn": "\(instance)", "name": "DatabaseAdministrator",
                  "description": "Database administration", "relay_state": null, "session_duration": "PT8H", "tags": null},
        "after_unknown": {}, "before_sensitive": {}, "after_sensitive": {}
      }
    }
    """

  static func attachment(_ actions: String, before: Bool, after: Bool) -> String {
    let values = """
      {"id": "arn:aws:iam::aws:policy/AdministratorAccess,\(dbaArn),\(instance)", "instance_arn": "\(instance)",
       "managed_policy_arn": "arn:aws:iam::aws:policy/AdministratorAccess", "managed_policy_name": "AdministratorAccess",
       "permission_set_arn": "\(dbaArn)"}
      """
    return """
      {
        "format_version": "1.2", "terraform_version": "1.9.5",
        "resource_changes": [
          \(dbaNoOp),
          {
            "address": "aws_ssoadmin_managed_policy_attachment.dba_admin", "mode": "managed",
            "type": "aws_ssoadmin_managed_policy_attachment", "name": "dba_admin",
            "provider_name": "registry.terraform.io/hashicorp/aws",
            "change": {"actions": \(actions), "before": \(before ? values : "null"), "after": \(after ? values : "null"),
                       "after_unknown": {}, "before_sensitive": {}, "after_sensitive": {}}
          }
        ]
      }
      """
  }

  @Test func aPlanThatAddsAGroupMembershipGivesTheNewMemberTheGroupsAccessAndNobodyElseAnything() throws {
    let plan = try Self.file("plan.json", """
      {
        "format_version": "1.2", "terraform_version": "1.9.5",
        "resource_changes": [{
          "address": "aws_identitystore_group_membership.bob_dba", "mode": "managed",
          "type": "aws_identitystore_group_membership", "name": "bob_dba",
          "provider_name": "registry.terraform.io/hashicorp/aws",
          "change": {
            "actions": ["create"], "before": null,
            "after": {"group_id": "\(Self.dbaGroup)", "identity_store_id": "d-1234567890", "member_id": "\(Self.bob)"},
            "after_unknown": {"id": true, "membership_id": true}, "before_sensitive": false, "after_sensitive": {}
          }
        }]
      }
      """)
    let result = iamsim("diff", "--plan", plan, "--org", Self.org, "--format", "json")
    #expect(result.status == .success, "\(result.err)")
    let object = try Self.json(result.out)
    let users = Self.users(object)
    #expect(Array(users.keys) == ["bob@example.com 111122223333 DatabaseAdministrator"])
    let bob = try #require(users["bob@example.com 111122223333 DatabaseAdministrator"])
    #expect(bob.group == "AWS-DBA")
    #expect(bob.lost.isEmpty)
    // DatabaseAdministrator allows `rds:*`, `s3:DeleteObject*`; not `s3:DeleteBucket` nor `iam:CreateUser`.
    #expect(bob.gained.isSuperset(of: ["rds:CreateDBInstance", "s3:DeleteObject", "iam:PassRole"]))
    #expect(!bob.gained.contains("s3:DeleteBucket") && !bob.gained.contains("iam:CreateUser"))
    // The group entry names its member, and the cause is the membership.
    let groups = (object["changes"] as? [[String: Any]] ?? []).filter { ($0["principal"] as? [String: String])?["type"] == "group" }
    #expect(groups.count == 1)
    #expect((groups.first?["principal"] as? [String: String])?["name"] == "AWS-DBA")
    #expect(groups.first?["members"] as? [String] == ["bob@example.com"])
    #expect((groups.first?["causes"] as? [String]) == ["membership of bob@example.com in AWS-DBA added"])
    // Text: the summary comes before the details.
    let text = iamsim("diff", "--plan", plan, "--org", Self.org).out
    let summary = try #require(text.range(of: "+1 user gains "))
    #expect(text[summary.upperBound...].contains("in 111122223333 (prod-databases) through AWS-DBA → DatabaseAdministrator"))
    let details = try #require(text.range(of: "bob@example.com in 111122223333 through DatabaseAdministrator (group AWS-DBA)"))
    #expect(summary.lowerBound < details.lowerBound)
    // Gates: s3:Delete* trips (s3:DeleteObject), s3:DeleteBucket does not; an account bob does not reach does not.
    #expect(iamsim("diff", "--plan", plan, "--org", Self.org, "--fail-on", "action=s3:Delete*").status == .failure)
    #expect(iamsim("diff", "--plan", plan, "--org", Self.org, "--fail-on", "action=s3:DeleteBucket").status == .success)
    #expect(iamsim("diff", "--plan", plan, "--org", Self.org, "--fail-on", "action=rds:*,account=444455556666").status == .success)
    #expect(iamsim("diff", "--plan", plan, "--org", Self.org, "--fail-on", "action=rds:*,account=prod-databases").status == .failure)
    #expect(iamsim("diff", "--plan", plan, "--org", Self.org, "--fail-on", "group=AWS-Engineering").status == .success)
    #expect(iamsim("diff", "--plan", plan, "--org", Self.org, "--fail-on", "group=aws-dba,access-level=Permissions management").status == .failure)
    #expect(iamsim("diff", "--plan", plan, "--org", Self.org, "--fail-on", "colour=red").status == .usage)
  }

  @Test func attachingAdministratorAccessToAPermissionSetReachesEveryoneWhoHoldsItAndDetachingTakesItBack() throws {
    let plan = try Self.file("plan.json", Self.attachment(#"["create"]"#, before: false, after: true))
    let result = iamsim("diff", "--plan", plan, "--org", Self.org, "--format", "json")
    #expect(result.status == .success, "\(result.err)")
    let users = Self.users(try Self.json(result.out))
    // alice through AWS-DBA in 111122223333, carol directly in 444455556666; bob holds no DatabaseAdministrator.
    #expect(Set(users.keys) == ["alice@example.com 111122223333 DatabaseAdministrator", "carol@example.com 444455556666 DatabaseAdministrator"])
    for (key, change) in users {
      #expect(change.gained.isSuperset(of: ["s3:DeleteBucket", "iam:CreateUser", "organizations:LeaveOrganization"]), "\(key)")
      #expect(!change.gained.contains("rds:CreateDBInstance"), "\(key): DatabaseAdministrator granted it already")
      #expect(change.lost.isEmpty)
    }
    #expect(users["carol@example.com 444455556666 DatabaseAdministrator"]?.group == nil)
    // The gate on permissions management trips; the text says why.
    let gated = iamsim("diff", "--plan", plan, "--org", Self.org, "--fail-on", "access-level=Permissions management")
    #expect(gated.status == .failure)
    #expect(gated.out.contains("because: permission set DatabaseAdministrator: attaches AdministratorAccess"))
    // Deleting the attachment: the same actions are lost.
    let detach = try Self.file("plan.json", Self.attachment(#"["delete"]"#, before: true, after: false))
    let reverse = Self.users(try Self.json(iamsim("diff", "--plan", detach, "--org", Self.org, "--format", "json").out))
    #expect(Set(reverse.keys) == Set(users.keys))
    for (key, change) in reverse {
      #expect(change.gained.isEmpty)
      #expect(change.lost == users[key]?.gained)
    }
  }

  /// A plan that creates a permission set and assigns it: the ARN is unknown until apply, and the configuration's
  /// references say which resource it comes from.
  static let newAssignmentPlan = """
    {
      "format_version": "1.2", "terraform_version": "1.9.5",
      "resource_changes": [
        {"address": "aws_ssoadmin_permission_set.readonly", "mode": "managed", "type": "aws_ssoadmin_permission_set",
         "name": "readonly", "provider_name": "registry.terraform.io/hashicorp/aws",
         "change": {"actions": ["create"], "before": null,
                    "after": {"description": null, "instance_arn": "\(instance)", "name": "ReadOnly", "relay_state": null,
                              "session_duration": "PT1H", "tags": null},
                    "after_unknown": {"arn": true, "created_date": true, "id": true, "tags_all": true}}},
        {"address": "aws_ssoadmin_managed_policy_attachment.readonly", "mode": "managed",
         "type": "aws_ssoadmin_managed_policy_attachment", "name": "readonly",
         "provider_name": "registry.terraform.io/hashicorp/aws",
         "change": {"actions": ["create"], "before": null,
                    "after": {"instance_arn": "\(instance)", "managed_policy_arn": "arn:aws:iam::aws:policy/ReadOnlyAccess"},
                    "after_unknown": {"id": true, "managed_policy_name": true, "permission_set_arn": true}}},
        {"address": "aws_ssoadmin_account_assignment.engineering", "mode": "managed", "type": "aws_ssoadmin_account_assignment",
         "name": "engineering", "provider_name": "registry.terraform.io/hashicorp/aws",
         "change": {"actions": ["create"], "before": null,
                    "after": {"instance_arn": "\(instance)", "principal_id": "\(engineeringGroup)", "principal_type": "GROUP",
                              "target_id": "111122223333", "target_type": "AWS_ACCOUNT"},
                    "after_unknown": {"id": true, "permission_set_arn": true}}}
      ],
      "configuration": {
        "provider_config": {"aws": {"name": "aws", "full_name": "registry.terraform.io/hashicorp/aws"}},
        "root_module": {
          "resources": [
            {"address": "aws_ssoadmin_permission_set.readonly", "mode": "managed", "type": "aws_ssoadmin_permission_set",
             "name": "readonly", "expressions": {"name": {"constant_value": "ReadOnly"}}},
            {"address": "aws_ssoadmin_managed_policy_attachment.readonly", "mode": "managed",
             "type": "aws_ssoadmin_managed_policy_attachment", "name": "readonly",
             "expressions": {"managed_policy_arn": {"constant_value": "arn:aws:iam::aws:policy/ReadOnlyAccess"},
                             "permission_set_arn": {"references": ["aws_ssoadmin_permission_set.readonly.arn",
                                                                   "aws_ssoadmin_permission_set.readonly"]}}},
            {"address": "aws_ssoadmin_account_assignment.engineering", "mode": "managed",
             "type": "aws_ssoadmin_account_assignment", "name": "engineering",
             "expressions": {"permission_set_arn": {"references": ["aws_ssoadmin_permission_set.readonly.arn",
                                                                   "aws_ssoadmin_permission_set.readonly"]},
                             "principal_id": {"constant_value": "\(engineeringGroup)"},
                             "target_id": {"constant_value": "111122223333"}}}
          ]
        }
      }
    }
    """

  @Test func aPlanThatAddsAnAssignmentGivesEveryMemberOfTheGroupThePermissionSetInThatAccount() throws {
    let plan = try Self.file("plan.json", Self.newAssignmentPlan)
    let result = iamsim("diff", "--plan", plan, "--org", Self.org, "--format", "json")
    #expect(result.status == .success, "\(result.err)")
    let object = try Self.json(result.out)
    let users = Self.users(object)
    #expect(Set(users.keys) == ["bob@example.com 111122223333 ReadOnly", "carol@example.com 111122223333 ReadOnly"])
    for change in users.values {
      #expect(change.group == "AWS-Engineering")
      #expect(change.gained.contains("s3:GetObject"))
      #expect(!change.gained.contains("s3:PutObject"))
    }
    let groups = (object["changes"] as? [[String: Any]] ?? []).filter { ($0["principal"] as? [String: String])?["type"] == "group" }
    #expect(groups.count == 1)
    #expect(Set(groups.first?["members"] as? [String] ?? []) == ["bob@example.com", "carol@example.com"])
    #expect((groups.first?["causes"] as? [String] ?? []).contains("assignment AWS-Engineering → ReadOnly in 111122223333 added"))
    #expect((object["notCompared"] as? [Any])?.isEmpty == true)
    let markdown = iamsim("diff", "--plan", plan, "--org", Self.org, "--format", "markdown")
    #expect(markdown.out.contains("| ➕ | 2 users gain |"))
    #expect(markdown.out.contains("| 111122223333 (prod-databases) | AWS-Engineering → ReadOnly |"))
  }

  @Test func aValueUnknownUntilApplyIsNotComparedNeverUnchangedAndTripsAGateThatCouldMatch() throws {
    let plan = try Self.file("plan.json", """
      {
        "format_version": "1.2", "terraform_version": "1.9.5",
        "resource_changes": [
          \(Self.dbaNoOp),
          {"address": "aws_ssoadmin_permission_set_inline_policy.dba", "mode": "managed",
           "type": "aws_ssoadmin_permission_set_inline_policy", "name": "dba",
           "provider_name": "registry.terraform.io/hashicorp/aws",
           "change": {"actions": ["create"], "before": null,
                      "after": {"instance_arn": "\(Self.instance)", "permission_set_arn": "\(Self.dbaArn)"},
                      "after_unknown": {"id": true, "inline_policy": true}}}
        ],
        "configuration": {"root_module": {"resources": [
          {"address": "aws_ssoadmin_permission_set_inline_policy.dba", "mode": "managed",
           "type": "aws_ssoadmin_permission_set_inline_policy", "name": "dba",
           "expressions": {"inline_policy": {"references": ["data.aws_iam_policy_document.dba.json", "data.aws_iam_policy_document.dba"]},
                           "permission_set_arn": {"references": ["aws_ssoadmin_permission_set.dba.arn", "aws_ssoadmin_permission_set.dba"]}}}
        ]}}
      }
      """)
    let result = iamsim("diff", "--plan", plan, "--org", Self.org, "--format", "json")
    #expect(result.status == .success, "\(result.err)")
    let object = try Self.json(result.out)
    #expect(Self.users(object).isEmpty)
    let open = (object["notCompared"] as? [[String: Any]] ?? []).compactMap { item -> String? in
      guard let user = item["user"] as? String else { return nil }
      return "\(user) \(item["account"] as? String ?? "") \(item["via"] as? String ?? "")"
    }
    #expect(Set(open) == ["alice@example.com 111122223333 DatabaseAdministrator", "carol@example.com 444455556666 DatabaseAdministrator"])
    #expect((object["unknown"] as? [[String: String]])?.contains { $0["what"] == "inline_policy of aws_ssoadmin_permission_set_inline_policy.dba" } == true)
    // Fail closed: a gate that the open sessions could trip, trips; one they cannot reach does not.
    #expect(iamsim("diff", "--plan", plan, "--org", Self.org, "--fail-on", "action=s3:DeleteBucket").status == .failure)
    #expect(iamsim("diff", "--plan", plan, "--org", Self.org, "--fail-on", "account=999988887777").status == .success)
    #expect(iamsim("diff", "--plan", plan, "--org", Self.org, "--fail-on", "account=444455556666").status == .failure)
    // alice's open session comes through AWS-DBA, carol's is direct: a gate on AWS-Engineering cannot be tripped.
    #expect(iamsim("diff", "--plan", plan, "--org", Self.org, "--fail-on", "group=AWS-DBA").status == .failure)
    #expect(iamsim("diff", "--plan", plan, "--org", Self.org, "--fail-on", "group=AWS-Engineering").status == .success)
    let text = iamsim("diff", "--plan", plan, "--org", Self.org).out
    #expect(text.contains("not compared (3): these sessions are not known to be unchanged"))
  }

  @Test func resourcesIamsimDoesNotModelAreListedAndLeftOut() throws {
    let plan = try Self.file("plan.json", """
      {
        "format_version": "1.2", "terraform_version": "1.9.5",
        "resource_changes": [
          {"address": "aws_s3_bucket.logs", "mode": "managed", "type": "aws_s3_bucket", "name": "logs",
           "provider_name": "registry.terraform.io/hashicorp/aws",
           "change": {"actions": ["create"], "before": null, "after": {"bucket": "logs", "force_destroy": false},
                      "after_unknown": {"arn": true, "id": true}}},
          {"address": "module.tags.aws_organizations_policy.tags", "mode": "managed", "type": "aws_organizations_policy",
           "name": "tags", "provider_name": "registry.terraform.io/hashicorp/aws",
           "change": {"actions": ["create"], "before": null,
                      "after": {"name": "tags", "type": "TAG_POLICY", "content": "{}", "description": null},
                      "after_unknown": {"arn": true, "id": true}}},
          {"address": "aws_iam_user.unchanged", "mode": "managed", "type": "aws_iam_user", "name": "unchanged",
           "provider_name": "registry.terraform.io/hashicorp/aws",
           "change": {"actions": ["no-op"], "before": {"name": "x"}, "after": {"name": "x"}, "after_unknown": {}}}
        ]
      }
      """)
    let result = iamsim("diff", "--plan", plan, "--org", Self.org, "--format", "json")
    #expect(result.status == .success, "\(result.err)")
    let object = try Self.json(result.out)
    #expect((object["changes"] as? [Any])?.isEmpty == true)
    let left = (object["unmodelled"] as? [[String: String]] ?? []).compactMap { $0["address"] }
    #expect(left == ["aws_s3_bucket.logs", "module.tags.aws_organizations_policy.tags"])
    #expect(iamsim("diff", "--plan", plan, "--org", Self.org).out.contains("left out, not modelled by iamsim (2):\n  aws_s3_bucket.logs (aws_s3_bucket)"))
  }

  @Test func aPlanInAFormatVersionIamsimDoesNotReadIsRefusedWithItsPosition() throws {
    let plan = try Self.file("plan.json", "{\n  \"format_version\": \"2.0\",\n  \"resource_changes\": []\n}\n")
    let result = iamsim("diff", "--plan", plan, "--org", Self.org)
    #expect(result.status == .invalidInput)
    #expect(result.err.contains("2:21"), "\(result.err)")
    #expect(result.err.contains("format_version"))
    // Nothing is read as "no change" from a plan that does not say what changes.
    let wrongShape = try Self.file("plan.json", #"{"format_version": "1.2", "resource_changes": "none"}"#)
    #expect(iamsim("diff", "--plan", wrongShape, "--org", Self.org).status == .invalidInput)
    let errored = try Self.file("plan.json", #"{"format_version": "1.2", "errored": true, "resource_changes": []}"#)
    let refused = iamsim("diff", "--plan", errored, "--org", Self.org)
    #expect(refused.status == .invalidInput)
    #expect(refused.err.contains("the plan errored"), "\(refused.err)")
  }

  @Test func twoTerraformStatesAreComparedWithoutAnOrganizationDirectory() throws {
    func state(members: [String]) -> String {
      let memberships = members.enumerated().map { index, member in
        """
        {"address": "aws_identitystore_group_membership.m\(index)", "mode": "managed", "type": "aws_identitystore_group_membership",
         "name": "m\(index)", "provider_name": "registry.terraform.io/hashicorp/aws", "schema_version": 0,
         "values": {"group_id": "g-ops", "identity_store_id": "d-1234567890", "member_id": "\(member)", "membership_id": "m-\(index)"}}
        """
      }
      return """
        {"format_version": "1.0", "terraform_version": "1.9.5", "values": {"root_module": {"resources": [
          {"address": "aws_identitystore_user.dana", "mode": "managed", "type": "aws_identitystore_user", "name": "dana",
           "provider_name": "registry.terraform.io/hashicorp/aws",
           "values": {"user_id": "u-dana", "user_name": "dana@example.com", "display_name": "Dana", "identity_store_id": "d-1234567890"}},
          {"address": "aws_identitystore_user.erin", "mode": "managed", "type": "aws_identitystore_user", "name": "erin",
           "provider_name": "registry.terraform.io/hashicorp/aws",
           "values": {"user_id": "u-erin", "user_name": "erin@example.com", "display_name": "Erin", "identity_store_id": "d-1234567890"}},
          {"address": "aws_identitystore_group.ops", "mode": "managed", "type": "aws_identitystore_group", "name": "ops",
           "provider_name": "registry.terraform.io/hashicorp/aws",
           "values": {"group_id": "g-ops", "display_name": "Ops", "identity_store_id": "d-1234567890"}},
          {"address": "aws_ssoadmin_permission_set.power", "mode": "managed", "type": "aws_ssoadmin_permission_set", "name": "power",
           "provider_name": "registry.terraform.io/hashicorp/aws",
           "values": {"arn": "arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-power00000000001", "name": "PowerUser",
                      "instance_arn": "\(ChangeReviewTests.instance)", "session_duration": "PT1H"}},
          {"address": "aws_ssoadmin_managed_policy_attachment.power", "mode": "managed",
           "type": "aws_ssoadmin_managed_policy_attachment", "name": "power", "provider_name": "registry.terraform.io/hashicorp/aws",
           "values": {"managed_policy_arn": "arn:aws:iam::aws:policy/PowerUserAccess",
                      "permission_set_arn": "arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-power00000000001"}},
          {"address": "aws_ssoadmin_account_assignment.ops", "mode": "managed", "type": "aws_ssoadmin_account_assignment",
           "name": "ops", "provider_name": "registry.terraform.io/hashicorp/aws",
           "values": {"permission_set_arn": "arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-power00000000001",
                      "principal_id": "g-ops", "principal_type": "GROUP", "target_id": "555566667777", "target_type": "AWS_ACCOUNT"}}
          \(memberships.isEmpty ? "" : ",") \(memberships.joined(separator: ","))
        ]}}}
        """
    }
    let before = try Self.file("before.json", state(members: ["u-dana"]))
    let after = try Self.file("after.json", state(members: ["u-dana", "u-erin"]))
    let result = iamsim("diff", before, after, "--format", "json")
    #expect(result.status == .success, "\(result.err)")
    let users = Self.users(try Self.json(result.out))
    #expect(Array(users.keys) == ["erin@example.com 555566667777 PowerUser"])
    // PowerUserAccess allows everything but most of IAM, Organizations and Account.
    #expect(users.values.first?.gained.contains("s3:DeleteBucket") == true)
    #expect(users.values.first?.gained.contains("iam:CreateUser") == false)
    // A plan given where a state is expected is a usage error.
    let plan = try Self.file("plan.json", Self.newAssignmentPlan)
    #expect(iamsim("diff", plan, after).status == .usage)
  }

  @Test func newUsersAddedToGroupsAreFollowedFromEachMembershipToTheUserThePlanCreates() throws {
    // The user's ID is known only after apply; the membership's member_id references it in the configuration.
    let plan = try Self.file("plan.json", """
      {
        "format_version": "1.2", "terraform_version": "1.9.5",
        "resource_changes": [
          {"address": "module.people.aws_identitystore_user.this[\\"frank\\"]", "module_address": "module.people",
           "mode": "managed", "type": "aws_identitystore_user", "name": "this", "index": "frank",
           "provider_name": "registry.terraform.io/hashicorp/aws",
           "change": {"actions": ["create"], "before": null,
                      "after": {"display_name": "Frank Ode", "identity_store_id": "d-1234567890", "user_name": "frank@example.com",
                                "emails": [{"primary": true, "type": "work", "value": "frank@example.com"}],
                                "name": [{"family_name": "Ode", "given_name": "Frank"}]},
                      "after_unknown": {"emails": [{}], "external_ids": true, "id": true, "name": [{}], "user_id": true}}},
          {"address": "module.people.aws_identitystore_user.this[\\"grace\\"]", "module_address": "module.people",
           "mode": "managed", "type": "aws_identitystore_user", "name": "this", "index": "grace",
           "provider_name": "registry.terraform.io/hashicorp/aws",
           "change": {"actions": ["create"], "before": null,
                      "after": {"display_name": "Grace Ito", "identity_store_id": "d-1234567890", "user_name": "grace@example.com"},
                      "after_unknown": {"external_ids": true, "id": true, "user_id": true}}},
          {"address": "module.people.aws_identitystore_group_membership.this[\\"grace\\"]", "module_address": "module.people",
           "mode": "managed", "type": "aws_identitystore_group_membership", "name": "this", "index": "grace",
           "provider_name": "registry.terraform.io/hashicorp/aws",
           "change": {"actions": ["create"], "before": null,
                      "after": {"group_id": "\(Self.engineeringGroup)", "identity_store_id": "d-1234567890"},
                      "after_unknown": {"id": true, "member_id": true, "membership_id": true}}},
          {"address": "module.people.aws_identitystore_group_membership.this[\\"frank\\"]", "module_address": "module.people",
           "mode": "managed", "type": "aws_identitystore_group_membership", "name": "this", "index": "frank",
           "provider_name": "registry.terraform.io/hashicorp/aws",
           "change": {"actions": ["create"], "before": null,
                      "after": {"group_id": "\(Self.dbaGroup)", "identity_store_id": "d-1234567890"},
                      "after_unknown": {"id": true, "member_id": true, "membership_id": true}}}
        ],
        "configuration": {"root_module": {"module_calls": {"people": {"source": "./people", "module": {"resources": [
          {"address": "aws_identitystore_user.this", "mode": "managed", "type": "aws_identitystore_user", "name": "this",
           "expressions": {"user_name": {"references": ["each.key"]}}},
          {"address": "aws_identitystore_group_membership.this", "mode": "managed", "type": "aws_identitystore_group_membership",
           "name": "this", "expressions": {"member_id": {"references": ["aws_identitystore_user.this[each.key].user_id",
                                                                         "aws_identitystore_user.this[each.key]",
                                                                         "aws_identitystore_user.this", "each.key"]},
                                           "group_id": {"references": ["var.group_id"]}}}
        ]}}}}}
      }
      """)
    let result = iamsim("diff", "--plan", plan, "--org", Self.org, "--format", "json")
    #expect(result.status == .success, "\(result.err)")
    let object = try Self.json(result.out)
    let users = Self.users(object)
    // Each membership follows `[each.key]` to its own user: frank joins AWS-DBA, grace AWS-Engineering.
    #expect(Set(users.keys) == ["frank@example.com 111122223333 DatabaseAdministrator", "grace@example.com 444455556666 DepartmentEngineer"])
    #expect(users["frank@example.com 111122223333 DatabaseAdministrator"]?.group == "AWS-DBA")
    #expect(users["frank@example.com 111122223333 DatabaseAdministrator"]?.gained.contains("rds:CreateDBInstance") == true)
    #expect(users["grace@example.com 444455556666 DepartmentEngineer"]?.group == "AWS-Engineering")
    #expect((object["notCompared"] as? [Any])?.isEmpty == true)
  }

  @Test func anSCPThePlanCreatesAndAttachesTakesAwayWhatItDenies() throws {
    // Deny S3 object deletion in the databases account: alice (DatabaseAdministrator there) loses s3:DeleteObject.
    let content = #"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Action\":\"s3:DeleteObject*\",\"Resource\":\"*\"}]}"#
    let plan = try Self.file("plan.json", """
      {
        "format_version": "1.2", "terraform_version": "1.9.5",
        "resource_changes": [
          {"address": "aws_organizations_policy.no_deletes", "mode": "managed", "type": "aws_organizations_policy",
           "name": "no_deletes", "provider_name": "registry.terraform.io/hashicorp/aws",
           "change": {"actions": ["create"], "before": null,
                      "after": {"content": "\(content)", "description": null, "name": "NoObjectDeletes", "skip_destroy": null,
                                "tags": null, "type": "SERVICE_CONTROL_POLICY"},
                      "after_unknown": {"arn": true, "id": true, "tags_all": true}}},
          {"address": "aws_organizations_policy_attachment.no_deletes", "mode": "managed",
           "type": "aws_organizations_policy_attachment", "name": "no_deletes", "provider_name": "registry.terraform.io/hashicorp/aws",
           "change": {"actions": ["create"], "before": null, "after": {"skip_destroy": null, "target_id": "111122223333"},
                      "after_unknown": {"id": true, "policy_id": true}}}
        ],
        "configuration": {"root_module": {"resources": [
          {"address": "aws_organizations_policy_attachment.no_deletes", "mode": "managed",
           "type": "aws_organizations_policy_attachment", "name": "no_deletes",
           "expressions": {"policy_id": {"references": ["aws_organizations_policy.no_deletes.id", "aws_organizations_policy.no_deletes"]},
                           "target_id": {"constant_value": "111122223333"}}}
        ]}}
      }
      """)
    let result = iamsim("diff", "--plan", plan, "--org", Self.org, "--format", "json")
    #expect(result.status == .success, "\(result.err)")
    let object = try Self.json(result.out)
    let users = Self.users(object)
    #expect(Array(users.keys) == ["alice@example.com 111122223333 DatabaseAdministrator"])
    let alice = try #require(users.values.first)
    #expect(alice.gained.isEmpty)
    #expect(alice.lost.isSuperset(of: ["s3:DeleteObject", "s3:DeleteObjectVersion"]))
    #expect(!alice.lost.contains("s3:GetObject"))
    let causes = (object["changes"] as? [[String: Any]])?.first?["causes"] as? [String]
    #expect(causes == ["SCPs over 111122223333 changed"])
  }

  // MARK: - CloudFormation

  static let readOnlyTemplate = """
    {
      "AWSTemplateFormatVersion": "2010-09-09",
      "Description": "Read-only access for Engineering in the databases account",
      "Parameters": {
        "InstanceArn": {"Type": "String", "Default": "\(instance)"},
        "EngineeringGroupId": {"Type": "String", "Description": "Identity-store ID of AWS-Engineering"},
        "TargetAccount": {"Type": "String", "Default": "111122223333"}
      },
      "Resources": {
        "ReadOnlyPermissionSet": {
          "Type": "AWS::SSO::PermissionSet",
          "Properties": {
            "InstanceArn": {"Ref": "InstanceArn"},
            "Name": "ReadOnly",
            "SessionDuration": "PT2H",
            "ManagedPolicies": [{"Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/ReadOnlyAccess"}]
          }
        },
        "EngineeringReadOnly": {
          "Type": "AWS::SSO::Assignment",
          "Properties": {
            "InstanceArn": {"Ref": "InstanceArn"},
            "PermissionSetArn": {"Fn::GetAtt": ["ReadOnlyPermissionSet", "PermissionSetArn"]},
            "PrincipalId": {"Ref": "EngineeringGroupId"},
            "PrincipalType": "GROUP",
            "TargetId": {"Ref": "TargetAccount"},
            "TargetType": "AWS_ACCOUNT"
          }
        },
        "Alerts": {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": "alerts"}}
      }
    }
    """

  @Test func aTemplateThatAddsAPermissionSetAndAnAssignmentGivesTheGroupsMembersItsActions() throws {
    let template = try Self.file("template.json", Self.readOnlyTemplate)
    let result = iamsim("diff", "--org", Self.org, "--template", template, "--parameter", "EngineeringGroupId=\(Self.engineeringGroup)",
                        "--format", "json")
    #expect(result.status == .success, "\(result.err)")
    let object = try Self.json(result.out)
    let users = Self.users(object)
    #expect(Set(users.keys) == ["bob@example.com 111122223333 ReadOnly", "carol@example.com 111122223333 ReadOnly"])
    #expect(users.values.allSatisfy { $0.gained.contains("s3:GetObject") && !$0.gained.contains("s3:DeleteBucket") })
    #expect((object["unmodelled"] as? [[String: String]])?.map { $0["address"] } == ["Alerts"])
    // Another account by parameter: the same people, there.
    let elsewhere = iamsim("diff", "--org", Self.org, "--template", template, "--parameter", "EngineeringGroupId=\(Self.engineeringGroup)",
                           "--parameter", "TargetAccount=444455556666", "--format", "json")
    #expect(Set(Self.users(try Self.json(elsewhere.out)).keys) == ["bob@example.com 444455556666 ReadOnly", "carol@example.com 444455556666 ReadOnly"])
    #expect(iamsim("diff", "--org", Self.org, "--template", template, "--parameter", "EngineeringGroupId=\(Self.engineeringGroup)",
                   "--fail-on", "action=s3:GetObject,group=AWS-Engineering").status == .failure)
  }

  @Test func aTemplateThatAssignsAnExistingPermissionSetByARNMatchesItByIdentifier() throws {
    // A copy of the example organization whose DatabaseAdministrator has its ARN.
    let base = Scratch.root.appendingPathComponent("iamsim-change-org-\(UUID().uuidString)").path
    try FileManager.default.copyItem(atPath: Self.org, toPath: base)
    let setFile = base + "/permission-sets/DatabaseAdministrator.json"
    let text = try String(contentsOfFile: setFile, encoding: .utf8)
    try text.replacingOccurrences(of: #""Name": "DatabaseAdministrator","#,
                                  with: #""Name": "DatabaseAdministrator", "PermissionSetArn": "\#(Self.dbaArn)","#)
      .write(toFile: setFile, atomically: true, encoding: .utf8)
    let template = try Self.file("template.json", """
      {
        "Parameters": {"InstanceId": {"Type": "String", "Default": "ssoins-1234567890abcdef"}},
        "Resources": {
          "CarolDba": {
            "Type": "AWS::SSO::Assignment",
            "Properties": {
              "InstanceArn": {"Fn::Sub": "arn:aws:sso:::instance/${InstanceId}"},
              "PermissionSetArn": {"Fn::Join": ["", ["arn:aws:sso:::permissionSet/", {"Ref": "InstanceId"}, "/ps-dba0000000000001"]]},
              "PrincipalId": "\(Self.carol)",
              "PrincipalType": "USER",
              "TargetId": "111122223333",
              "TargetType": "AWS_ACCOUNT"
            }
          }
        }
      }
      """)
    let result = iamsim("diff", "--org", base, "--template", template, "--format", "json")
    #expect(result.status == .success, "\(result.err)")
    let users = Self.users(try Self.json(result.out))
    #expect(Array(users.keys) == ["carol@example.com 111122223333 DatabaseAdministrator"])
    #expect(users.values.first?.group == nil)
    #expect(users.values.first?.gained.contains("rds:CreateDBInstance") == true)
  }

  @Test func anUnresolvableTemplateValueIsAnErrorWithItsPathAndPosition() throws {
    let template = try Self.file("template.json", Self.readOnlyTemplate)
    // No value for EngineeringGroupId, which has no Default: the error points at the name the Ref gives.
    let missing = iamsim("diff", "--org", Self.org, "--template", template)
    #expect(missing.status == .invalidInput)
    let lines = Self.readOnlyTemplate.split(separator: "\n", omittingEmptySubsequences: false)
    let line = try #require(lines.firstIndex { $0.contains(#""PrincipalId": {"Ref": "EngineeringGroupId"}"#) })
    let name = try #require(lines[line].range(of: #""EngineeringGroupId""#))
    let column = lines[line].distance(from: lines[line].startIndex, to: name.lowerBound) + 1
    #expect(missing.err.contains("template.json:\(line + 1):\(column): error: the parameter `EngineeringGroupId` has no value"), "\(missing.err)")
    #expect(missing.err.contains("$.Resources.EngineeringReadOnly.Properties.PrincipalId.Ref"), "\(missing.err)")
    // A function iamsim does not resolve.
    let imported = try Self.file("template.json", Self.readOnlyTemplate.replacingOccurrences(
      of: #"{"Ref": "EngineeringGroupId"}"#, with: #"{"Fn::ImportValue": "engineering-group-id"}"#))
    let refused = iamsim("diff", "--org", Self.org, "--template", imported)
    #expect(refused.status == .invalidInput)
    #expect(refused.err.contains("Fn::ImportValue"), "\(refused.err)")
    #expect(refused.err.contains("PrincipalId"), "\(refused.err)")
    // A parameter the template does not declare.
    #expect(iamsim("diff", "--org", Self.org, "--template", template, "--parameter", "EngineeringGroupId=x",
                   "--parameter", "Nope=1").status == .invalidInput)
    // The identifier of a resource inside a string is unknown until the stack exists: refused, not guessed.
    let inside = try Self.file("template.json", Self.readOnlyTemplate.replacingOccurrences(
      of: #"{"Fn::GetAtt": ["ReadOnlyPermissionSet", "PermissionSetArn"]}"#,
      with: #"{"Fn::Sub": "${ReadOnlyPermissionSet.PermissionSetArn}-copy"}"#))
    #expect(iamsim("diff", "--org", Self.org, "--template", inside, "--parameter", "EngineeringGroupId=\(Self.engineeringGroup)").status
      == .invalidInput)
  }

  @Test func aYAMLTemplateWithShortFormTagsReadsAsItsJSONForm() throws {
    // The same permission set and assignment, with an inline policy that allows `s3:DeleteBucket`.
    let template = try Self.file("template.yaml", """
      AWSTemplateFormatVersion: "2010-09-09"
      Parameters:
        InstanceArn:
          Type: String
          Default: arn:aws:sso:::instance/ssoins-1234567890abcdef
        EngineeringGroupId:
          Type: String
      Resources:
        ReadOnlyPermissionSet:
          Type: AWS::SSO::PermissionSet
          Properties:
            InstanceArn: !Ref InstanceArn
            Name: ReadOnly
            ManagedPolicies:
              - !Sub arn:${AWS::Partition}:iam::aws:policy/ReadOnlyAccess
            InlinePolicy:
              Version: "2012-10-17"
              Statement:
                - Effect: Allow
                  Action: s3:DeleteBucket
                  Resource: "*"
        EngineeringReadOnly:
          Type: AWS::SSO::Assignment
          Properties:
            InstanceArn: !Ref InstanceArn
            PermissionSetArn: !GetAtt ReadOnlyPermissionSet.PermissionSetArn
            PrincipalId: !Ref EngineeringGroupId
            PrincipalType: GROUP
            TargetId: "111122223333"
            TargetType: AWS_ACCOUNT
      """)
    let arguments = ["diff", "--org", Self.org, "--template", template, "--parameter", "EngineeringGroupId=\(Self.engineeringGroup)"]
    let users = Self.users(try Self.json(iamsim(all: arguments + ["--format", "json"]).out))
    #expect(Set(users.keys) == ["bob@example.com 111122223333 ReadOnly", "carol@example.com 111122223333 ReadOnly"])
    #expect(users.values.allSatisfy { $0.gained.isSuperset(of: ["s3:GetObject", "s3:DeleteBucket"]) && !$0.gained.contains("s3:PutObject") })
    #expect(iamsim(all: arguments + ["--fail-on", "action=s3:DeleteBucket"]).status == .failure)
    #expect(iamsim(all: arguments + ["--fail-on", "action=s3:PutObject"]).status == .success)
    // A YAML error names its line and column.
    let broken = try Self.file("template.yaml", "Resources:\n  X:\n    Type: [unclosed\n")
    let refused = iamsim("diff", "--org", Self.org, "--template", broken)
    #expect(refused.status == .invalidInput)
    #expect(refused.err.contains("template.yaml:"), "\(refused.err)")
  }
}
