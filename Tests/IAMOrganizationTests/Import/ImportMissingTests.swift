import Foundation
import IAMOrganization
import IAMPolicy
import Testing

/// What is still missing for a complete organization, as the exact AWS CLI commands that export it.
@Suite struct ImportMissingTests {
  /// The missing part that writes `file`.
  static func part(_ parts: [MissingPart], _ file: String) -> MissingPart? { parts.first { $0.file == file } }

  @Test func eachMissingFileOfTheCompleteSetIsAskedForByItsCommand() throws {
    let region = " --region eu-west-1"
    let instance = " --instance-arn \(ImportFixtures.instanceArn)"
    let expectations: [(String, String)] = [
      ("describe-organization.json", "aws organizations describe-organization"),
      ("list-organizational-units-for-parent.ou-ab12-workload1.json",
       "aws organizations list-organizational-units-for-parent --parent-id ou-ab12-workload1"),
      ("list-accounts-for-parent.r-ab12.json", "aws organizations list-accounts-for-parent --parent-id r-ab12"),
      ("describe-policy.p-denyeu01.json", "aws organizations describe-policy --policy-id p-denyeu01"),
      ("list-targets-for-policy.p-denyeu01.json", "aws organizations list-targets-for-policy --policy-id p-denyeu01"),
      ("list-delegated-administrators.sso.amazonaws.com.json",
       "aws organizations list-delegated-administrators --service-principal sso.amazonaws.com"),
      ("list-permission-sets.json", "aws sso-admin list-permission-sets" + instance + region),
      ("describe-permission-set.ps-2b3c4d5e6f7a8b9c.json",
       "aws sso-admin describe-permission-set" + instance + " --permission-set-arn \(ImportFixtures.readOnlyArn)" + region),
      ("get-inline-policy-for-permission-set.ps-1a2b3c4d5e6f7a8b.json",
       "aws sso-admin get-inline-policy-for-permission-set" + instance + " --permission-set-arn \(ImportFixtures.dbaArn)" + region),
      ("list-account-assignments.111100000003.ps-2b3c4d5e6f7a8b9c.json",
       "aws sso-admin list-account-assignments" + instance + " --account-id 111100000003 --permission-set-arn \(ImportFixtures.readOnlyArn)" + region),
      ("describe-instance-access-control-attribute-configuration.json",
       "aws sso-admin describe-instance-access-control-attribute-configuration" + instance + region),
      ("list-users.json", "aws identitystore list-users --identity-store-id d-1234567890" + region),
      ("list-group-memberships.\(ImportFixtures.engineeringGroup).json",
       "aws identitystore list-group-memberships --identity-store-id d-1234567890 --group-id \(ImportFixtures.engineeringGroup)" + region),
      ("get-account-authorization-details.111100000001.json", "aws iam get-account-authorization-details"),
      ("list-entitlements.111100000003.json",
       #"aws account-access list-entitlements --application-arn arn:aws:account-access:eu-west-1:111100000001:application/aam-0123456789abcdef --filter '{"principalRole":{"account":"111100000003"}}'"# + region),
    ]
    for (file, command) in expectations {
      let importer = try ImportFixtures.importer { $0 == file }
      let missing = importer.missing
      #expect(missing.count == 1, "without \(file): \(missing.map(\.file))")
      let part = try #require(Self.part(missing, file), "without \(file), missing is \(missing.map(\.file))")
      #expect(part.command == command + " > " + file)
    }
  }

  @Test func theMissingPartSaysWhatIsMissing() throws {
    let importer = try ImportFixtures.importer { $0 == "list-account-assignments.111100000002.ps-1a2b3c4d5e6f7a8b.json" }
    let part = try #require(importer.missing.first)
    #expect(part.what == "no list-account-assignments for account 111100000002 and permission set ps-1a2b3c4d5e6f7a8b")
  }

  @Test func withoutTheProvisionedAccountsEveryAccountIsAskedFor() throws {
    // The pairs of one permission set were exported for some accounts, without the list of accounts it is
    // provisioned to: every account of the tree is asked for.
    let importer = try ImportFixtures.importer { $0 == "list-accounts-for-provisioned-permission-set.ps-1a2b3c4d5e6f7a8b.json" }
    #expect(importer.missing.map(\.file) == [
      "list-account-assignments.111100000001.ps-1a2b3c4d5e6f7a8b.json", "list-account-assignments.111100000003.ps-1a2b3c4d5e6f7a8b.json",
    ])
    // With no pair at all, the list of accounts is asked for first.
    let bare = try ImportFixtures.importer {
      $0 == "list-accounts-for-provisioned-permission-set.ps-1a2b3c4d5e6f7a8b.json" || $0 == "list-account-assignments.111100000002.ps-1a2b3c4d5e6f7a8b.json"
    }
    #expect(bare.missing.map(\.file) == ["list-accounts-for-provisioned-permission-set.ps-1a2b3c4d5e6f7a8b.json"])
  }

  @Test func onlyIAMExportsAskForEverythingElse() throws {
    let importer = try ImportFixtures.importer(only: ["iam-dev.json"])
    #expect(importer.missing.map(\.file) == [
      "describe-organization.json", "list-roots.json", "list-instances.eu-west-1.json", "list-permission-sets.json",
      "describe-instance-access-control-attribute-configuration.json", "list-users.json", "list-groups.json", "list-applications.json",
    ])
    #expect(Self.part(importer.missing, "list-users.json")?.command
      == #"aws identitystore list-users --identity-store-id "$IDENTITY_STORE_ID" --region eu-west-1 > list-users.json"#)
  }

  @Test func onlyIdentityCenterExportsAskForTheOrganizationAndEachAccountsIAM() throws {
    let importer = try ImportFixtures.importer { name in
      !(name.hasPrefix("list-instances") || name.hasPrefix("list-permission-sets") || name.hasPrefix("describe-permission-set")
        || name.hasPrefix("list-account-assignments") || name.hasPrefix("list-accounts-for-provisioned"))
    }
    let files = importer.missing.map(\.file)
    #expect(files.starts(with: ["describe-organization.json", "list-roots.json"]))
    #expect(files.contains("get-account-authorization-details.111100000002.json"))
    #expect(files.contains("get-account-authorization-details.111100000003.json"))
    // Identity Center's region is not in any export given: list-instances is asked for again, named after it.
    #expect(Self.part(importer.missing, "list-instances.$REGION.json")?.command
      == #"aws sso-admin list-instances --region "$REGION" > list-instances.$REGION.json"#)
    // Accounts that only assignments name are still written, with their IAM not collected.
    let organization = try ImportFixtures.json(importer.files, "organization.json")
    #expect(organization[path: ["root", "accounts"]]?.elements?.map { $0.output } == [
      .object([("id", "111100000002"), ("iam", "not-collected")]), .object([("id", "111100000003"), ("iam", "not-collected")]),
    ])
  }

  @Test func attachmentsByTargetAreAnAlternativeToTargetsByPolicy() throws {
    var importer = try ImportFixtures.importer { $0.hasPrefix("list-targets-for-policy") }
    let scp = "SERVICE_CONTROL_POLICY"
    func attached(_ ids: [(String, String)]) -> [UInt8] {
      Array(JSONOutput.object([("Policies", .array(ids.map { id, name in
        .object([("Id", .string(id)), ("Name", .string(name)), ("Type", .string(scp)), ("AwsManaged", .bool(id == "p-FullAWSAccess"))])
      }))]).rendered().utf8)
    }
    try importer.add(file: "list-policies-for-target.r-ab12.\(scp).json", bytes: attached([("p-FullAWSAccess", "FullAWSAccess")]))
    try importer.add(file: "list-policies-for-target.ou-ab12-workload1.\(scp).json",
                     bytes: attached([("p-FullAWSAccess", "FullAWSAccess"), ("p-denyeu01", "DenyOutsideEU")]))
    let files = importer.missing.map(\.file)
    #expect(files.contains("list-policies-for-target.111100000002.\(scp).json"))
    #expect(!files.contains("list-policies-for-target.r-ab12.\(scp).json"))
    #expect(files.contains("list-targets-for-policy.p-RCPFullAWSAccess.json"))
    let organization = try ImportFixtures.json(importer.files, "organization.json")
    #expect(organization[path: ["root", "organizationalUnits", 0, "scps"]]?.output == .array([
      "FullAWSAccess", .object([("id", "p-denyeu01"), ("name", "DenyOutsideEU"), ("file", "policies/p-denyeu01.json")]),
    ]))
    // The accounts' attachments are not known: nothing is written for them (AWS's default).
    #expect(organization[path: ["root", "organizationalUnits", 0, "accounts", 0, "scps"]] == nil)
  }

  @Test func anSCPWhoseTargetsAreKnownButNotFullAWSAccessKeepsTheDefaultBesideIt() throws {
    let importer = try ImportFixtures.importer { $0 == "list-targets-for-policy.p-FullAWSAccess.json" }
    let organization = try ImportFixtures.json(importer.files, "organization.json")
    #expect(organization[path: ["root", "organizationalUnits", 0, "scps"]]?.output == .array([
      "FullAWSAccess", .object([("id", "p-denyeu01"), ("name", "DenyOutsideEU"), ("file", "policies/p-denyeu01.json")]),
    ]))
    #expect(organization[path: ["root", "scps"]] == nil)
    #expect(importer.missing.map(\.file) == ["list-targets-for-policy.p-FullAWSAccess.json"])
  }

  @Test func theTreeWithoutAccountPlacementPutsAccountsUnderTheRoot() throws {
    let importer = try ImportFixtures.importer { $0 == "list-accounts-for-parent.ou-ab12-workload1.json" }
    #expect(importer.missing.map(\.file) == ["list-accounts-for-parent.ou-ab12-workload1.json"])
    #expect(importer.warnings.map(\.code) == [.importGuess])
    let organization = try ImportFixtures.json(importer.files, "organization.json")
    #expect(organization[path: ["root", "accounts"]]?.elements?.compactMap { $0["id"]?.stringValue }
      == [ImportFixtures.management, ImportFixtures.prod, ImportFixtures.dev])
  }

  @Test func principalsAreAskedForWhenAssignmentsComeByPrincipal() throws {
    var importer = try ImportFixtures.importer { $0.hasPrefix("list-account-assignments") }
    let text = #"{"AccountAssignments": [{"AccountId": "111100000002", "PermissionSetArn": "\#(ImportFixtures.readOnlyArn)", "PrincipalType": "USER", "PrincipalId": "\#(ImportFixtures.alice)"}]}"#
    try importer.add(file: "list-account-assignments-for-principal.\(ImportFixtures.alice).json", bytes: Array(text.utf8))
    #expect(importer.missing.map(\.file) == [
      "list-account-assignments-for-principal.\(ImportFixtures.dbaGroup).json",
      "list-account-assignments-for-principal.\(ImportFixtures.engineeringGroup).json",
      "list-account-assignments-for-principal.\(ImportFixtures.bob).json",
    ])
    #expect(importer.missing.last?.command.contains("--principal-id \(ImportFixtures.bob) --principal-type USER") == true)
  }

  @Test func unresolvedPrincipalsAreWarnedAbout() throws {
    var importer = try ImportFixtures.importer { $0 == "list-groups.json" || $0.hasPrefix("list-group-memberships") }
    let users = #"{"Users": [{"UserName": "alice@example.com", "UserId": "\#(ImportFixtures.alice)"}]}"#
    try importer.add(file: "list-users.json", bytes: Array(users.utf8))
    #expect(importer.warnings.map(\.code) == [.importUnresolved])
    let message = importer.warnings.first?.message ?? ""
    #expect(message.contains("group \(ImportFixtures.dbaGroup)") && message.contains("group \(ImportFixtures.engineeringGroup)"))
    #expect(!message.contains("user"))
    let assignments = try ImportFixtures.json(importer.files, "assignments.json")
    #expect(assignments[path: [0]]?.keys == ["principalType", "principalId", "permissionSet", "permissionSetArn", "account"])
  }
}

/// Control policy types the root does not enable are neither written nor asked for.
@Suite struct ImportPolicyTypeTests {
  @Test func rcpsAreLeftOutWhenTheRootDoesNotEnableThem() throws {
    var importer = try ImportFixtures.importer { $0 == "list-roots.json" || $0.contains("RCP") || $0.contains("RESOURCE_CONTROL") }
    let roots = #"{"Roots": [{"Id": "r-ab12", "Name": "Root", "PolicyTypes": [{"Type": "SERVICE_CONTROL_POLICY", "Status": "ENABLED"}, {"Type": "RESOURCE_CONTROL_POLICY", "Status": "PENDING_DISABLE"}]}]}"#
    try importer.add(file: "list-roots.json", bytes: Array(roots.utf8))
    #expect(importer.missing.isEmpty, "\(importer.missing.map(\.file))")
    let organization = try ImportFixtures.json(importer.files, "organization.json")
    #expect(organization["enabledPolicyTypes"]?.output == .array(["SERVICE_CONTROL_POLICY"]))
    #expect(organization[path: ["root", "rcps"]] == nil)
    #expect(organization[path: ["root", "organizationalUnits", 0, "rcps"]] == nil)
    #expect(organization[path: ["root", "organizationalUnits", 0, "scps"]]?.elements?.count == 2)
  }
}
