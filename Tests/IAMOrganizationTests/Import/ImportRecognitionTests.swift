import Foundation
import IAMOrganization
import IAMPolicy
import Testing

/// Each export is recognised by its shape (and, where shapes are alike, its name); anything else is refused with
/// the file, JSON path and line:column.
@Suite struct ImportRecognitionTests {
  @Test func everyFileOfTheCompleteSetIsRecognisedAsItsCommand() throws {
    let importer = try ImportFixtures.importer()
    let recognised = Dictionary(uniqueKeysWithValues: importer.inputs.map {
      (URL(fileURLWithPath: $0.file).lastPathComponent, $0.command)
    })
    #expect(recognised.count == ImportFixtures.completeFiles.count)
    for (file, command) in recognised where file != "iam-dev.json" {
      // Every fixture but one is named after its command.
      let name = String(file.prefix { $0 != "." })
      #expect(command.hasSuffix(" " + name), "\(file) was recognised as \(command)")
    }
    #expect(recognised["iam-dev.json"] == "aws iam get-account-authorization-details")
    #expect(recognised["list-accounts-for-parent.r-ab12.json"] == "aws organizations list-accounts-for-parent")
    #expect(recognised["list-accounts.json"] == "aws organizations list-accounts")
    #expect(recognised["list-policies.SERVICE_CONTROL_POLICY.json"] == "aws organizations list-policies")
  }

  @Test func summariesSayWhatEachFileHolds() throws {
    let inputs = try ImportFixtures.importer().inputs
    func summary(_ name: String) -> String? { inputs.first { $0.file.hasSuffix("/" + name) }?.summary }
    #expect(summary("iam-dev.json") == "account 111100000003: 0 users, 0 groups, 1 role, 0 managed policies")
    #expect(summary("get-account-authorization-details.111100000002.page1.json")
      == "account 111100000002: 0 users, 0 groups, 2 roles, 0 managed policies (one page; more follow)")
    #expect(summary("list-account-assignments.111100000003.ps-2b3c4d5e6f7a8b9c.json")
      == "1 assignment in account 111100000003 of ps-2b3c4d5e6f7a8b9c")
    #expect(summary("get-permissions-boundary-for-permission-set.ps-1a2b3c4d5e6f7a8b.json") == "no permissions boundary in ps-1a2b3c4d5e6f7a8b")
    #expect(summary("list-delegated-administrators.sso.amazonaws.com.json") == "0 delegated administrators for sso.amazonaws.com")
    #expect(summary("describe-policy.p-denyeu01.json") == "SCP DenyOutsideEU (p-denyeu01)")
  }

  @Test func aFileOfNoKnownShapeIsRefused() throws {
    let error = try #require(ImportFixtures.error("foo.json", #"{"Foo": 1}"#))
    let diagnostic = try #require(error.diagnostics.first)
    #expect(diagnostic.code == .importUnknownShape)
    #expect(diagnostic.file == "/exports/foo.json")
    #expect(diagnostic.position == SourcePosition(line: 1, column: 1))
    #expect(diagnostic.message.contains("`Foo`"))
    #expect(ImportFixtures.error("array.json", "[]")?.diagnostics.first?.code == .importUnknownShape)
  }

  @Test func anOrganizationDirectoryFileIsRefusedWithAHint() throws {
    let error = try #require(ImportFixtures.error("organization.json", #"{"formatVersion": 1, "root": {}}"#))
    #expect(error.diagnostics.first?.code == .importUnknownShape)
    #expect(error.diagnostics.first?.message.contains("--out") == true)
  }

  @Test func aSyntaxErrorNamesItsLineAndColumn() throws {
    let error = try #require(ImportFixtures.error("list-users.json", "{\n  \"Users\": [}\n"))
    let diagnostic = try #require(error.diagnostics.first)
    #expect(diagnostic.code == .jsonSyntax)
    #expect(diagnostic.file == "/exports/list-users.json")
    #expect(diagnostic.position == SourcePosition(line: 2, column: 13))
  }

  @Test(arguments: [
    ("managed.json", #"{"AttachedManagedPolicies": []}"#, "list-managed-policies-in-permission-set.PS-ID.json"),
    ("refs.json", #"{"CustomerManagedPolicyReferences": []}"#, "list-customer-managed-policy-references-in-permission-set.PS-ID.json"),
    ("inline.json", #"{"InlinePolicy": ""}"#, "get-inline-policy-for-permission-set.PS-ID.json"),
    ("boundary.json", #"{"PermissionsBoundary": {"ManagedPolicyArn": "arn:aws:iam::aws:policy/PowerUserAccess"}}"#,
     "get-permissions-boundary-for-permission-set.PS-ID.json"),
    ("provisioned.json", #"{"AccountIds": []}"#, "list-accounts-for-provisioned-permission-set.PS-ID.json"),
    ("assignments.json", #"{"AccountAssignments": []}"#, "list-account-assignments.ACCOUNT-ID.PS-ID.json"),
    ("list-account-assignments-for-principal.json", #"{"AccountAssignments": []}"#, "list-account-assignments-for-principal.PRINCIPAL-ID.json"),
    ("members.json", #"{"GroupMemberships": []}"#, "list-group-memberships.GROUP-ID.json"),
    ("ous.json", #"{"OrganizationalUnits": []}"#, "list-organizational-units-for-parent.PARENT-ID.json"),
    ("list-accounts-for-parent.json", #"{"Accounts": []}"#, "list-accounts-for-parent.PARENT-ID.json"),
    ("targets.json", #"{"Targets": []}"#, "list-targets-for-policy.POLICY-ID.json"),
    ("list-policies-for-target.json", #"{"Policies": []}"#, "list-policies-for-target.TARGET-ID.FILTER.json"),
    ("policies.json", #"{"Policies": []}"#, "list-policies.FILTER.json"),
    ("admins.json", #"{"DelegatedAdministrators": [{"Id": "111122223333"}]}"#, "list-delegated-administrators.SERVICE-PRINCIPAL.json"),
    ("iam.json", #"{"UserDetailList": [], "GroupDetailList": [], "RoleDetailList": [], "Policies": []}"#,
     "get-account-authorization-details.ACCOUNT-ID.json"),
  ])
  func anOutputThatNeedsANameSaysWhichNameToUse(_ file: String, _ text: String, _ name: String) throws {
    let error = try #require(ImportFixtures.error(file, text), "\(file) was accepted")
    let diagnostic = try #require(error.diagnostics.first)
    #expect(diagnostic.code == .importNeedsName)
    #expect(diagnostic.file == "/exports/" + file)
    #expect(diagnostic.message.contains("name the file `\(name)`"), "\(diagnostic.message)")
  }

  /// Run without `--service-principal`, the command lists every service's delegated administrators: an empty list
  /// needs no name, since it says that no service has one.
  @Test func anEmptyUnnamedDelegatedAdministratorListMeansNone() throws {
    var importer = OrganizationImport()
    let file = try importer.add(file: "list-delegated-administrators.json", bytes: Array(#"{"DelegatedAdministrators": []}"#.utf8))
    #expect(file.command == "aws organizations list-delegated-administrators")
  }

  @Test func theSameShapesAreToldApartByName() throws {
    var importer = OrganizationImport()
    let accounts = #"{"Accounts": [{"Id": "111100000002", "Name": "prod"}]}"#
    #expect(try importer.add(file: "list-accounts.json", bytes: Array(accounts.utf8)).command == "aws organizations list-accounts")
    #expect(try importer.add(file: "list-accounts-for-parent.ou-ab12-workload1.json", bytes: Array(accounts.utf8)).summary
      == "1 account under ou-ab12-workload1")
    let assignments = #"{"AccountAssignments": [{"AccountId": "111100000002", "PermissionSetArn": "\#(ImportFixtures.dbaArn)", "PrincipalType": "USER", "PrincipalId": "u-1"}, {"AccountId": "111100000003", "PermissionSetArn": "\#(ImportFixtures.dbaArn)", "PrincipalType": "USER", "PrincipalId": "u-1"}]}"#
    // Several accounts and one principal, without a name: the output of list-account-assignments-for-principal.
    #expect(try importer.add(file: "a.json", bytes: Array(assignments.utf8)).command == "aws sso-admin list-account-assignments-for-principal")
    #expect(ImportFixtures.error("list-account-assignments.json", assignments)?.diagnostics.first?.code == .importConflict)
  }

  @Test func aNameThatContradictsTheContentIsRefused() throws {
    let groups = ImportFixtures.error("list-users.json", #"{"Groups": []}"#)
    #expect(groups?.diagnostics.first?.code == .importNameMismatch)
    #expect(groups?.diagnostics.first?.message.contains("list-groups") == true)

    let text = """
      {
        "RoleDetailList": [
          {"RoleName": "Ops", "Arn": "arn:aws:iam::111100000009:role/Ops",
           "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}}
        ]
      }
      """
    let account = try #require(ImportFixtures.error("get-account-authorization-details.111100000002.json", text))
    let diagnostic = try #require(account.diagnostics.first)
    #expect(diagnostic.code == .importNameMismatch)
    #expect(diagnostic.path.description == "$.RoleDetailList[0].Arn")
    #expect(diagnostic.position == SourcePosition(line: 3, column: 32))

    let assignments = #"{"AccountAssignments": [{"AccountId": "111100000003", "PermissionSetArn": "\#(ImportFixtures.dbaArn)", "PrincipalType": "GROUP", "PrincipalId": "g-1"}]}"#
    #expect(ImportFixtures.error("list-account-assignments.111100000002.ps-1a2b3c4d5e6f7a8b.json", assignments)?.diagnostics.first?.code
      == .importNameMismatch)
  }

  @Test func aMemberOfTheWrongTypeNamesItsPathAndPosition() throws {
    let text = "{\n  \"Users\": [\n    {\"UserName\": \"alice@example.com\", \"UserId\": 5}\n  ]\n}\n"
    let diagnostic = try #require(ImportFixtures.error("list-users.json", text)?.diagnostics.first)
    #expect(diagnostic.code == .importWrongType)
    #expect(diagnostic.path.description == "$.Users[0].UserId")
    #expect(diagnostic.position == SourcePosition(line: 3, column: 49))
  }

  @Test func aMissingMemberIsNamed() throws {
    let text = #"{"PermissionSet": {"PermissionSetArn": "\#(ImportFixtures.dbaArn)"}}"#
    let diagnostic = try #require(ImportFixtures.error("describe-permission-set.json", text)?.diagnostics.first)
    #expect(diagnostic.code == .importMissingMember)
    #expect(diagnostic.path.description == "$.PermissionSet")
    #expect(diagnostic.message.contains("`Name`"))
  }

  @Test func anInvalidControlPolicyInAStringIsPlacedAtTheString() throws {
    let text = """
      {"Policy": {"PolicySummary": {"Id": "p-x1234567", "Name": "X", "Type": "SERVICE_CONTROL_POLICY", "AwsManaged": false},
        "Content": "{\\"Version\\":\\"2012-10-17\\",\\"Statement\\":[{\\"Effect\\":\\"Deny\\",\\"Principal\\":\\"*\\",\\"Action\\":\\"*\\",\\"Resource\\":\\"*\\"}]}"}}
      """
    let error = try #require(ImportFixtures.error("describe-policy.json", text))
    let diagnostic = try #require(error.diagnostics.first { $0.severity == .error })
    #expect(diagnostic.code == .elementNotSupported)
    #expect(diagnostic.path.description == "$.Policy.Content.Statement[0].Principal")
    #expect(diagnostic.position == SourcePosition(line: 2, column: 14))
    #expect(diagnostic.message.contains("in the policy string"))
  }

  @Test func anInvalidPolicyInAuthorizationDetailsNamesItsPlace() throws {
    let text = """
      {
        "RoleDetailList": [
          {"RoleName": "Ops", "Arn": "arn:aws:iam::111100000002:role/Ops",
           "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]},
           "RolePolicyList": [{"PolicyName": "p", "PolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Perhaps", "Action": "s3:*", "Resource": "*"}]}}]}
        ]
      }
      """
    let error = try #require(ImportFixtures.error("get-account-authorization-details.111100000002.json", text))
    let diagnostic = try #require(error.diagnostics.first { $0.severity == .error })
    #expect(diagnostic.code == .invalidEffect)
    #expect(diagnostic.path.description == "$.RoleDetailList[0].RolePolicyList[0].PolicyDocument.Statement[0].Effect")
    #expect(diagnostic.position?.line == 5)
  }

  @Test func aRoleWithoutTrustPolicyIsRefused() throws {
    let text = #"{"RoleDetailList": [{"RoleName": "Ops", "Arn": "arn:aws:iam::111100000002:role/Ops"}]}"#
    let diagnostic = try #require(ImportFixtures.error("get-account-authorization-details.json", text)?.diagnostics.first)
    #expect(diagnostic.code == .importMissingMember)
    #expect(diagnostic.path.description == "$.RoleDetailList[0]")
    #expect(diagnostic.message.contains("AssumeRolePolicyDocument"))
  }

  @Test func aCustomerManagedPolicyNeedsADefaultVersion() throws {
    let text = #"{"Policies": [{"PolicyName": "X", "Arn": "arn:aws:iam::111100000002:policy/X", "PolicyVersionList": [{"Document": {}, "IsDefaultVersion": false}]}]}"#
    let diagnostic = try #require(ImportFixtures.error("get-account-authorization-details.json", text)?.diagnostics.first)
    #expect(diagnostic.code == .importMissingMember)
    #expect(diagnostic.path.description == "$.Policies[0].PolicyVersionList")
  }

  @Test func twoDifferentOutputsForTheSameThingConflict() throws {
    var importer = OrganizationImport()
    let first = #"{"PermissionSet": {"Name": "DatabaseAdministrator", "PermissionSetArn": "\#(ImportFixtures.dbaArn)"}}"#
    let second = #"{"PermissionSet": {"Name": "DBA", "PermissionSetArn": "\#(ImportFixtures.dbaArn)"}}"#
    try importer.add(file: "a.json", bytes: Array(first.utf8))
    try importer.add(file: "b.json", bytes: Array(first.utf8))
    #expect(throws: InputError.self) { try importer.add(file: "c.json", bytes: Array(second.utf8)) }
    do {
      try importer.add(file: "c.json", bytes: Array(second.utf8))
    } catch {
      #expect(error.diagnostics.first?.code == .importConflict)
      #expect(error.diagnostics.first?.file == "c.json")
      #expect(error.diagnostics.first?.message.contains("a.json") == true)
    }
  }

  @Test func outputsImportDoesNotReadAreNamedWithWhatToRunInstead() throws {
    let diagnostic = try #require(ImportFixtures.error("list-permission-sets-provisioned-to-account.111100000002.json",
                                                       #"{"PermissionSets": []}"#)?.diagnostics.first)
    #expect(diagnostic.code == .importUnsupportedCommand)
    #expect(diagnostic.message.contains("list-permission-sets"))
    let tag = #"{"Policy": {"PolicySummary": {"Id": "p-tag12345", "Type": "TAG_POLICY"}, "Content": "{}"}}"#
    #expect(ImportFixtures.error("describe-policy.json", tag)?.diagnostics.first?.code == .importUnsupportedCommand)
  }

  @Test func aRepeatedKeyIsRefused() throws {
    let diagnostic = try #require(ImportFixtures.error("list-roots.json", #"{"Roots": [{"Id": "r-ab12", "Id": "r-cd34"}]}"#)?.diagnostics.first)
    #expect(diagnostic.code == .duplicateKey)
    #expect(diagnostic.path.description == "$.Roots[0].Id")
  }

  @Test func theAccountOfUnnamedAuthorizationDetailsComesFromItsARNs() throws {
    var importer = OrganizationImport()
    let text = #"{"UserDetailList": [{"UserName": "u", "Arn": "arn:aws:iam::111100000002:user/u"}], "Policies": [{"PolicyName": "ReadOnlyAccess", "Arn": "arn:aws:iam::aws:policy/ReadOnlyAccess", "PolicyVersionList": [{"Document": {}, "IsDefaultVersion": true}]}]}"#
    #expect(try importer.add(file: "anything.json", bytes: Array(text.utf8)).summary.hasPrefix("account 111100000002:"))
    let two = #"{"UserDetailList": [{"UserName": "u", "Arn": "arn:aws:iam::111100000002:user/u"}, {"UserName": "v", "Arn": "arn:aws:iam::111100000003:user/v"}]}"#
    let diagnostic = try #require(ImportFixtures.error("x.json", two)?.diagnostics.first)
    #expect(diagnostic.code == .importConflict)
    #expect(diagnostic.path.description == "$.UserDetailList[1].Arn")
  }

  @Test func accountAccessManagerOutputsAndIamsimsOwnFileAreRead() throws {
    var importer = OrganizationImport()
    let entitlement = """
      {"applicationArn": "arn:aws:account-access:eu-west-1:111100000001:application/aam-0123456789abcdef",
       "entitlementId": "ent-1", "createdAt": "2026-07-01T10:00:00+00:00",
       "entitlement": {"principalRole": {"principal": {"identityCenter": {"groupId": "g-1"}},
                                         "roleArn": "arn:aws:iam::111100000002:role/ops/BreakGlassOps", "account": "111100000002"}}}
      """
    #expect(try importer.add(file: "e.json", bytes: Array(entitlement.utf8)).summary == "entitlement ent-1: role BreakGlassOps of account 111100000002")
    let own = #"{"grants": [{"principalType": "USER", "principal": "bob@example.com", "account": "111100000002", "role": "BreakGlassOps"}]}"#
    #expect(try importer.add(file: "account-access.json", bytes: Array(own.utf8)).command == "iamsim account-access.json")
    let wrong = #"{"grants": [{"principalType": "ROLE", "principal": "x", "account": "111100000002", "role": "R"}]}"#
    #expect(ImportFixtures.error("account-access.json", wrong)?.diagnostics.first?.path.description == "$.grants[0].principalType")
  }
}

/// Names that carry IDs beside content that names the same thing.
@Suite struct ImportNameTests {
  @Test func aDescribeOutputNamedForAnotherThingIsRefused() throws {
    let set = #"{"PermissionSet": {"Name": "ReadOnly", "PermissionSetArn": "\#(ImportFixtures.readOnlyArn)"}}"#
    let diagnostic = try #require(ImportFixtures.error("describe-permission-set.\(ImportFixtures.dba).json", set)?.diagnostics.first)
    #expect(diagnostic.code == .importNameMismatch)
    #expect(diagnostic.path.description == "$.PermissionSet.PermissionSetArn")
    let policy = #"{"Policy": {"PolicySummary": {"Id": "p-other123", "Type": "SERVICE_CONTROL_POLICY"}, "Content": "{}"}}"#
    #expect(ImportFixtures.error("describe-policy.p-denyeu01.json", policy)?.diagnostics.first?.code == .importNameMismatch)
  }

  @Test func theRegionInAListInstancesNameIsKeptWithItsExport() throws {
    var importer = OrganizationImport()
    let text = #"{"Instances": [{"InstanceArn": "\#(ImportFixtures.instanceArn)", "IdentityStoreId": "d-1234567890"}]}"#
    #expect(try importer.add(file: "list-instances.eu-central-1.json", bytes: Array(text.utf8)).summary == "1 instance in eu-central-1")
    #expect(importer.files["exports/list-instances.eu-central-1.json"] != nil)
    let organization = try ImportFixtures.json(importer.files, "organization.json")
    #expect(organization[path: ["identityCenter", "region"]]?.stringValue == "eu-central-1")
    #expect(!importer.missing.contains { $0.file.hasPrefix("list-instances") })
  }

  @Test func pageLabelsAreNotIDs() throws {
    let inputs = try ImportFixtures.importer(only: ["get-account-authorization-details.111100000002.page2.json"]).inputs
    #expect(inputs.first?.summary.hasPrefix("account 111100000002:") == true)
  }
}
