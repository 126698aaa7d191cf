import Foundation
import IAMIdentityCenter
import IAMOrganization
import IAMPolicy
import Testing

@testable import IAMAudit

/// The access review model: who reaches what through which group, one audit per distinct policy set, its JSON read
/// back, and two reviews compared in people.
@Suite struct ReviewTests {
  static let example = repositoryRoot + "/cases/example-org"

  static func rows(_ review: AccessReview, _ user: String) -> [String] {
    guard let person = review.people.firstIndex(where: { $0.userName == user }) else { return [] }
    return review.accesses(of: person).map { row in
      let route = review.routes[row.route]
      return "\(route.account) \(route.target.description) \(row.group ?? "direct")"
    }
  }

  @Test func perPersonAndPerAccountOnTheExampleOrganization() throws {
    let organization = try OrganizationDirectory.load(Self.example)
    let review = AccessReview(organization, auditor: sharedAuditor)
    #expect(review.people.map(\.userName) == ["alice@example.com", "bob@example.com", "carol@example.com"])
    #expect(Self.rows(review, "alice@example.com") == ["111122223333 DatabaseAdministrator AWS-DBA"])
    #expect(Self.rows(review, "bob@example.com") == ["444455556666 DepartmentEngineer AWS-Engineering"])
    #expect(Self.rows(review, "carol@example.com") == [
      "444455556666 DatabaseAdministrator direct", "444455556666 DepartmentEngineer AWS-Engineering",
    ])
    #expect(review.accounts.map { "\($0.id) \($0.people)" } == ["999988887777 0", "111122223333 1", "444455556666 2"])
    // Each distinct policy set audited once: DatabaseAdministrator grants the same in both accounts (the EU-only
    // SCP of 444455556666 is a Deny with a condition, which an audit sets aside), so three rows share two sets.
    #expect(review.grantSets.count == 2)
    let carol = try #require(review.people.firstIndex { $0.userName == "carol@example.com" })
    let alice = try #require(review.people.firstIndex { $0.userName == "alice@example.com" })
    let dba = try #require(review.accesses(of: carol).first { review.routes[$0.route].target == .permissionSet("DatabaseAdministrator") }?.set)
    #expect(review.accesses(of: alice).first?.set == dba)
    // The grant set's numbers are the audit's.
    let session = try organization.session(for: .identityCenter(user: "alice@example.com", permissionSet: "DatabaseAdministrator", account: "111122223333"))
    let report = try sharedAuditor.audit(AuditSubject(
      name: "x", principal: session.principal, policies: organization.policySet(for: session, resource: "*", resourceAccount: "111122223333")))
    #expect(review.grantSets[dba].actions.count == report.granted.count)
    #expect(review.grantSets[dba].conditional == report.granted.filter(\.conditional).count)
    #expect(Set(review.grantSets[dba].findings.map(\.code)) == Set(report.findings.map(\.code)))
    #expect(review.grantSets[dba].levels[.write] == report.granted.filter { $0.accessLevel == .write }.count)
    let summary = review.summary(of: carol)
    #expect(summary.accesses == 2 && summary.accounts == 1 && summary.worstSeverity == .securityWarning)
  }

  @Test func theJSONReadsBackToTheSameRows() throws {
    let review = AccessReview(try OrganizationDirectory.load(Self.example), auditor: sharedAuditor)
    let text = review.json().rendered(pretty: true)
    let read = try AccessReview.read(InputFile.parseJSON(Array(text.utf8), file: "q3.json"), file: "q3.json")
    for user in ["alice@example.com", "bob@example.com", "carol@example.com"] {
      #expect(Self.rows(read, user) == Self.rows(review, user))
    }
    #expect(read.grantSets.map { Set($0.actions) } == review.grantSets.map { Set($0.actions) })
    #expect(read.grantSets.map(\.findings) == review.grantSets.map(\.findings))
    #expect(read.accounts.map(\.people) == review.accounts.map(\.people))
    #expect(AccessReviewComparison(before: read, after: review).changes.isEmpty)
  }

  @Test func aMalformedSnapshotNamesThePathAndPosition() throws {
    let text = #"""
      {"kind": "iamsim-access-review", "version": 1, "grantSets": [], "routes": [
        {"id": 0, "principal": {"type": "team", "name": "x"}, "account": "1", "permissionSet": "P", "people": 0, "grant": null}]}
      """#
    #expect {
      try AccessReview.read(InputFile.parseJSON(Array(text.utf8), file: "old.json"), file: "old.json")
    } throws: { error in
      let description = (error as? InputError)?.description ?? ""
      return description.contains("old.json:2:") && description.contains("$.routes[0].principal.type")
    }
  }

  @Test func comparingNamesWhoGainedAndWhoLost() throws {
    let before = try OrganizationDirectory.load(Self.example)
    var after = before
    // Bob gets DatabaseAdministrator in prod-databases directly; carol's direct assignment goes.
    var assignments = after.assignments.filter { $0.principal != "carol@example.com" }
    var bob = before.assignments[0]
    bob.principalType = .user
    bob.principal = "bob@example.com"
    bob.principalId = nil
    assignments.append(bob)
    after.assignments = assignments
    let comparison = AccessReviewComparison(
      before: AccessReview(before, auditor: sharedAuditor), after: AccessReview(after, auditor: sharedAuditor))
    #expect(comparison.changes.map { "\($0.kind) \($0.users) \($0.accounts) \($0.target.description) \($0.viaBefore) \($0.viaAfter)" } == [
      "gained [\"bob@example.com\"] [\"111122223333\"] DatabaseAdministrator [] [nil]",
      "lost [\"carol@example.com\"] [\"444455556666\"] DatabaseAdministrator [nil] []",
    ])
    #expect(comparison.changes[0].levelsAfter[.permissionsManagement] ?? 0 > 0)
    #expect(comparison.changes[0].findingsGained.contains("privilege-escalation.pass-role"))
  }

  /// A session that cannot be evaluated (a customer managed policy the account does not have: Identity Center
  /// cannot provision the permission set there) is listed as not evaluated, with why, never as no access.
  @Test func aSessionThatCannotBeEvaluatedIsListedWithWhy() throws {
    var organization = try OrganizationDirectory.load(Self.example)
    let position = try #require(organization.permissionSets.firstIndex { $0.name == "DepartmentEngineer" })
    organization.permissionSets[position].customerManagedPolicies.append(CustomerManagedPolicyReference(name: "TeamExtras"))
    let review = AccessReview(organization, auditor: sharedAuditor)
    let route = try #require(review.routes.first { $0.target == .permissionSet("DepartmentEngineer") })
    guard case .unavailable(let code, let message) = route.grant else {
      Issue.record("\(route.grant)")
      return
    }
    #expect(code == "permission-set.unresolved-policy" && message.contains("444455556666"), "\(code) \(message)")
    let bob = try #require(review.people.firstIndex { $0.userName == "bob@example.com" })
    #expect(review.accesses(of: bob).map(\.set) == [nil])
    #expect(review.summary(of: bob).unavailable == 1 && review.summary(of: bob).accesses == 1)
    #expect(review.totals.first { $0.0 == "unavailable" }?.1 == 2)
  }

  @Test func aGroupWithoutMembersReachesNobodyAndIsNotAudited() throws {
    var organization = try OrganizationDirectory.load(Self.example)
    var empty = organization.assignments[0]
    empty.principal = "AWS-Nobody"
    empty.principalId = nil
    organization.assignments.append(empty)
    let review = AccessReview(organization, auditor: sharedAuditor)
    let route = try #require(review.routes.last)
    #expect(route.principal == "AWS-Nobody" && route.people == 0 && route.grant == .nobody)
    #expect(review.grantSets.count == 2)
  }
}
