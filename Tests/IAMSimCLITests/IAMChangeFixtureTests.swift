import Foundation
import Testing

@testable import IAMSimCLI

/// `iamsim diff` over Terraform plans and CloudFormation templates that change member accounts' IAM (roles,
/// customer managed policies, attachments), on scenarios written from AWS's and Terraform's documentation by
/// someone who did not read the engine: `Fixtures/iam-changes/*/expected.json` says, with the sentences it rests
/// on, which roles, users and groups must gain or lose which actions, and the exit status.
@Suite struct IAMChangeFixtureTests {
  static let folder = repositoryRoot + "/Tests/IAMSimCLITests/Fixtures/iam-changes"

  static var scenarios: [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
      .filter { FileManager.default.fileExists(atPath: folder + "/" + $0 + "/expected.json") }.sorted()
  }

  @Test func thereAreScenarios() {
    #expect(Self.scenarios.count >= 12)
  }

  @Test(arguments: scenarios) func scenarioGivesTheDocumentedAnswer(_ name: String) throws {
    let here = Self.folder + "/" + name
    let expected = try #require(
      try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: here + "/expected.json")))
        as? [String: Any])
    // Paths in `arguments` are relative to the scenario's folder.
    let arguments = (expected["arguments"] as? [String] ?? []).map { argument in
      FileManager.default.fileExists(atPath: here + "/" + argument) && !argument.hasPrefix("-")
        ? here + "/" + argument : argument
    }
    var out = ""
    var err = ""
    let status = Tool.run(
      arguments, environment: ["IAMSIM_POLICIES": repositoryRoot + "/policies/aws-managed"], stdout: &out, stderr: &err)
    #expect(status.rawValue == expected["exit"] as? Int32 ?? -1, "\(name): \(err)")
    guard status.rawValue != 2 && status.rawValue != 64 else { return }
    let report = try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
    var found: [String: [String: Any]] = [:]
    for change in report["changes"] as? [[String: Any]] ?? [] {
      let principal = change["principal"] as? [String: String] ?? [:]
      let key = [principal["type"] ?? "", principal["name"] ?? "", change["account"] as? String ?? "",
                 change["via"] as? String ?? ""].joined(separator: " ")
      found[key] = change
    }
    var wanted: Set<String> = []
    for entry in expected["entries"] as? [[String: Any]] ?? [] {
      let key = ["type", "name", "account", "via"].map { entry[$0] as? String ?? "" }.joined(separator: " ")
      wanted.insert(key)
      guard let change = found[key] else {
        Issue.record("\(name): no change entry \(key); entries: \(found.keys.sorted())")
        continue
      }
      let gained = Set(change["gained"] as? [String] ?? [])
      let lost = Set(change["lost"] as? [String] ?? [])
      for action in entry["mustGain"] as? [String] ?? [] { #expect(gained.contains(action), "\(name) \(key) gains \(action)") }
      for action in entry["mustNotGain"] as? [String] ?? [] { #expect(!gained.contains(action), "\(name) \(key) does not gain \(action)") }
      for action in entry["mustLose"] as? [String] ?? [] { #expect(lost.contains(action), "\(name) \(key) loses \(action)") }
      for action in entry["mustNotLose"] as? [String] ?? [] { #expect(!lost.contains(action), "\(name) \(key) does not lose \(action)") }
    }
    if expected["noOtherEntries"] as? Bool == true {
      #expect(Set(found.keys) == wanted, "\(name): entries \(found.keys.sorted()), expected \(wanted.sorted())")
    }
  }
}
