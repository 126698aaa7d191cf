import Foundation
import IAMAudit
import IAMOrganization
import IAMTestSupport
import Testing

@testable import IAMSimCLI

/// `iamsim diff` of two organizations says who gains and loses what, in people; its answers must be those of
/// auditing each user's sessions one at a time, before and after.
@Suite struct PeopleDiffTests {
  /// The example organization, and a copy where bob@example.com has joined AWS-DBA (which holds
  /// DatabaseAdministrator in 111122223333).
  static func versions() throws -> (before: String, after: String) {
    let base = Scratch.root.appendingPathComponent("iamsim-people-\(UUID().uuidString)").path
    let (before, after) = (base + "/before", base + "/after")
    try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
    try FileManager.default.copyItem(atPath: repositoryRoot + "/cases/example-org", toPath: before)
    try FileManager.default.copyItem(atPath: before, toPath: after)
    let groups = after + "/identity-store/2-groups.json"
    let text = try String(contentsOfFile: groups, encoding: .utf8)
    let bob = #"{ "value": "9067a1b2c3-22222222-2222-2222-2222-222222222222" },"#
    let joined = text.replacingOccurrences(
      of: #""members": ["#, with: #""members": ["# + bob, options: [], range: text.range(of: #""members": ["#))
    #expect(joined != text)
    try joined.write(toFile: groups, atomically: true, encoding: .utf8)
    return (before, after)
  }

  /// What a user's sessions in an account are granted, audited one at a time.
  static func granted(_ organization: Organization, user: String, account: String, auditor: Auditor) throws -> Set<String> {
    var actions: Set<String> = []
    for grant in organization.grants(for: user) where grant.assignment.account == account {
      let session = try organization.session(
        for: .identityCenter(user: user, permissionSet: grant.assignment.permissionSet, account: account))
      let subject = AuditSubject(name: "one", principal: session.principal,
                                 policies: organization.policySet(for: session, resource: "*", resourceAccount: account))
      actions.formUnion(try auditor.audit(subject, rules: []).granted.map(\.action))
    }
    return actions
  }

  @Test func aNewMembershipIsWhatTheUserGainsAndNothingElse() throws {
    let (beforePath, afterPath) = try Self.versions()
    let before = try OrganizationDirectory.load(beforePath)
    let after = try OrganizationDirectory.load(afterPath)
    let auditor = Auditor(catalog: try CatalogCommand.loadBundled())
    let diff = PeopleDiff(before: before, after: after, auditor: auditor)
    #expect(diff.unavailable.isEmpty)
    #expect(Set(diff.changes.map(\.user)) == ["bob@example.com"])
    let change = try #require(diff.changes.first)
    #expect(change.account == "111122223333")
    #expect(change.permissionSet == "DatabaseAdministrator")
    #expect(change.group == "AWS-DBA")
    #expect(change.lost.isEmpty)
    #expect(change.gained.contains("rds:CreateDBInstance"))
    // One session at a time: bob had nothing in 111122223333 before, so he gains exactly what he is granted there now.
    let was = try Self.granted(before, user: "bob@example.com", account: "111122223333", auditor: auditor)
    let now = try Self.granted(after, user: "bob@example.com", account: "111122223333", auditor: auditor)
    #expect(Set(change.gained) == now.subtracting(was))
    // The other way round, the same actions are lost.
    let reverse = PeopleDiff(before: after, after: before, auditor: auditor)
    #expect(reverse.changes.count == 1)
    #expect(reverse.changes.first?.gained == [])
    #expect(reverse.changes.first?.lost == change.gained)
    // A version compared with itself changes nothing.
    #expect(PeopleDiff(before: after, after: after, auditor: auditor).changes.isEmpty)
  }

  @Test func theCommandNamesWhoGainsWhatInTextAndJSON() throws {
    let (before, after) = try Self.versions()
    let text = iamsim("diff", before, after)
    #expect(text.status == .success)
    #expect(text.out.contains("== people: 1 user gains access, 0 users lose access, in 1 account"))
    #expect(text.out.contains("bob@example.com in 111122223333 through DatabaseAdministrator (group AWS-DBA)"))
    let json = iamsim("diff", before, after, "--format", "json")
    let object = try #require(try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [String: Any])
    let changes = try #require(object["changes"] as? [[String: Any]])
    // One user entry, then the group it comes through, with its member.
    #expect(changes.count == 2)
    #expect((changes.first?["principal"] as? [String: String]) == ["type": "user", "name": "bob@example.com"])
    #expect((changes.last?["principal"] as? [String: String]) == ["type": "group", "name": "AWS-DBA"])
    #expect(changes.last?["members"] as? [String] == ["bob@example.com"])
    #expect(changes.first?["via"] as? String == "DatabaseAdministrator")
    #expect((changes.first?["gained"] as? [String])?.contains("rds:CreateDBInstance") == true)
  }
}
