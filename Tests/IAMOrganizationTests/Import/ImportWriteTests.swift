import Foundation
import IAMOrganization
import IAMPolicy
import Testing

/// What an import of the complete set writes, member by member, and how it writes and adds to a directory.
@Suite struct ImportWriteTests {
  @Test func theCompleteSetWritesEveryFileOfTheFormatAndMissesNothing() throws {
    let importer = try ImportFixtures.importer()
    let files = importer.files.keys.filter { !$0.hasPrefix("exports/") }.sorted()
    #expect(files == [
      "access-control-attributes.json", "account-access.json",
      "accounts/111100000001/authorization-details.json", "accounts/111100000002/authorization-details.json",
      "accounts/111100000003/authorization-details.json", "assignments.json",
      "identity-store/1-users.json", "identity-store/2-groups.json", "identity-store/3-memberships.json",
      "organization.json", "permission-sets/DatabaseAdministrator.json", "permission-sets/ReadOnly.json", "policies/p-denyeu01.json",
    ])
    #expect(importer.missing.isEmpty, "\(importer.missing.map(\.what))")
    #expect(importer.warnings.isEmpty, "\(importer.warnings.map(\.formatted))")
    #expect(importer.files.keys.filter { $0.hasPrefix("exports/") }.count == ImportFixtures.completeFiles.count)
  }

  @Test func organizationJSONHasTheTreeWithIDsNextToNames() throws {
    let organization = try ImportFixtures.json(ImportFixtures.importer().files, "organization.json")
    #expect(organization.keys == ["formatVersion", "id", "managementAccount", "enabledPolicyTypes", "identityCenter", "root"])
    #expect(organization["formatVersion"]?.kind == .number("1"))
    #expect(organization["id"]?.stringValue == "o-a1b2c3d4e5")
    #expect(organization["managementAccount"]?.stringValue == ImportFixtures.management)
    #expect(organization["enabledPolicyTypes"]?.elements?.compactMap(\.stringValue) == ["SERVICE_CONTROL_POLICY", "RESOURCE_CONTROL_POLICY"])
    #expect(organization["identityCenter"]?.output == .object([
      ("region", "eu-west-1"), ("instanceArn", .string(ImportFixtures.instanceArn)), ("identityStoreId", "d-1234567890"),
    ]))
    let root = try #require(organization["root"])
    #expect(root["id"]?.stringValue == "r-ab12")
    #expect(root["name"]?.stringValue == "Root")
    #expect(root["scps"]?.output == .array(["FullAWSAccess"]))
    #expect(root["rcps"]?.output == .array(["RCPFullAWSAccess"]))
    #expect(root[path: ["accounts", 0]]?.output == .object([
      ("id", "111100000001"), ("name", "management"), ("email", "aws-management@example.com"),
      ("scps", .array(["FullAWSAccess"])), ("rcps", .array(["RCPFullAWSAccess"])),
    ]))
    let workloads = try #require(root[path: ["organizationalUnits", 0]])
    #expect(workloads["id"]?.stringValue == "ou-ab12-workload1")
    #expect(workloads["name"]?.stringValue == "Workloads")
    #expect(workloads["scps"]?.output == .array([
      "FullAWSAccess", .object([("id", "p-denyeu01"), ("name", "DenyOutsideEU"), ("file", "policies/p-denyeu01.json")]),
    ]))
    #expect(workloads["accounts"]?.elements?.compactMap { $0["id"]?.stringValue } == [ImportFixtures.dev, ImportFixtures.prod])
    let prod = try #require(workloads[path: ["accounts", 1]])
    #expect(prod["roleSuffixes"]?.output == .object([("DatabaseAdministrator", "a1b2c3d4e5f60718"), ("ReadOnly", "0123456789abcdef")]))
    #expect(prod["iam"] == nil)
    let policy = try ImportFixtures.json(ImportFixtures.importer().files, "policies/p-denyeu01.json")
    #expect(policy[path: ["Statement", 0, "Sid"]]?.stringValue == "DenyOutsideEU")
  }

  @Test func permissionSetsAreWrittenInTheSSOAdminShape() throws {
    let files = try ImportFixtures.importer().files
    let dba = try ImportFixtures.json(files, "permission-sets/DatabaseAdministrator.json")
    #expect(dba.keys == ["Name", "PermissionSetArn", "Description", "SessionDuration", "CreatedDate", "AwsManagedPolicies",
                         "CustomerManagedPolicyReferences", "InlinePolicy"])
    #expect(dba["PermissionSetArn"]?.stringValue == ImportFixtures.dbaArn)
    #expect(dba["AwsManagedPolicies"]?.output == .array(["arn:aws:iam::aws:policy/job-function/DatabaseAdministrator"]))
    #expect(dba["CustomerManagedPolicyReferences"]?.output == .array([.object([("Name", "DbaExtras"), ("Path", "/")])]))
    #expect(dba[path: ["InlinePolicy", "Statement", 0, "Sid"]]?.stringValue == "ReadLogs")
    let readOnly = try ImportFixtures.json(files, "permission-sets/ReadOnly.json")
    #expect(readOnly.keys == ["Name", "PermissionSetArn", "SessionDuration", "CreatedDate", "AwsManagedPolicies"])
  }

  @Test func assignmentsNamePrincipalsAndPermissionSetsByIDAndName() throws {
    let assignments = try ImportFixtures.json(ImportFixtures.importer().files, "assignments.json")
    #expect(assignments.output == .array([
      .object([("principalType", "GROUP"), ("principalId", .string(ImportFixtures.dbaGroup)), ("principal", "AWS-DBA"),
               ("permissionSet", "DatabaseAdministrator"), ("permissionSetArn", .string(ImportFixtures.dbaArn)), ("account", "111100000002")]),
      .object([("principalType", "USER"), ("principalId", .string(ImportFixtures.alice)), ("principal", "alice@example.com"),
               ("permissionSet", "ReadOnly"), ("permissionSetArn", .string(ImportFixtures.readOnlyArn)), ("account", "111100000002")]),
      .object([("principalType", "GROUP"), ("principalId", .string(ImportFixtures.engineeringGroup)), ("principal", "AWS-Engineering"),
               ("permissionSet", "ReadOnly"), ("permissionSetArn", .string(ImportFixtures.readOnlyArn)), ("account", "111100000003")]),
    ]))
  }

  @Test func theIdentityStoreIsWrittenInTheIdentitystoreShapesInOrder() throws {
    let files = try ImportFixtures.importer().files
    let users = try ImportFixtures.json(files, "identity-store/1-users.json")
    #expect(users.keys == ["Users"])
    #expect(users["Users"]?.elements?.compactMap { $0["UserName"]?.stringValue } == ["alice@example.com", "bob@example.com"])
    #expect(users[path: ["Users", 0, "Extensions", "aws:identitystore:enterprise", "department"]]?.stringValue == "Databases")
    let groups = try ImportFixtures.json(files, "identity-store/2-groups.json")
    #expect(groups["Groups"]?.elements?.compactMap { $0["DisplayName"]?.stringValue } == ["AWS-DBA", "AWS-Engineering"])
    let memberships = try ImportFixtures.json(files, "identity-store/3-memberships.json")
    #expect(memberships["GroupMemberships"]?.elements?.map { [$0["GroupId"]?.stringValue, $0["MemberId"]?["UserId"]?.stringValue] }
      == [[ImportFixtures.dbaGroup, ImportFixtures.alice], [ImportFixtures.engineeringGroup, ImportFixtures.bob]])
  }

  @Test func membershipsOfANamedFileGetTheirGroupID() throws {
    var importer = try ImportFixtures.importer(only: ["list-users.json", "list-groups.json"])
    let text = #"{"GroupMemberships": [{"MembershipId": "m-1", "MemberId": {"UserId": "\#(ImportFixtures.bob)"}}]}"#
    try importer.add(file: "list-group-memberships.\(ImportFixtures.dbaGroup).json", bytes: Array(text.utf8))
    let memberships = try ImportFixtures.json(importer.files, "identity-store/3-memberships.json")
    #expect(memberships[path: ["GroupMemberships", 0]]?.keys == ["GroupId", "MembershipId", "MemberId"])
    #expect(memberships[path: ["GroupMemberships", 0, "GroupId"]]?.stringValue == ImportFixtures.dbaGroup)
  }

  @Test func accessControlAndAccountAccessAreWritten() throws {
    let files = try ImportFixtures.importer().files
    let attributes = try ImportFixtures.json(files, "access-control-attributes.json")
    #expect(attributes[path: ["InstanceAccessControlAttributeConfiguration", "AccessControlAttributes", 0, "Key"]]?.stringValue == "Department")
    let access = try ImportFixtures.json(files, "account-access.json")
    #expect(access.output == .object([
      ("applicationArn", "arn:aws:account-access:eu-west-1:111100000001:application/aam-0123456789abcdef"),
      ("grants", .array([.object([
        ("id", "ent-0123456789abcdef"), ("principalType", "USER"), ("principalId", .string(ImportFixtures.bob)),
        ("principal", "bob@example.com"), ("account", "111100000002"), ("role", "BreakGlassOps"),
      ])])),
    ]))
  }

  @Test func pagesOfAuthorizationDetailsAreMergedIntoOneFile() throws {
    let details = try ImportFixtures.json(ImportFixtures.importer().files, "accounts/111100000002/authorization-details.json")
    #expect(details.keys == ["UserDetailList", "GroupDetailList", "RoleDetailList", "Policies"])
    #expect(details["RoleDetailList"]?.elements?.compactMap { $0["RoleName"]?.stringValue } == [
      "AWSReservedSSO_DatabaseAdministrator_a1b2c3d4e5f60718", "BreakGlassOps", "AWSReservedSSO_ReadOnly_0123456789abcdef",
    ])
    #expect(details["UserDetailList"]?.elements?.count == 1)
    #expect(details[path: ["Policies", 0, "PolicyName"]]?.stringValue == "DbaExtras")
    // A page given twice adds nothing; a page whose entries differ from another's is refused.
    var again = try ImportFixtures.importer()
    let page = ImportFixtures.complete + "/get-account-authorization-details.111100000002.page1.json"
    try again.add(file: "/copy/get-account-authorization-details.111100000002.page1.json", bytes: InputFile.read(page))
    #expect(try ImportFixtures.json(again.files, "accounts/111100000002/authorization-details.json")["RoleDetailList"]?.elements?.count == 3)
    let changed = String(decoding: try InputFile.read(page), as: UTF8.self).replacingOccurrences(of: "\"CreateDate\": \"2026-01-07T08:00:00+00:00\"",
                                                                                                   with: "\"CreateDate\": \"2026-02-01T08:00:00+00:00\"")
    try again.add(file: "/copy/get-account-authorization-details.111100000002.page3.json", bytes: Array(changed.utf8))
    try ImportFixtures.withTemporaryFolder { folder in
      #expect(throws: InputError.self) { try again.write(to: folder + "/org") }
      #expect(!FileManager.default.fileExists(atPath: folder + "/org"))
    }
  }

  @Test func aTruncatedExportIsAWarningAndAMissingPart() throws {
    let importer = try ImportFixtures.importer { $0 == "get-account-authorization-details.111100000002.page2.json" }
    #expect(importer.warnings.map(\.code) == [.importTruncated, .importUnresolved])
    #expect(importer.missing.map(\.file) == ["get-account-authorization-details.111100000002.json"])
    // The missing page held the customer managed policy that a role of the first page attaches.
    let unresolved = try #require(importer.warnings.last)
    #expect(unresolved.message.contains("arn:aws:iam::111100000002:policy/DbaExtras"))
    #expect(unresolved.file?.hasSuffix("get-account-authorization-details.111100000002.page1.json") == true)
    #expect(unresolved.path.description == "$.RoleDetailList[0].AttachedManagedPolicies[1].PolicyArn")
  }

  @Test func writingCreatesTheDirectoryAndKeepsTheExports() throws {
    try ImportFixtures.withTemporaryFolder { folder in
      let target = folder + "/org"
      let result = try ImportFixtures.importer().write(to: target)
      #expect(result.kept.isEmpty && result.removed.isEmpty && result.missing.isEmpty)
      #expect(ExistingFiles.list(target) == result.written)
      #expect(FileManager.default.fileExists(atPath: target + "/exports/get-account-authorization-details.111100000002.json"))
      #expect(FileManager.default.fileExists(atPath: target + "/exports/get-account-authorization-details.111100000002.page2.json"))
      #expect(FileManager.default.fileExists(atPath: target + "/exports/get-account-authorization-details.111100000003.json"))
      #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["org"])
    }
  }

  @Test func addingToADirectoryReadsItsExportsAgainAndReplacesWhatANewExportDescribes() throws {
    try ImportFixtures.withTemporaryFolder { folder in
      let target = folder + "/org"
      _ = try ImportFixtures.importer().write(to: target)
      try Data("hand-written notes\n".utf8).write(to: URL(fileURLWithPath: target + "/README.md"))
      try FileManager.default.createDirectory(atPath: target + "/.git", withIntermediateDirectories: true)
      try Data("[core]\n".utf8).write(to: URL(fileURLWithPath: target + "/.git/config"))
      var update = OrganizationImport()
      let renamed = #"{"PermissionSet": {"Name": "ReadOnlyAccess", "PermissionSetArn": "\#(ImportFixtures.readOnlyArn)", "SessionDuration": "PT2H"}}"#
      try update.add(file: "describe-permission-set.ps-2b3c4d5e6f7a8b9c.json", bytes: Array(renamed.utf8))
      try update.addExisting(directory: target)
      #expect(update.inputs.filter(\.isStored).count == ImportFixtures.completeFiles.count)
      let result = try update.write(to: target)
      #expect(result.removed == ["permission-sets/ReadOnly.json"])
      #expect(result.kept.contains("README.md") && result.kept.contains(".git/config"))
      #expect(try String(contentsOfFile: target + "/.git/config", encoding: .utf8) == "[core]\n")
      #expect(try String(contentsOfFile: target + "/README.md", encoding: .utf8) == "hand-written notes\n")
      #expect(try ImportFixtures.json(target + "/permission-sets/ReadOnlyAccess.json")["SessionDuration"]?.stringValue == "PT2H")
      #expect(!FileManager.default.fileExists(atPath: target + "/permission-sets/ReadOnly.json"))
      let assignments = try ImportFixtures.json(target + "/assignments.json")
      #expect(assignments.elements?.compactMap { $0["permissionSet"]?.stringValue } == ["DatabaseAdministrator", "ReadOnlyAccess", "ReadOnlyAccess"])
      #expect(result.missing.isEmpty)
      #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["org"])
    }
  }

  @Test func handWrittenAssignmentsStayUnlessAnExportCoversThem() throws {
    try ImportFixtures.withTemporaryFolder { folder in
      let target = folder + "/org"
      _ = try ImportFixtures.importer { $0.hasPrefix("list-account-assignments.111100000003") }.write(to: target)
      var assignments = try ImportFixtures.json(target + "/assignments.json").output
      guard case .array(var rows) = assignments else { Issue.record("not an array"); return }
      rows.append(.object([("principalType", "USER"), ("principal", "bob@example.com"), ("permissionSet", "ReadOnly"), ("account", "111100000003")]))
      rows.append(.object([("principalType", "USER"), ("principal", "bob@example.com"), ("permissionSet", "DatabaseAdministrator"),
                           ("account", "111100000002")]))
      assignments = .array(rows)
      try Data(assignments.rendered(pretty: true).utf8).write(to: URL(fileURLWithPath: target + "/assignments.json"))
      var update = OrganizationImport()
      try update.add(file: "list-users.json", bytes: InputFile.read(ImportFixtures.complete + "/list-users.json"))
      _ = try update.write(to: target)
      let written = try ImportFixtures.json(target + "/assignments.json").elements ?? []
      // bob's DatabaseAdministrator assignment in 111100000002 is covered by that pair's export: it goes; the other stays.
      #expect(written.count == 3)
      #expect(written.contains { $0["principal"]?.stringValue == "bob@example.com" && $0["account"]?.stringValue == "111100000003" })
      #expect(!written.contains { $0["principal"]?.stringValue == "bob@example.com" && $0["account"]?.stringValue == "111100000002" })
    }
  }

  @Test func aFolderThatIsNotAnOrganizationDirectoryIsNotReplaced() throws {
    try ImportFixtures.withTemporaryFolder { folder in
      try Data("keep me\n".utf8).write(to: URL(fileURLWithPath: folder + "/notes.txt"))
      let importer = try ImportFixtures.importer(only: ["list-users.json"])
      do throws(InputError) {
        _ = try importer.write(to: folder)
        Issue.record("a folder without organization.json was replaced")
      } catch {
        #expect(error.diagnostics.first?.code == .importOutput)
      }
      #expect(try String(contentsOfFile: folder + "/notes.txt", encoding: .utf8) == "keep me\n")
    }
  }

  @Test func aFailedWriteLeavesTheOldDirectoryWhole() throws {
    try ImportFixtures.withTemporaryFolder { folder in
      let target = folder + "/org"
      _ = try ImportFixtures.importer(only: ["list-users.json"]).write(to: target)
      let before = ExistingFiles.list(target)
      // An export whose pages disagree is refused before anything is written.
      var importer = try ImportFixtures.importer(only: ["iam-dev.json"])
      let changed = String(decoding: try InputFile.read(ImportFixtures.complete + "/iam-dev.json"), as: UTF8.self)
        .replacingOccurrences(of: "2026-01-07T08:00:00+00:00", with: "2026-03-07T08:00:00+00:00")
      try importer.add(file: "iam-dev-again.json", bytes: Array(changed.utf8))
      #expect(throws: InputError.self) { try importer.write(to: target) }
      #expect(ExistingFiles.list(target) == before)
      #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["org"])
    }
  }

  @Test func onlyIAMExportsStillMakeALoadableDirectory() throws {
    try ImportFixtures.withTemporaryFolder { folder in
      let importer = try ImportFixtures.importer(only: ["iam-dev.json"])
      let result = try importer.write(to: folder + "/org")
      let organization = try ImportFixtures.json(folder + "/org/organization.json")
      #expect(organization.output == .object([
        ("formatVersion", 1), ("identityCenter", .object([("region", "eu-west-1")])),
        ("root", .object([("name", "Root"), ("accounts", .array([.object([("id", "111100000003")])]))])),
      ]))
      #expect(result.written.contains("accounts/111100000003/authorization-details.json"))
      _ = try OrganizationDirectory.load(folder + "/org")
    }
  }
}

/// The files under a directory, relative and sorted, hidden ones included.
enum ExistingFiles {
  static func list(_ path: String) -> [String] {
    var result: [String] = []
    let enumerator = FileManager.default.enumerator(atPath: path)
    while let relative = enumerator?.nextObject() as? String {
      if enumerator?.fileAttributes?[.type] as? FileAttributeType == .typeRegular { result.append(relative) }
    }
    return result.sorted()
  }
}

/// Adding exports to a hand-written organization directory, whose tree no Organizations export replaces.
@Suite struct ImportHandWrittenTests {
  static let tree = """
    {
      "formatVersion": 1,
      "managementAccount": "111100000001",
      "root": {
        "name": "Root",
        "scps": ["FullAWSAccess"],
        "accounts": [{"id": "111100000001", "name": "management"}],
        "organizationalUnits": [
          {"name": "Workloads", "accounts": [{"id": "111100000002", "name": "prod", "iam": "not-collected"},
                                              {"id": "111100000009", "name": "sandbox", "iam": "not-collected"}]}
        ]
      }
    }
    """

  @Test func theHandWrittenTreeIsPatchedNotReplaced() throws {
    try ImportFixtures.withTemporaryFolder { folder in
      let target = folder + "/org"
      try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
      try Data(Self.tree.utf8).write(to: URL(fileURLWithPath: target + "/organization.json"))
      var importer = try ImportFixtures.importer(only: [
        "get-account-authorization-details.111100000002.page1.json", "get-account-authorization-details.111100000002.page2.json",
        "describe-permission-set.ps-1a2b3c4d5e6f7a8b.json", "iam-dev.json",
      ])
      try importer.addExisting(directory: target)
      let result = try importer.write(to: target)
      let organization = try ImportFixtures.json(target + "/organization.json")
      // The account whose IAM is now exported loses `"iam": "not-collected"` and gains its role suffix; the rest stays.
      let workloads = try #require(organization[path: ["root", "organizationalUnits", 0]])
      #expect(workloads[path: ["accounts", 0]]?.output == .object([
        ("id", "111100000002"), ("name", "prod"), ("roleSuffixes", .object([("DatabaseAdministrator", "a1b2c3d4e5f60718")])),
      ]))
      #expect(workloads[path: ["accounts", 1, "iam"]]?.stringValue == "not-collected")
      #expect(organization[path: ["root", "scps"]]?.output == .array(["FullAWSAccess"]))
      // An account the tree lacks is put under its root, with a warning.
      #expect(organization[path: ["root", "accounts", 1]]?.output == .object([("id", "111100000003")]))
      #expect(result.warnings.contains { $0.code == .importGuess && $0.message.contains("111100000003") })
      // IAM is asked for where the hand-written tree says it was not collected, not where it says nothing.
      let iam = result.missing.filter { $0.file.hasPrefix("get-account-authorization-details") }.map(\.file)
      #expect(iam == ["get-account-authorization-details.111100000009.json"])
      _ = try OrganizationDirectory.load(target)
    }
  }
}
