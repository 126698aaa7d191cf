import Foundation
import IAMPolicy
import IAMTestSupport
import Testing

@testable import IAMEvaluation

/// Seeded, replayable properties of the evaluator (issue 6). Each runs `count` random cases; a failure
/// prints the seed and the case. Set IAMSIM_PROPERTY_CASES to run more.
@Suite struct PropertyTests {
  static let count = Int(ProcessInfo.processInfo.environment["IAMSIM_PROPERTY_CASES"] ?? "") ?? 100_000
  static let seed: UInt64 = 0x1A35_2026

  /// A random identity policy set: one to three policies, optionally a boundary and SCP levels.
  struct Scenario {
    var identity: [[RandomStatement]]
    var boundary: [RandomStatement]?
    var scps: [[RandomStatement]]

    static func random(using generator: inout SeededGenerator) -> Scenario {
      let policies = (0..<Int.random(in: 1...3, using: &generator)).map { _ in
        (0..<Int.random(in: 1...3, using: &generator)).map { _ in RandomStatement.random(using: &generator) }
      }
      let boundary = Int.random(in: 0..<4, using: &generator) == 0
        ? [RandomStatement.random(using: &generator, allowDeny: false)] : nil
      let scps = Int.random(in: 0..<4, using: &generator) == 0
        ? [[RandomStatement(effect: "Allow", actions: ["*"], notAction: false, resources: ["*"], notResource: false, conditions: [])],
           [RandomStatement.random(using: &generator)]] : []
      return Scenario(identity: policies, boundary: boundary, scps: scps)
    }

    func policySet(_ cache: StatementCache) -> PolicySet {
      PolicySet(
        identityPolicies: identity.enumerated().map { document($1, name: "p\($0)", cache: cache) },
        permissionsBoundary: boundary.map { document($0, kind: .permissionsBoundary, cache: cache) },
        serviceControlPolicies: scps.map { [document($0, kind: .serviceControl, cache: cache)] })
    }
  }

  let cache = StatementCache()

  /// Runs a property over many seeded scenarios, stopping at the first counterexample.
  func check(_ name: String, _ property: (Scenario, AuthorizationRequest, inout SeededGenerator) -> String?) {
    var generator = SeededGenerator(seed: PropertyTests.seed)
    for index in 0..<PropertyTests.count {
      let scenario = Scenario.random(using: &generator)
      let request = randomRequest(using: &generator)
      if let failure = property(scenario, request, &generator) {
        Issue.record("\(name) failed at case \(index) (seed \(PropertyTests.seed)): \(failure)")
        return
      }
    }
  }

  func decide(_ scenario: Scenario, _ request: AuthorizationRequest) -> Decision {
    try! Authorizer(scenario.policySet(cache)).decision(for: PreparedRequest(request))
  }

  /// A fresh request is prepared without the caller's derived keys when the policies read none of them, and a
  /// stream prepares its caller, its actions and its resources once: every way gives the same full response,
  /// explained or not.
  @Test func everyWayOfPreparingARequestGivesTheSameResponse() {
    var generator = SeededGenerator(seed: PropertyTests.seed ^ 0x5EED)
    var lean = 0
    for index in 0..<min(PropertyTests.count, 20_000) {
      let scenario = Scenario.random(using: &generator)
      var request = randomRequest(using: &generator)
      if Bool.random(using: &generator) { request.context = RequestContext() }
      let authorizer = makeAuthorizer(scenario.policySet(cache))
      if !authorizer.readsDerivedKeys { lean += 1 }
      let explain = index % 4 == 0
      let fresh = authorizer.authorize(request, explain: explain)
      let prepared = authorizer.authorize(PreparedRequest(request), explain: explain)
      let streamed = authorizer.authorize(
        PreparedRequest(request, caller: PreparedCaller(request.principal), action: PreparedAction(request.action)),
        explain: explain)
      let streamedWithResource = authorizer.authorize(
        PreparedRequest(
          request, caller: PreparedCaller(request.principal), action: PreparedAction(request.action),
          resource: PreparedResource(request.resource)),
        explain: explain)
      // A worker's own copies of the policies and of a caller whose shared context is the request's.
      var bare = request
      bare.context = RequestContext()
      let unshared = authorizer.unsharedCopy().authorize(
        PreparedRequest(bare, caller: PreparedCaller(request.principal, sharedContext: request.context).unsharedCopy()),
        explain: explain)
      guard fresh == prepared && fresh == streamed && fresh == streamedWithResource && fresh == unshared else {
        Issue.record("case \(index): the responses differ for \(request.action) \(request.resource) \(scenario)")
        return
      }
      #expect(PreparedRequest(request, derivingKeys: false).context == PreparedRequest(request).context)
    }
    #expect(lean > 500, "policy sets that read no derived key are prepared without them (\(lean))")
  }

  /// A copy made for another thread shares no object with the original: not the compiled policies, nor the caller's
  /// principal, context entries or strings (15 bytes or fewer are held inline, in no object).
  @Test func unsharedCopiesShareNoObject() throws {
    var principal = try Principal.parse("arn:aws:sts::111122223333:assumed-role/DatabaseAdministrator/alice@example.com").get()
    principal.tags = [(key: "Department", value: "databases-and-analytics")]
    var context = RequestContext()
    context.set("aws:SourceVpce", "vpce-0123456789abcdef0")
    let caller = PreparedCaller(principal, sharedContext: context)
    let copy = caller.unsharedCopy()
    func buffer(_ text: String) -> UnsafeRawPointer? {
      text.utf8.withContiguousStorageIfAvailable { UnsafeRawPointer($0.baseAddress) } ?? nil
    }
    #expect(copy.principal == principal && !copy.principal.isSameStorage(as: caller.principal))
    #expect(copy.principal.tags.map(\.value) == ["databases-and-analytics"])
    #expect(buffer(copy.principal.arn) != buffer(caller.principal.arn))
    #expect(buffer(copy.principal.tags[0].value) != buffer(caller.principal.tags[0].value))
    #expect(copy.context == caller.context)
    caller.context.forEachEntry { key, entry in
      let copied = copy.context.stored(key)
      #expect(copied != nil && copied !== entry)
      #expect(buffer(copied?.values.first ?? "") != buffer(entry.values.first ?? ""))
    }
    var generator = SeededGenerator(seed: PropertyTests.seed)
    let authorizer = try Authorizer(Scenario.random(using: &generator).policySet(cache))
    let copied = authorizer.unsharedCopy()
    #expect(copied.plan.allPolicies.count == authorizer.plan.allPolicies.count)
    for (lhs, rhs) in zip(copied.plan.allPolicies, authorizer.plan.allPolicies) { #expect(lhs !== rhs) }
  }

  @Test func theEvaluatorEqualsThePlainReference() {
    check("reference") { scenario, request, _ in
      let expected = ReferenceAuthorizer.decision(
        identity: scenario.identity, boundary: scenario.boundary, scpLevels: scenario.scps, request: request)
      let actual = decide(scenario, request)
      return actual == expected ? nil : "expected \(expected), got \(actual) for \(request.action) \(request.resource) \(scenario)"
    }
  }

  @Test func addingADenyNeverAllowsAndAddingAnAllowNeverDenies() {
    check("monotonic") { scenario, request, generator in
      let before = decide(scenario, request)
      var withDeny = scenario
      var deny = RandomStatement.random(using: &generator)
      deny.effect = "Deny"
      withDeny.identity[0].append(deny)
      let afterDeny = decide(withDeny, request)
      if afterDeny == .allowed && before != .allowed { return "a Deny turned \(before) into allowed" }
      var withAllow = scenario
      var allow = RandomStatement.random(using: &generator)
      allow.effect = "Allow"
      withAllow.identity[0].append(allow)
      let afterAllow = decide(withAllow, request)
      if before == .allowed && afterAllow != .allowed { return "an Allow turned allowed into \(afterAllow)" }
      return nil
    }
  }

  @Test func orderAndSplittingNeverChangeADecision() {
    check("order") { scenario, request, generator in
      let before = decide(scenario, request)
      var shuffled = scenario
      shuffled.identity = scenario.identity.map { $0.shuffled(using: &generator) }.shuffled(using: &generator)
      let afterShuffle = decide(shuffled, request)
      if afterShuffle != before { return "reordering changed \(before) into \(afterShuffle)" }
      var split = scenario
      split.identity = scenario.identity.flatMap { $0.map { [$0] } }
      let afterSplit = decide(split, request)
      return afterSplit == before ? nil : "splitting changed \(before) into \(afterSplit)"
    }
  }

  @Test func parsePrintParseIsTheIdentity() throws {
    var generator = SeededGenerator(seed: PropertyTests.seed)
    for _ in 0..<PropertyTests.count {
      let statements = (0..<3).map { _ in RandomStatement.random(using: &generator) }
      let text = "{\"Version\":\"2012-10-17\",\"Statement\":[" + statements.map(\.json).joined(separator: ",") + "]}"
      let once = try JSONReader().read(text)
      let twice = try JSONReader().read(once.output.rendered(pretty: true))
      #expect(once.output == twice.output)
      let first = try PolicyDocument(json: once, name: "p", kind: .identity)
      let second = try PolicyDocument(json: twice, name: "p", kind: .identity)
      #expect(first.statements.map(\.action) == second.statements.map(\.action))
      #expect(first.statements.map(\.conditions.count) == second.statements.map(\.conditions.count))
    }
  }
}
