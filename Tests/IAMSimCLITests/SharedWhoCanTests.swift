import Foundation
import IAMEvaluation
import IAMOrganization
import IAMTestSupport
import Testing

@testable import IAMSimCLI

/// `Organization.whoCan` shares compiled policies and decisions between callers; its answers must be exactly those
/// of one session at a time (`session(for:)`, `policySet(for:)`, `authorize`), on generated organizations with
/// ABAC-dependent permission sets, customer managed policies, boundaries, SCP and RCP paths and the management
/// account, and on the example organizations.
@Suite struct SharedWhoCanTests {
  static let generated: String = {
    let path = Scratch.root.appendingPathComponent("iamsim-generated-\(UUID().uuidString)").path
    _ = try? OrganizationGenerator.write(users: 300, permissionSets: 12, accounts: 10, to: path)
    return path
  }()

  static let questions: [AccessQuery] = {
    var region = RequestContext()
    region.set("aws:RequestedRegion", "eu-west-1")
    var plain = region
    plain.set("aws:SecureTransport", "false")
    return [
      AccessQuery(action: "iam:TagRole", resource: "arn:aws:iam::100000000003:role/team-Storage-ops", context: region),
      AccessQuery(action: "s3:DeleteBucket", resource: "arn:aws:s3:::b", context: region),
      AccessQuery(action: "s3:GetObject", resource: "arn:aws:s3:::b/k", resourceAccount: "100000000001", context: plain),
      AccessQuery(action: "rds:CreateDBInstance", context: region),
      AccessQuery(action: "logs:GetLogEvents", context: region),
      AccessQuery(action: "ec2:TerminateInstances", context: region),
      AccessQuery(action: "iam:CreateUser", context: region),
    ]
  }()

  /// The one-session-at-a-time answers, in `callers` order.
  static func oneAtATime(_ organization: Organization, _ query: AccessQuery) throws -> [String] {
    var rows: [String] = []
    var compiled: [PolicySet: Authorizer] = [:]  // only to keep the reference path quick; each caller is still decided alone
    for caller in organization.callers {
      guard let session = try? organization.session(for: caller) else { continue }
      let policies = organization.policySet(for: session, resource: query.resource, resourceAccount: query.resourceAccount,
                                            resourcePolicy: query.resourcePolicy)
      if compiled[policies] == nil { compiled[policies] = try Authorizer(policies) }
      let request = query.request(session)
      var response = compiled[policies]!.authorize(request)
      if query.conditional && response.decision != .allowed {
        response.changesIf = compiled[policies]!.decisionCondition(for: request, response: response)
      }
      if response.allowedOrConditionally { rows.append(row(caller, session.group, session.principal.arn, response)) }
    }
    return rows
  }

  static func row(_ caller: Caller, _ group: String?, _ principal: String, _ response: Response) -> String {
    "\(caller) | \(group ?? "-") | \(principal) | \(response.rule) | \(response.determiningStatements.map(\.description))"
      + " | \(response.changesIf?.sentence ?? "-")"
  }

  @Test(arguments: [generated, repositoryRoot + "/cases/example-org", repositoryRoot + "/Tests/IAMOrganizationTests/Fixtures/broken/_valid-base"])
  func sharedAnswersAreOneAtATimeAnswers(_ directory: String) throws {
    let organization = try OrganizationDirectory.load(directory)
    var allowedSomewhere = 0
    for query in Self.questions {
      let shared = organization.whoCan(query).allowed.map { Self.row($0.caller, $0.group, $0.principal, $0.response) }
      let expected = try Self.oneAtATime(organization, query)
      #expect(shared == expected, "\(directory): \(query.action)")
      allowedSomewhere += shared.count
    }
    #expect(allowedSomewhere > 0)
  }

  /// The conditional answers ("allowed if …") are one-at-a-time answers too: the same questions without a Region.
  @Test(arguments: [generated, repositoryRoot + "/cases/example-org"])
  func sharedConditionalAnswersAreOneAtATimeAnswers(_ directory: String) throws {
    let organization = try OrganizationDirectory.load(directory)
    var conditional = 0
    for var query in Self.questions {
      query.context.remove("aws:RequestedRegion")
      query.conditional = true
      let shared = organization.whoCan(query).allowed.map { Self.row($0.caller, $0.group, $0.principal, $0.response) }
      #expect(shared == (try Self.oneAtATime(organization, query)), "\(directory): \(query.action)")
      conditional += shared.filter { $0.contains("allowed if aws:RequestedRegion") }.count
    }
    #expect(conditional > 0)
  }

  /// The generated organization exercises what the sharing must respect: tags, customer managed policies, several
  /// SCP paths, and some sessions allowed and some denied for the same permission set.
  @Test func theGeneratedOrganizationHasWhatTheComparisonNeeds() throws {
    let organization = try OrganizationDirectory.load(Self.generated)
    #expect(organization.accounts.count == 11)
    #expect(organization.accessControl != nil)
    // Only the Storage department's members get the Allow of the policy variable: the answers differ between
    // callers of the same permission set in the same account.
    let deletes = organization.whoCan(Self.questions[0]).allowed.filter {
      if case .identityCenter(_, "PS-4", _) = $0.caller { return true } else { return false }
    }
    let storage = Set(organization.identityStore.users.filter { Int($0.userName.dropFirst(4).prefix { $0.isNumber })! % 4 == 1 }.map(\.userName))
    let callers = organization.callers.filter {
      if case .identityCenter(_, "PS-4", "100000000003") = $0 { return true } else { return false }
    }
    #expect(!deletes.isEmpty && deletes.allSatisfy { storage.contains($0.caller.user ?? "") })
    #expect(callers.count > deletes.count)
  }
}

/// `audit --org` audits the accounts whose sessions have the same policies once, and lists them (`accounts`); what it
/// reports for them is what auditing each account alone reports.
@Suite struct SharedAuditTests {
  /// Three accounts per OU, so that accounts share their SCP path.
  static let generated: String = {
    let path = Scratch.root.appendingPathComponent("iamsim-generated-\(UUID().uuidString)").path
    _ = try? OrganizationGenerator.write(users: 300, permissionSets: 12, accounts: 30, to: path)
    return path
  }()

  @Test func accountsWithTheSamePoliciesAreAuditedOnce() throws {
    let audit = iamsim("audit", "--org", Self.generated, "--format", "json")
    let json = try JSONSerialization.jsonObject(with: Data(audit.out.utf8)) as? [String: Any]
    let subjects = (json?["subjects"] as? [[String: Any]]) ?? []
    let organization = try OrganizationDirectory.load(Self.generated)
    let pairs = Set(organization.assignments.map { "\($0.permissionSet)@\($0.account)" })
    let listed = subjects.flatMap { subject in ((subject["accounts"] as? [String]) ?? []).map { "\(subject["permissionSet"] as? String ?? "")@\($0)" } }
    #expect(Set(listed) == pairs && listed.count == pairs.count)
    let merged = try #require(subjects.first { (($0["accounts"] as? [String]) ?? []).count > 1 })
    let other = ((merged["accounts"] as? [String]) ?? [])[1]
    let alone = iamsim("audit", "--org", Self.generated, "--permission-set", merged["permissionSet"] as? String ?? "",
                       "--account", other, "--format", "json")
    let aloneJSON = try JSONSerialization.jsonObject(with: Data(alone.out.utf8)) as? [String: Any]
    let aloneSubject = try #require((aloneJSON?["subjects"] as? [[String: Any]])?.first)
    for key in ["grantedCount", "conditionalCount", "cutCount", "findingCount"] {
      #expect(aloneSubject[key] as? Int == merged[key] as? Int, "\(key)")
    }
  }
}
