import Foundation
import IAMSimCLI
import IAMTestSupport
import Testing

/// AWS CLI exports of a made-up organization, written from AWS's documented output shapes by someone who did not
/// read iamsim, with the answers AWS would give (`Fixtures/exports/acme/expected.json`, each with its reason and
/// source): imported, then asked through `eval`, `who-can` and account access manager grants.
@Suite struct ExportedOrganizationTests {
  static let exports = repositoryRoot + "/Tests/IAMOrganizationTests/Fixtures/exports/acme"

  /// The imported organization, built once.
  static let organization: String = {
    let root = Scratch.root.appendingPathComponent("iamsim-acme-\(UUID().uuidString)").path
    let input = root + "/exports"
    try? FileManager.default.createDirectory(atPath: input, withIntermediateDirectories: true)
    for name in (try? FileManager.default.contentsOfDirectory(atPath: exports)) ?? [] where name.hasSuffix(".json") && name != "expected.json" {
      try? FileManager.default.copyItem(atPath: exports + "/" + name, toPath: input + "/" + name)
    }
    let result = iamsim("import", input, "--out", root + "/org")
    if result.status != .success { print(result.err) }
    return root + "/org"
  }()

  static var expectations: [[String: Any]] {
    guard let data = FileManager.default.contents(atPath: exports + "/expected.json"),
      let items = try? JSONSerialization.jsonObject(with: data) as? [[String: Any]]
    else { return [] }
    return items
  }

  @Test func theExportsImportIntoAnOrganizationThatLoads() {
    let result = iamsim("org", "check", Self.organization)
    #expect(result.status == .success, "\(result.out)\(result.err)")
  }

  static func contextFlags(_ item: [String: Any]) -> [String] {
    ((item["context"] as? [String: String]) ?? [:]).sorted { $0.key < $1.key }.flatMap { ["--context", "\($0.key)=\($0.value)"] }
  }

  @Test func everyEvaluationGivesTheAnswerTheExportsImply() throws {
    for item in Self.expectations where ["eval", "eval-role"].contains(item["kind"] as? String) {
      var arguments = ["eval", "--org", Self.organization, "--account", item["account"] as? String ?? "", "--format", "json",
                       "--action", item["action"] as? String ?? "", "--resource", item["resource"] as? String ?? "*"]
      if let user = item["user"] as? String { arguments += ["--user", user] }
      if let permissionSet = item["permissionSet"] as? String { arguments += ["--permission-set", permissionSet] }
      if let role = item["role"] as? String { arguments += ["--role", role] }
      if let account = item["resourceAccount"] as? String { arguments += ["--resource-account", account] }
      arguments += Self.contextFlags(item)
      let result = iamsim(all: arguments)
      let expected = item["expected"] as? String ?? ""
      if expected.hasPrefix("error") {
        #expect(result.status == .invalidInput, "\(arguments): \(result.out)")
        continue
      }
      let json = try JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [String: Any]
      let decision = ((json?["results"] as? [[String: Any]])?.first?["decision"]) as? String
      #expect(decision == expected, "\(arguments.dropFirst(3).joined(separator: " ")): \(result.err)")
    }
  }

  @Test func whoCanListsThePeopleTheExportsImply() throws {
    for item in Self.expectations where item["kind"] as? String == "who-can" {
      var arguments = ["who-can", item["action"] as? String ?? "", "--org", Self.organization, "--format", "json",
                       "--resource", item["resource"] as? String ?? "*"]
      if let account = item["resourceAccount"] as? String { arguments += ["--resource-account", account] }
      arguments += Self.contextFlags(item)
      let result = iamsim(all: arguments)
      let json = try JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [String: Any]
      let people = ((json?["allowed"] as? [[String: Any]]) ?? []).filter { $0["user"] is String }.map {
        "\($0["user"] as? String ?? "") \($0["permissionSet"] as? String ?? $0["role"] as? String ?? "") \($0["account"] as? String ?? "")"
      }
      let expected = ((item["expected"] as? [[String: Any]]) ?? []).map {
        "\($0["user"] as? String ?? "") \($0["permissionSet"] as? String ?? $0["role"] as? String ?? "") \($0["account"] as? String ?? "")"
      }
      #expect(Set(people) == Set(expected), "\(arguments.joined(separator: " ")): \(result.err)")
    }
  }

  /// bob reaches Developer through AWS-Developers in dev and sandbox, directly in the management account, and
  /// BreakGlassOps in prod through account access manager; his LegacyAdmin grant is unusable and says why.
  @Test func accessListsWhatTheExportsGiveBob() {
    let result = iamsim("access", "--org", Self.organization, "--user", "bob@acme.example")
    #expect(result.status == .success)
    #expect(result.out.contains("111100000002 Developer (through group AWS-Developers)"))
    #expect(result.out.contains("999900000001 Developer (directly)"))
    #expect(result.out.contains("111100000001 role BreakGlassOps (account access manager, directly)"))
    #expect(result.out.contains("LegacyAdmin") && result.out.contains("sts:SetContext"))
  }

  /// Every permission set is audited in every account it is assigned in, as the session of a user who has it.
  @Test func auditCoversEveryAssignedPermissionSetAndAccount() throws {
    let result = iamsim("audit", "--org", Self.organization, "--format", "json")
    let json = try JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [String: Any]
    let subjects = ((json?["subjects"] as? [[String: Any]]) ?? []).compactMap { $0["name"] as? String }
    #expect(subjects == [
      "DatabaseAdministrator@111100000001", "Developer@111100000002", "Developer@111100000003", "Developer@999900000001",
      "ReadOnly@111100000001",
    ])
    let readOnly = ((json?["subjects"] as? [[String: Any]]) ?? []).first { $0["name"] as? String == "ReadOnly@111100000001" }
    #expect(readOnly?["permissionsBoundary"] as? String != nil)
  }

  @Test func accountAccessGrantsAreUsableExactlyWhenTheRoleTrustsTheService() {
    for item in Self.expectations where item["kind"] as? String == "account-access" {
      let result = iamsim("eval", "--org", Self.organization, "--user", item["user"] as? String ?? "", "--account",
                          item["account"] as? String ?? "", "--role", item["role"] as? String ?? "", "--action", "sts:GetCallerIdentity")
      let usable = item["expectedUsable"] as? Bool ?? false
      #expect((result.status == .success) == usable, "\(item["role"] ?? ""): \(result.out)\(result.err)")
    }
  }
}
