import Foundation
import IAMCollect
import IAMPolicy
import Testing

/// The shipped least-privilege policies allow exactly the actions `collect` calls.
@Suite struct CollectorPolicyTests {
  static let policies = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../policies").standardized

  static func actions(_ file: String) throws -> [String] {
    let json = try JSONReader().read(Array(try Data(contentsOf: policies.appendingPathComponent(file))))
    return (json["Statement"]?.elements ?? []).flatMap { statement -> [String] in
      #expect(statement["Effect"]?.stringValue == "Allow")
      let action = statement["Action"]
      return action?.stringValue.map { [$0] } ?? (action?.elements ?? []).compactMap(\.stringValue)
    }
  }

  @Test func theCollectorPolicyAllowsEveryReadCollectMakesAndNothingElse() throws {
    #expect(try Self.actions("collector-policy.json") == Collector.actions.filter { $0 != "sts:AssumeRole" })
  }

  @Test func theMemberRolePolicyAllowsOnlyAssumingIt() throws {
    #expect(try Self.actions("collector-assume-member-role.json") == ["sts:AssumeRole"])
  }
}
