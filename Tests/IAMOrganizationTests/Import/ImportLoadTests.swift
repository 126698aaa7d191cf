import Foundation
import IAMOrganization
import IAMPolicy
import Testing

/// What import writes loads with the organization loader every command uses (`OrganizationDirectory.load`).
@Suite struct ImportLoadTests {
  @Test func theCompleteSetLoadsWithoutFindings() throws {
    try ImportFixtures.withTemporaryFolder { folder in
      _ = try ImportFixtures.importer().write(to: folder + "/org")
      let organization = try OrganizationDirectory.load(folder + "/org")
      #expect(organization.findings.isEmpty, "\(organization.findings.map(\.formatted))")
      #expect(organization.id == "o-a1b2c3d4e5")
      #expect(organization.managementAccount == ImportFixtures.management)
      #expect(organization.enabledPolicyTypes == [.serviceControlPolicy, .resourceControlPolicy])
      #expect(organization.identityCenter.instanceArn == ImportFixtures.instanceArn)
      #expect(organization.identityCenter.identityStoreId == "d-1234567890")
      #expect(Set(organization.accounts.map(\.id)) == [ImportFixtures.management, ImportFixtures.prod, ImportFixtures.dev])
      #expect(organization.root.children.map(\.name) == ["Workloads"])
      #expect(organization.root.children.first?.serviceControlPolicies.map(\.name) == ["FullAWSAccess", "DenyOutsideEU"])
      #expect(organization.serviceControlLevels(for: ImportFixtures.prod).count == 3)
      #expect(organization.account(ImportFixtures.prod)?.roleSuffixes == ["DatabaseAdministrator": "a1b2c3d4e5f60718", "ReadOnly": "0123456789abcdef"])
      #expect(organization.account(ImportFixtures.prod)?.iam?.roles.count == 3)
      #expect(organization.account(ImportFixtures.prod)?.iam?.policy(path: "/", name: "DbaExtras") != nil)
      #expect(organization.account(ImportFixtures.management)?.iam?.roles.map(\.name) == ["OrganizationAdmin"])
      #expect(organization.permissionSets.map(\.name).sorted() == ["DatabaseAdministrator", "ReadOnly"])
      #expect(organization.assignments.count == 3)
      #expect(organization.assignments.contains {
        $0.principal == "AWS-Engineering" && $0.permissionSet == "ReadOnly" && $0.account == ImportFixtures.dev
      })
      #expect(organization.identityStore.users.map(\.userName).sorted() == ["alice@example.com", "bob@example.com"])
      #expect(organization.identityStore.group(named: "AWS-DBA")?.memberIDs == [ImportFixtures.alice])
      #expect(organization.accessControl?.attributes.map(\.key) == ["Department"])
      #expect(organization.accountAccess.applicationArn == "arn:aws:account-access:eu-west-1:111100000001:application/aam-0123456789abcdef")
      #expect(organization.accountAccess.grants.map(\.role) == ["BreakGlassOps"])
    }
  }

  @Test func aDirectoryThatLackedPartsLoadsOnceTheyAreAdded() throws {
    try ImportFixtures.withTemporaryFolder { folder in
      let target = folder + "/org"
      // IAM first, without Identity Center: no role suffixes (they would name unknown permission sets).
      _ = try ImportFixtures.importer(only: ["get-account-authorization-details.111100000002.page1.json",
                                            "get-account-authorization-details.111100000002.page2.json"]).write(to: target)
      let first = try OrganizationDirectory.load(target)
      #expect(first.account(ImportFixtures.prod)?.roleSuffixes.isEmpty == true)
      // Then everything else: the kept exports are read again, and the suffixes appear.
      var rest = try ImportFixtures.importer { $0.hasPrefix("get-account-authorization-details.111100000002") }
      try rest.addExisting(directory: target)
      let result = try rest.write(to: target)
      #expect(result.missing.isEmpty)
      let organization = try OrganizationDirectory.load(target)
      #expect(organization.account(ImportFixtures.prod)?.roleSuffixes["DatabaseAdministrator"] == "a1b2c3d4e5f60718")
      #expect(organization.account(ImportFixtures.prod)?.iam?.roles.count == 3)
    }
  }
}
