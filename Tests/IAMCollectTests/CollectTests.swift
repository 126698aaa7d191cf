import Foundation
import IAMAWS
import IAMCollect
import IAMEvaluation
import IAMOrganization
import IAMPolicy
import IAMTestSupport
import Testing

/// `collect` against a fake AWS serving Northwind: the directory it writes loads, and sessions on it answer as the
/// organization's policies say.
@Suite struct CollectTests {
  /// A fresh folder for one test's output, removed with its parent by the system's temporary-file cleaning.
  static func scratch() -> String {
    let folder = Scratch.root.appendingPathComponent("iamsim-collect-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder.appendingPathComponent("org").path
  }

  static func collect(_ fake: FakeAWS = FakeAWS(), memberRole: String? = "iamsim-collect", into directory: String = scratch())
    async throws(CollectError) -> CollectResult
  {
    let collector = Collector(access: fake.access, options: CollectOptions(region: "eu-west-1", memberRole: memberRole, concurrency: 4))
    return try await collector.collect(into: directory)
  }

  static func decision(_ organization: Organization, _ caller: Caller, _ action: String, resource: String = "*",
                       context: [String: String] = [:]) throws -> Decision {
    let session = try organization.session(for: caller)
    var request = AuthorizationRequest(principal: session.principal, action: action, resource: resource, context: session.context)
    for (key, value) in context { request.context.set(key, value) }
    return try Authorizer(organization.policySet(for: session, resource: resource)).authorize(request).decision
  }

  static let eu = ["aws:RequestedRegion": "eu-west-1"]

  @Test func theDirectoryLoadsAndSessionsAnswerAsThePoliciesSay() async throws {
    let result = try await Self.collect()
    let organization = try OrganizationDirectory.load(result.directory)
    #expect(organization.id == "o-nw7k2q9x4d" && organization.managementAccount == Northwind.management)
    #expect(Set(organization.accounts.map(\.id)) == [Northwind.management, Northwind.prod, Northwind.sandbox, Northwind.payments, Northwind.retired])
    #expect(organization.identityCenter.region == "eu-west-1" && organization.identityCenter.instanceArn == Northwind.instanceArn)

    let bobDeveloper = Caller.identityCenter(user: "bob@northwind.example", permissionSet: "Developer", account: Northwind.sandbox)
    // DevExtras, the sandbox account's customer managed policy, read through the member role.
    #expect(try Self.decision(organization, bobDeveloper, "ssm:StartSession", context: Self.eu) == .allowed)
    // The inline policy denies IAM.
    #expect(try Self.decision(organization, bobDeveloper, "iam:CreateUser") == .explicitDeny)
    // The role suffix comes from the account's AWSReservedSSO_ role; ABAC tags from the enterprise extension.
    let session = try organization.session(for: bobDeveloper)
    #expect(session.principal.roleARN?.hasSuffix("/AWSReservedSSO_Developer_3c4d5e6f708192a3") == true)
    #expect(session.principal.tags.contains { $0.key == "Department" && $0.value == "Engineering" })

    // Production's SCP keeps it in the EU.
    let bobInProd = Caller.identityCenter(user: "bob@northwind.example", permissionSet: "Developer", account: Northwind.prod)
    #expect(try Self.decision(organization, bobInProd, "ec2:RunInstances", context: Self.eu) == .allowed)
    #expect(try Self.decision(organization, bobInProd, "ec2:RunInstances", context: ["aws:RequestedRegion": "us-east-1"]) == .explicitDeny)

    let alice = Caller.identityCenter(user: "alice@northwind.example", permissionSet: "Administrator", account: Northwind.prod)
    #expect(try Self.decision(organization, alice, "iam:CreateUser") == .allowed)
    #expect(throws: SessionUnavailable.self) {
      try organization.session(for: .identityCenter(user: "alice@northwind.example", permissionSet: "Administrator", account: Northwind.sandbox))
    }

    let carol = Caller.identityCenter(user: "carol@northwind.example", permissionSet: "ReadOnly", account: Northwind.payments)
    let object = "arn:aws:s3:::payments-ledger/2026/01.csv"
    #expect(try Self.decision(organization, carol, "s3:GetObject", resource: object, context: Self.eu) == .allowed)
    #expect(try Self.decision(organization, carol, "s3:PutObject", resource: object, context: Self.eu) == .implicitDeny)
    // The root's RCP refuses S3 without TLS.
    #expect(try Self.decision(organization, carol, "s3:GetObject", resource: object,
                              context: ["aws:RequestedRegion": "eu-west-1", "aws:SecureTransport": "false"]) == .explicitDeny)

    // Account access manager's grant: alice may use BreakGlass in prod, whose trust policy allows it.
    let breakGlass = try organization.session(for: .accountAccess(user: "alice@northwind.example", account: Northwind.prod, role: "BreakGlass"))
    #expect(breakGlass.principal.arn == "arn:aws:sts::111100000001:assumed-role/BreakGlass/alice@northwind.example")

    // The suspended account is not collected, and says so.
    #expect(organization.account(Northwind.retired)?.iam == nil)
    #expect(result.manifest.notCollected.map(\.account) == [Northwind.retired])
    #expect(result.manifest.notCollected.first?.reason.contains("suspended") == true)
  }

  @Test func theManifestListsEveryCallAndWhoMadeThem() async throws {
    let fake = FakeAWS()
    let result = try await Self.collect(fake)
    let manifest = result.manifest
    // The manifest's counts are the calls the fake answered, operation by operation.
    var made: [String: Int] = [:]
    for call in fake.calls { made[call.operation, default: 0] += 1 }
    #expect(Dictionary(uniqueKeysWithValues: manifest.calls.map { ($0.action.split(separator: ":")[1].description, $0.calls) }) == made)
    #expect(manifest.totalCalls == fake.calls.count)
    let byAction = Dictionary(uniqueKeysWithValues: manifest.calls.map { ($0.action, $0.calls) })
    // Assignments only where a permission set is provisioned: 4 pairs, not 3 sets × 5 accounts.
    #expect(byAction["sso:ListAccountAssignments"] == 4)
    // Five accounts, two a page: three pages of ListAccounts.
    #expect(byAction["organizations:ListAccounts"] == 3)
    // The member role in the three active member accounts; the caller's own account with its own credentials.
    #expect(byAction["sts:AssumeRole"] == 3)
    #expect(fake.calls.filter { $0.operation == "GetAccountAuthorizationDetails" }.map(\.account).sorted()
      == [Northwind.prod, Northwind.prod, Northwind.sandbox, Northwind.payments, Northwind.management].sorted())
    #expect(fake.calls.allSatisfy { $0.operation == "AssumeRole" || $0.region == "eu-west-1" })
    #expect(manifest.callerArn == Northwind.callerArn && manifest.callerAccount == Northwind.management)
    #expect(manifest.region == "eu-west-1" && manifest.memberRole == "iamsim-collect")
    #expect(manifest.iamCollected == [Northwind.prod, Northwind.sandbox, Northwind.payments, Northwind.management].sorted())

    // The file in the directory says the same.
    let file = try JSONReader().read(Array(try Data(contentsOf: URL(fileURLWithPath: result.directory + "/collect-manifest.json"))))
    #expect(file["caller"]?["arn"]?.stringValue == Northwind.callerArn)
    #expect(file["calls"]?["total"]?.output == .int(fake.calls.count))
    #expect(file["accounts"]?["iamNotCollected"]?.elements?.first?["account"]?.stringValue == Northwind.retired)
    // The AWS outputs are kept as the recipe names them, for `iamsim import` to add to later.
    #expect(FileManager.default.fileExists(atPath: result.directory + "/exports/list-account-assignments.111100000002.ps-aaaa000000000002.json"))
  }

  @Test func withoutAMemberRoleMemberAccountsAreNotCollectedAndAnswersFailClosed() async throws {
    let fake = FakeAWS()
    let result = try await Self.collect(fake, memberRole: nil)
    #expect(!fake.calls.contains { $0.operation == "AssumeRole" })
    let organization = try OrganizationDirectory.load(result.directory)
    for account in [Northwind.prod, Northwind.sandbox, Northwind.payments, Northwind.retired] {
      #expect(organization.account(account)?.iam == nil, "account \(account)")
    }
    #expect(organization.account(Northwind.management)?.iam != nil)
    let reasons = Dictionary(uniqueKeysWithValues: result.manifest.notCollected.map { ($0.account, $0.reason) })
    #expect(reasons[Northwind.sandbox] == "no --member-role was given to read member accounts")
    #expect(result.manifest.json.rendered().contains("\"failClosed\":\"in accounts marked not collected"))
    #expect(result.manifest.missing.contains { $0.command.contains("get-account-authorization-details.111100000002.json") })
    // The output groups the accounts by reason, and does not list their IAM again as missing.
    let report = result.report
    #expect(report.contains("\n  3 accounts 111100000001, 111100000002, 111100000003: no --member-role was given to read member accounts\n"))
    #expect(report.contains("\n  account 111100000004: the account is suspended: collect reads only active accounts\n"))
    #expect(report.contains("not collected (`\"iam\": \"not-collected\"`): in accounts marked not collected"))
    #expect(!report.contains("still missing"))
    // Developer needs the sandbox's DevExtras: the session is refused, saying why, rather than guessed.
    do {
      _ = try organization.session(for: .identityCenter(user: "bob@northwind.example", permissionSet: "Developer", account: Northwind.sandbox))
      Issue.record("a session that needs uncollected IAM was evaluated")
    } catch {
      #expect(error.code == .iamNotCollected)
      #expect(error.message.contains("111100000002"))
    }
    // AWS managed policies alone do not need the account's IAM.
    let alice = Caller.identityCenter(user: "alice@northwind.example", permissionSet: "Administrator", account: Northwind.prod)
    #expect(try Self.decision(organization, alice, "iam:CreateUser") == .allowed)
  }

  @Test func anAWSErrorNamesTheOperationAndNothingIsWritten() async throws {
    let fake = FakeAWS()
    fake.fail("ListPermissionSets", with: AWSError(code: "AccessDeniedException", message: "User is not authorized to perform sso:ListPermissionSets",
                                                   status: 400, operation: "ListPermissionSets"))
    let directory = Self.scratch()
    do {
      _ = try await Self.collect(fake, into: directory)
      Issue.record("collect succeeded although AWS refused a call")
    } catch {
      #expect(error.message.contains("ListPermissionSets"))
      #expect(error.message.contains("AccessDeniedException"))
      #expect(error.message.contains("sso:ListPermissionSets"))
      #expect(error.aws?.code == "AccessDeniedException")
    }
    #expect(!FileManager.default.fileExists(atPath: directory))
    let parent = URL(fileURLWithPath: directory).deletingLastPathComponent().path
    #expect(try FileManager.default.contentsOfDirectory(atPath: parent).isEmpty)
  }

  @Test func expiredCredentialsGiveTheClientsMessage() async throws {
    let fake = FakeAWS()
    let message = "the SSO session of profile `northwind` has expired: run `aws sso login --profile northwind`"
    fake.fail("GetCallerIdentity", with: AWSError(code: "Credentials", message: message, operation: "GetCallerIdentity"))
    await #expect(throws: CollectError.self) { try await Self.collect(fake) }
    do {
      _ = try await Self.collect(fake)
    } catch {
      #expect(error.message == message)
    }
  }

  @Test func aRoleThatCannotBeAssumedLeavesOnlyItsAccountNotCollected() async throws {
    let fake = FakeAWS()
    fake.shared.lock.withLock { _ = fake.shared.deniedRoles.insert(Northwind.payments) }
    let result = try await Self.collect(fake)
    let reasons = Dictionary(uniqueKeysWithValues: result.manifest.notCollected.map { ($0.account, $0.reason) })
    #expect(reasons[Northwind.payments]
      == "the member role could not be assumed: AccessDenied: User: \(Northwind.callerArn) is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::111100000003:role/iamsim-collect")
    let organization = try OrganizationDirectory.load(result.directory)
    #expect(organization.account(Northwind.payments)?.iam == nil && organization.account(Northwind.sandbox)?.iam != nil)
  }

  @Test func aSecondRunReplacesTheDirectoryRatherThanAddingToIt() async throws {
    let directory = Self.scratch()
    _ = try await Self.collect(into: directory)
    // A stale export that the next snapshot does not have: `iamsim import` would keep it, collect must not.
    let stale = directory + "/exports/list-account-assignments.111100000003.ps-aaaa000000000001.json"
    try Data(#"{"AccountAssignments": []}"#.utf8).write(to: URL(fileURLWithPath: stale))
    _ = try await Self.collect(into: directory)
    #expect(!FileManager.default.fileExists(atPath: stale))
    #expect(FileManager.default.fileExists(atPath: directory + "/organization.json"))
    let parent = URL(fileURLWithPath: directory).deletingLastPathComponent().path
    #expect(try FileManager.default.contentsOfDirectory(atPath: parent) == ["org"])
  }

  @Test func aFolderThatIsNotAnOrganizationIsNotReplaced() async throws {
    let directory = Self.scratch()
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    try Data("keep me".utf8).write(to: URL(fileURLWithPath: directory + "/notes.txt"))
    let fake = FakeAWS()
    await #expect(throws: CollectError.self) { try await Self.collect(fake, into: directory) }
    #expect(fake.calls.isEmpty)
    #expect(FileManager.default.fileExists(atPath: directory + "/notes.txt"))
  }

  @Test func noSecretReachesTheDirectory() async throws {
    let result = try await Self.collect()
    for file in FileManager.default.enumerator(atPath: result.directory)?.allObjects as? [String] ?? [] {
      let data = (try? Data(contentsOf: URL(fileURLWithPath: result.directory + "/" + file))) ?? Data()
      #expect(!String(decoding: data, as: UTF8.self).contains(FakeAWS.secret), "\(file)")
    }
  }
}
