import Foundation
import IAMEvaluation
import Testing

@testable import IAMSimCLI

/// Behaviour of `iamsim bench`: usage, output shape, the decision check. No timing is asserted.
@Suite struct BenchCommandTests {
  /// Runs `iamsim bench` in-process against the repository's policies and benchmark data.
  func bench(_ arguments: String...) -> (status: IAMSimCLI.ExitStatus, out: String, err: String) {
    var out = ""
    var err = ""
    let environment = [
      "IAMSIM_POLICIES": repositoryRoot + "/policies/aws-managed", "IAMSIM_BENCHMARKS": repositoryRoot + "/Benchmarks",
    ]
    let status = Tool.run(["bench"] + arguments, environment: environment, stdout: &out, stderr: &err)
    return (status, out, err)
  }

  @Test func anUnknownScenarioIsBadUsage() {
    let result = bench("--scenario", "database-admin")
    #expect(result.status == .usage)
    #expect(result.err.contains("unknown scenario `database-admin`"))
    #expect(result.err.contains("database-administrator"))
  }

  @Test func badOptionValuesAreBadUsage() {
    #expect(bench("--runs", "0").status == .usage)
    #expect(bench("--runs", "five").status == .usage)
    #expect(bench("--seconds", "-1").status == .usage)
    #expect(bench("--format", "csv").status == .usage)
    #expect(bench("abac").status == .usage)
    #expect(bench("--help").status == .success)
  }

  @Test func helpNamesEveryScenario() {
    let help = bench("--help").out
    for scenario in BenchScenario.allCases { #expect(help.contains(scenario.rawValue), "\(scenario.rawValue)") }
  }

  @Test func jsonHasTheDocumentedShape() throws {
    let result = bench("--scenario", "database-administrator,abac", "--format", "json", "--runs", "1", "--seconds", "0.001")
    #expect(result.status == .success, "\(result.err)")
    let json = try #require(try JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [String: Any])
    #expect(Array(json.keys) == ["scenarios"])
    let scenarios = try #require(json["scenarios"] as? [[String: Any]])
    #expect(scenarios.map { $0["name"] as? String } == ["database-administrator", "abac"])
    for scenario in scenarios {
      #expect(Set(scenario.keys) == ["name", "perSecond", "nsPerOp", "peakMemoryBytes"])
      let perSecond = try #require(scenario["perSecond"] as? Double)
      let nsPerOp = try #require(scenario["nsPerOp"] as? Double)
      #expect(perSecond > 0)
      #expect(nsPerOp > 0)
      #expect(scenario["peakMemoryBytes"] is Int)
    }
  }

  @Test func textNamesTheScenarioTheCheckAndTheTarget() {
    let result = bench("--scenario", "layered", "--runs", "1", "--seconds", "0.001")
    #expect(result.status == .success, "\(result.err)")
    #expect(result.out.contains("layered"))
    #expect(result.out.contains("checked: fast path equals authorize(…).decision for all 1,000"))
    let targeted = bench("--scenario", "database-administrator", "--runs", "1", "--seconds", "0.001")
    #expect(targeted.out.contains("≥ 4,000,000/s"))
  }

  @Test func theCheckFailsLoudlyWhenDecisionsDiffer() throws {
    let request = AuthorizationRequest(action: "s3:GetObject", resource: "arn:aws:s3:::bucket/key")
    #expect(throws: BenchFailure.self) {
      try BenchCheck.decisions([.allowed], equal: [.implicitDeny], [request])
    }
    let summary = try BenchCheck.decisions([.allowed, .implicitDeny], equal: [.allowed, .implicitDeny], [request, request])
    #expect(summary.contains("for all 2 (1 allowed, 1 implicitDeny)"))
  }

  @Test func theActionListHasAThousandCatalogActions() throws {
    var data = try BenchData(environment: ["IAMSIM_BENCHMARKS": repositoryRoot + "/Benchmarks"])
    let actions = try data.catalogActions()
    #expect(actions.count == 1_000)
    #expect(Set(actions.map(\.action)).count == 1_000)
    #expect(actions.allSatisfy { $0.resource == "*" || $0.resource.hasPrefix("arn:aws:") })
  }
}
