import IAMPolicy
import Testing

@testable import IAMEvaluation

/// Found while fuzzing (issue 6): wildcard matching takes time quadratic in the request text in the worst case,
/// so a `*aaaa…b` pattern against a long resource (both fit in one 8 MiB case file) ran for minutes. Texts longer
/// than `PreparedRequest.maximumMatchedLength` are not matched: the statement fails closed.
@Suite struct LongRequestValueTests {
  static let long = "arn:aws:s3:::b/" + String(repeating: "a", count: 200_000)
  static let quadratic = "arn:aws:s3:::b/*" + String(repeating: "a", count: 20_000) + "b"

  private func timed(_ body: () -> Decision) -> (Decision, Duration) {
    let clock = ContinuousClock()
    var decision = Decision.allowed
    let elapsed = clock.measure { decision = body() }
    return (decision, elapsed)
  }

  @Test func aLongResourceAgainstAQuadraticPatternFailsClosedAtOnce() throws {
    let allow = PolicySet(identityPolicies: [
      try statements(#"{"Effect":"Allow","Action":"s3:GetObject","Resource":["# + "\"\(Self.quadratic)\"" + #","*"]}"#)
    ])
    let (decision, elapsed) = timed { decide(allow, "s3:GetObject", Self.long) }
    #expect(decision == .implicitDeny)
    #expect(elapsed < .seconds(2))
    let deny = PolicySet(identityPolicies: [
      try statements(allowAll + #",{"Effect":"Deny","Action":"s3:GetObject","Resource":"# + "\"\(Self.quadratic)\"}")
    ])
    let (denied, deniedElapsed) = timed { decide(deny, "s3:GetObject", Self.long) }
    #expect(denied == .explicitDeny)
    #expect(deniedElapsed < .seconds(2))
    let response = try Authorizer(allow).authorize(AuthorizationRequest(action: "s3:GetObject", resource: Self.long))
    #expect(response.diagnostics.contains { $0.message.contains("200015 bytes long") })
  }

  @Test func aLongActionFailsClosed() throws {
    let set = PolicySet(identityPolicies: [try statements(allowAll)])
    #expect(decide(set, "s3:" + String(repeating: "A", count: 10_000)) == .implicitDeny)
    #expect(decide(set, "s3:" + String(repeating: "A", count: 8_000)) == .allowed)
  }

  @Test func aLongStringLikeValueFailsClosed() throws {
    let allow = PolicySet(identityPolicies: [
      try statements(#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringLike":{"aws:Referer":"# + "\"*\(String(repeating: "a", count: 20_000))b\"}}}")
    ])
    let (decision, elapsed) = timed { decide(allow, "s3:GetObject", context: ["aws:Referer": String(repeating: "a", count: 200_000)]) }
    #expect(decision == .implicitDeny)
    #expect(elapsed < .seconds(2))
    let deny = PolicySet(identityPolicies: [
      try statements(allowAll + #",{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"StringNotLike":{"aws:Referer":"https://*"}}}"#)
    ])
    #expect(decide(deny, "s3:GetObject", context: ["aws:Referer": "https://" + String(repeating: "a", count: 9_000)]) == .explicitDeny)
    #expect(decide(deny, "s3:GetObject", context: ["aws:Referer": "https://" + String(repeating: "a", count: 100)]) == .allowed)
  }

  /// Many patterns that each cost little add up: 500 `b/*aaaa…b` patterns (a 2 MB policy) against an 8 KiB
  /// resource, under the length limit, took 17 s. The request's matching bound exceeds the budget, so no statement
  /// is matched: the Allow does not apply, the Deny does, at once.
  @Test func manyQuadraticPatternsFailClosedWithinTheMatchingBudget() throws {
    let patterns = (0..<500).map { "\"arn:aws:s3:::b/*\(String(repeating: "a", count: 4_000))\($0)\"" }.joined(separator: ",")
    let resource = "arn:aws:s3:::b/" + String(repeating: "a", count: 8_100)
    let allow = PolicySet(identityPolicies: [
      try statements(#"{"Effect":"Allow","Action":"s3:GetObject","Resource":["# + patterns + #",""# + resource + #"","arn:aws:s3:::b/k"]}"#)
    ])
    let (decision, elapsed) = timed { decide(allow, "s3:GetObject", resource) }
    #expect(decision == .implicitDeny)
    #expect(elapsed < .seconds(2), "took \(elapsed)")
    let response = try Authorizer(allow).authorize(AuthorizationRequest(action: "s3:GetObject", resource: resource))
    #expect(response.diagnostics.contains { $0.message.contains("could take over 100000000 steps") })
    let deny = PolicySet(identityPolicies: [
      try statements(allowAll + #",{"Effect":"Deny","Action":"s3:GetObject","Resource":["# + patterns + "]}")
    ])
    let (denied, deniedElapsed) = timed { decide(deny, "s3:GetObject", resource) }
    #expect(denied == .explicitDeny)
    #expect(deniedElapsed < .seconds(2), "took \(deniedElapsed)")
    // The same policies match a short resource as usual: the bound grows with the text.
    #expect(decide(allow, "s3:GetObject", "arn:aws:s3:::b/k") == .allowed)
    #expect(decide(deny, "s3:GetObject", "arn:aws:s3:::b/k") == .allowed)
  }

  /// Real shapes stay far under the budget: a hundred `…/*/logs/*` patterns against a 2,048-byte ARN are matched.
  @Test func realPatternsAreMatchedAsUsual() throws {
    let patterns = (0..<100).map { "\"arn:aws:s3:::bucket\($0)/*/logs/*\"" }.joined(separator: ",")
    let set = PolicySet(identityPolicies: [
      try statements(#"{"Effect":"Allow","Action":"s3:GetObject","Resource":["# + patterns + "]}")
    ])
    let resource = "arn:aws:s3:::bucket99/" + String(repeating: "x/", count: 1_000) + "logs/today"
    #expect(decide(set, "s3:GetObject", resource) == .allowed)
    #expect(try Authorizer(set).authorize(AuthorizationRequest(action: "s3:GetObject", resource: resource)).diagnostics.isEmpty)
  }

  /// A set operator reads every value of its key: 2,000 values of 6,000 bytes (each under the length limit)
  /// against one `*aaaa…b` pattern would cost 16 billion steps. The bound counts all the values' bytes.
  @Test func everyValueOfAMultivaluedKeyCounts() throws {
    let pattern = "*" + String(repeating: "a", count: 4_000) + "b"
    let values = Array(repeating: String(repeating: "a", count: 6_000), count: 2_000)
    let condition = #"{"ForAnyValue:StringLike":{"aws:TagKeys":""# + pattern + #""}}"#
    let allow = PolicySet(identityPolicies: [
      try statements(#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":"# + condition + "}")
    ])
    let deny = PolicySet(identityPolicies: [
      try statements(allowAll + #",{"Effect":"Deny","Action":"s3:GetObject","Resource":"*","Condition":"# + condition + "}")
    ])
    let (allowed, allowElapsed) = timed { decide(allow, "s3:GetObject", multi: ["aws:TagKeys": values]) }
    #expect(allowed == .implicitDeny)
    #expect(allowElapsed < .seconds(2), "took \(allowElapsed)")
    let (denied, denyElapsed) = timed { decide(deny, "s3:GetObject", multi: ["aws:TagKeys": values]) }
    #expect(denied == .explicitDeny)
    #expect(denyElapsed < .seconds(2), "took \(denyElapsed)")
  }

  /// A variable after a `*` lengthens every retry by its value: 300 `b/*${aws:PrincipalTag/k}N` patterns cost
  /// little as written, but with a 4,000-byte tag value against an 8 KiB resource they would cost billions of
  /// steps. The bound adds the value's length per request, so the request fails closed at once.
  @Test func aVariableAfterAStarCountsWithItsValue() throws {
    let patterns = (0..<300).map { #""arn:aws:s3:::b/*${aws:PrincipalTag/k}\#($0)""# }.joined(separator: ",")
    let set = PolicySet(identityPolicies: [
      try statements(#"{"Effect":"Allow","Action":"s3:GetObject","Resource":["# + patterns + "]}")
    ])
    var principal = Principal.defaultSession
    principal.setTag("k", String(repeating: "a", count: 4_000))
    let resource = "arn:aws:s3:::b/" + String(repeating: "a", count: 8_100)
    let (decision, elapsed) = timed { decide(set, "s3:GetObject", resource, principal: principal) }
    #expect(decision == .implicitDeny)
    #expect(elapsed < .seconds(2), "took \(elapsed)")
    let response = try Authorizer(set).authorize(
      AuthorizationRequest(principal: principal, action: "s3:GetObject", resource: resource))
    #expect(response.diagnostics.contains { $0.message.contains("could take over 100000000 steps") })
    // A short tag value keeps the bound small, and the patterns are matched.
    principal.setTag("k", "x")
    #expect(decide(set, "s3:GetObject", "arn:aws:s3:::b/anything/x7", principal: principal) == .allowed)
  }
}
