import Foundation
import IAMEvaluation
import IAMOrganization
import IAMPolicy
import IAMTestSupport
import Testing

/// One session assembly for every caller: Identity Center users, account access manager grants, IAM roles.
@Suite struct OrganizationSessionTests {
  static let base = OrganizationDirectoryTests.fixtures + "/broken/_valid-base"

  static func decision(_ organization: Organization, _ caller: Caller, _ action: String, resource: String = "*",
                       resourceAccount: String? = nil, context: [String: String] = [:]) throws -> Decision {
    let session = try organization.session(for: caller)
    var request = AuthorizationRequest(principal: session.principal, action: action, resource: resource,
                                       resourceAccount: resourceAccount, context: session.context)
    for (key, value) in context { request.context.set(key, value) }
    let policies = organization.policySet(for: session, resource: resource, resourceAccount: resourceAccount)
    return try Authorizer(policies).authorize(request).decision
  }

  @Test func anIdentityCenterSessionHasItsRoleGroupAndPolicies() throws {
    let organization = try OrganizationDirectory.load(Self.base)
    let session = try organization.session(
      for: .identityCenter(user: "alice@example.com", permissionSet: "DatabaseAdministrator", account: "111122223333"))
    #expect(session.principal.arn
      == "arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_DatabaseAdministrator_a1b2c3d4e5f60718/alice@example.com")
    #expect(session.principal.roleARN
      == "arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_DatabaseAdministrator_a1b2c3d4e5f60718")
    #expect(session.group == "AWS-DBAs")
    // The AWS managed policy, then the account's copy of the customer managed policy, named by path and name (the
    // account is the session's): the same policy in two accounts is the same document.
    #expect(session.policies.identityPolicies.map(\.name) == [
      "arn:aws:iam::aws:policy/job-function/DatabaseAdministrator", "/DbaExtras",
    ])
    // Root and OU and account SCP levels: three, as AWS evaluates them.
    #expect(session.policies.serviceControlPolicies.count == 3)
    #expect(session.context["identitystore:UserId"]?.values == ["9067a1b2c3-11111111-1111-1111-1111-111111111111"])
  }

  @Test func aUserWithoutTheAssignmentHasNoSession() throws {
    let organization = try OrganizationDirectory.load(Self.base)
    #expect(throws: SessionUnavailable.self) {
      try organization.session(for: .identityCenter(user: "bob@example.com", permissionSet: "DatabaseAdministrator", account: "111122223333"))
    }
  }

  @Test func theResourcesAccountDecidesTheRCPs() throws {
    let organization = try OrganizationDirectory.load(Self.base)
    let caller = Caller.role(account: "111122223333", name: "BreakGlassOps")
    let plain = ["aws:SecureTransport": "false", "aws:RequestedRegion": "eu-west-1"]
    // The Workloads OU's RCP denies S3 over plain HTTP on its accounts' resources...
    #expect(try Self.decision(organization, caller, "s3:GetObject", resource: "arn:aws:s3:::b/k", resourceAccount: "111122223333",
                              context: plain) == .explicitDeny)
    // ...and over TLS the role's AdministratorAccess allows it.
    #expect(try Self.decision(organization, caller, "s3:GetObject", resource: "arn:aws:s3:::b/k", resourceAccount: "111122223333",
                              context: ["aws:RequestedRegion": "eu-west-1"]) == .allowed)
  }

  @Test func anAccountAccessGrantIsARoleSessionNamedAfterTheUser() throws {
    let organization = try OrganizationDirectory.load(Self.base)
    let session = try organization.session(for: .accountAccess(user: "bob@example.com", account: "111122223333", role: "BreakGlassOps"))
    #expect(session.principal.arn == "arn:aws:sts::111122223333:assumed-role/BreakGlassOps/bob@example.com")
    #expect(organization.callers.contains(.accountAccess(user: "bob@example.com", account: "111122223333", role: "BreakGlassOps")))
    // alice has no grant.
    #expect(throws: SessionUnavailable.self) {
      try organization.session(for: .accountAccess(user: "alice@example.com", account: "111122223333", role: "BreakGlassOps"))
    }
  }

  /// "The role's trust policy must allow account-access.amazonaws.com to call sts:AssumeRole and sts:SetContext"
  /// (IAM User Guide, Prepare IAM roles): without sts:SetContext the grant is unusable, and says what is missing.
  @Test func aGrantWhoseRoleDoesNotTrustTheServiceIsUnusable() throws {
    let organization = try OrganizationDirectory.load(
      OrganizationDirectoryTests.fixtures + "/warnings/account-access-trust-lacks-setcontext")
    do {
      _ = try organization.session(for: .accountAccess(user: "bob@example.com", account: "111122223333", role: "BreakGlassOps"))
      Issue.record("an unusable grant gave a session")
    } catch {
      #expect(error.code == .unusableGrant)
      #expect(error.message.contains("sts:SetContext"))
    }
  }

  /// Fail closed: a session that needs a customer managed policy of an account whose IAM was not collected is not
  /// evaluated at all (the policy could deny), and says why.
  @Test func aSessionNeedingUncollectedIAMIsNotEvaluated() throws {
    let directory = try Self.copy(Self.base)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let assignments = #"[{"principalType": "GROUP", "principal": "AWS-DBAs", "permissionSet": "DatabaseAdministrator", "account": "444455556666"}]"#
    try assignments.write(toFile: directory + "/assignments.json", atomically: true, encoding: .utf8)
    let organization = try OrganizationDirectory.load(directory)
    do {
      _ = try organization.session(
        for: .identityCenter(user: "alice@example.com", permissionSet: "DatabaseAdministrator", account: "444455556666"))
      Issue.record("a session was formed without the account's customer managed policies")
    } catch {
      #expect(error.code == .iamNotCollected)
      #expect(error.message.contains("DbaExtras") && error.message.contains("444455556666"))
    }
  }

  /// The same assignment in an account whose IAM is complete but lacks the policy: AWS fails the provisioning, so
  /// the organization does not load (a preflight error pointing at the reference).
  @Test func aMissingCustomerManagedPolicyInACompleteAccountIsAnError() throws {
    let directory = try Self.copy(Self.base)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let text = try String(contentsOfFile: directory + "/organization.json", encoding: .utf8)
      .replacingOccurrences(of: "\"name\": \"dev\",\n            \"iam\": \"not-collected\"", with: "\"name\": \"dev\"")
    try text.write(toFile: directory + "/organization.json", atomically: true, encoding: .utf8)
    let assignments = #"[{"principalType": "GROUP", "principal": "AWS-DBAs", "permissionSet": "DatabaseAdministrator", "account": "444455556666"}]"#
    try assignments.write(toFile: directory + "/assignments.json", atomically: true, encoding: .utf8)
    do {
      _ = try OrganizationDirectory.load(directory)
      Issue.record("the organization loaded")
    } catch {
      let error = try #require(error.diagnostics.first { $0.code == .provisioningFails })
      #expect(error.file?.hasSuffix("permission-sets/DatabaseAdministrator.json") == true)
      #expect(error.path.description == "$.CustomerManagedPolicyReferences[0].Name")
    }
  }

  static func copy(_ source: String) throws -> String {
    let target = Scratch.root.appendingPathComponent("iamsim-org-\(UUID().uuidString)").path
    try FileManager.default.copyItem(atPath: source, toPath: target)
    return target
  }
}
