import IAMPolicy

/// Decides requests against a compiled policy set, as AWS does (rules E-2 … E-9).
///
/// Compile once with ``init(_:)``, then call ``authorize(_:explain:)`` for as many requests as
/// needed. Authorizing never throws: problems are diagnostics of the response, and a statement
/// whose condition cannot be read fails closed (an Allow does not apply, a Deny does).
public struct Authorizer: Sendable {
  /// The policies, as given.
  public let policies: PolicySet
  /// The layers in the order of AWS's flowchart, compiled.
  let plan: EvaluationPlan
  /// What wildcard matching may cost a request, over every policy.
  let matchingBound: MatchingBound
  /// Whether the policies may read a key AWS derives from the caller (``Principal/derivedContext``), or count the
  /// bytes of every context value (``MatchingBound``): when they cannot, ``authorize(_:explain:)-(AuthorizationRequest,_)``
  /// prepares a request without deriving those keys, and decides it the same.
  let readsDerivedKeys: Bool
  /// Whether the policies may look up any context key: when they cannot,
  /// ``authorize(_:explain:)-(AuthorizationRequest,_)`` lays the request's own context over the index as it was set,
  /// without making each key's looked-up form (a lookup still finds every key).
  let readsContext: Bool

  /// Compiles a policy set, after checking that each policy sits in the slot of its kind.
  ///
  /// A policy read for one role and placed in another would be evaluated under the wrong rules: an identity policy
  /// in the resource-policy slot has no `Principal`, so it would name every caller. Such a set is refused.
  ///
  /// - Throws: ``PolicySetError`` naming the first misplaced policy or statement.
  /// - Complexity: O(n) in the total number of statements.
  public init(_ policies: PolicySet) throws(PolicySetError) {
    try policies.checkSlots()
    self.init(checked: policies)
  }

  /// Compiles a policy set whose slots were checked.
  private init(checked policies: PolicySet) {
    self.policies = policies
    plan = EvaluationPlan(policies)
    matchingBound = MatchingBound(plan.allPolicies)
    readsDerivedKeys = matchingBound.countsContextValues || plan.allPolicies.contains { $0.readsDerivedKeys }
    readsContext = matchingBound.countsContextValues || plan.allPolicies.contains { $0.readsContext }
  }

  /// The same policies compiled again, sharing no compiled object with this authorizer.
  ///
  /// Threads that decide with one authorizer all retain and release the same objects, and each count they change
  /// moves between the cores' caches: on two cores, deciding with one shared authorizer, caller and action took
  /// 1.5 to 2 times as long as each thread deciding with its own (``PreparedCaller/unsharedCopy()``). Give each
  /// thread that decides many requests a copy of its own.
  /// - Complexity: O(n) in the total number of statements, as compiling is.
  public func unsharedCopy() -> Authorizer {
    Authorizer(checked: policies)
  }

  /// Why no statement may be matched for this request, if so: a text too long to match, or matching that could
  /// cost more than ``MatchingBound/budget``.
  private func matchingProblem(_ request: PreparedRequest) -> String? {
    request.overlongProblem ?? matchingBound.problem(for: request)
  }

  /// Authorizes a request and says why.
  ///
  /// - Parameter explain: also report, for every statement, whether it matched and what missed.
  public func authorize(_ request: consuming AuthorizationRequest, explain: Bool = false) -> Response {
    respond(
      to: PreparedRequest(consume request, derivingKeys: readsDerivedKeys, readsContext: readsContext),
      explain: explain)
  }

  /// Authorizes a prepared request and says why: every layer that takes part is evaluated in full.
  ///
  /// - Complexity: O(s) in the number of statements that can name the action.
  public func authorize(_ request: PreparedRequest, explain: Bool = false) -> Response {
    respond(to: request, explain: explain)
  }

  /// The one body of both `authorize` entry points, inlined into each so that a fresh request's is specialised.
  @inline(__always)
  private func respond(to request: PreparedRequest, explain: Bool) -> Response {
    var matcher = StatementMatcher(
      request: request, callerHasBoundary: plan.boundary != nil, detail: explain ? .explain : .detailed,
      failClosed: matchingProblem(request))
    // The layers' evaluations live on the stack for the length of the call: an array of them was allocated, grown
    // and freed for every request.
    return withUnsafeTemporaryAllocation(of: LayerEvaluation.self, capacity: plan.stepCount) { buffer in
      let base = buffer.baseAddress!
      var count = 0
      defer { base.deinitialize(count: count) }
      let verdicts = plan.verdicts(for: request, stopAtDeny: false) { step in
        let layer = base + count
        layer.initialize(to: LayerEvaluation(step: step))
        count += 1
        layer.pointee.evaluate(step, matcher: &matcher)
        return layer.pointee.summary
      }
      let outcome = plan.decide(request, verdicts)
      // The matcher's two findings, not the matcher: passing it would copy it (and retain each of its parts).
      return Response(
        request: request, outcome: outcome, layers: UnsafeBufferPointer(start: base, count: count),
        flowNotes: plan.notes(for: request), missingKeys: matcher.missingKeys,
        missedWildcardResource: matcher.allowMissedWildcardResource, explain: explain)
    }
  }

  /// Only the decision, without explanation: the fastest path, for audits and benchmarks.
  ///
  /// It allocates nothing, stops at the first Deny that applies, and walks the same ``EvaluationPlan`` to the same
  /// decision as ``authorize(_:explain:)-(PreparedRequest,_)``.
  /// - Complexity: O(s) in the number of statements that can name the action.
  public func decision(for request: PreparedRequest) -> Decision {
    var matcher = StatementMatcher(
      request: request, callerHasBoundary: plan.boundary != nil, detail: .decision,
      failClosed: matchingProblem(request))
    let name = request.lowercasedName
    let verdicts = plan.verdicts(for: request, stopAtDeny: true) { step in
      LayerSummary(step: step, matcher: &matcher, lowercasedName: name)
    }
    return plan.decide(request, verdicts).decision
  }
}

/// Why a policy set cannot be compiled: a policy in the slot of another kind.
public struct PolicySetError: Error, Sendable, Hashable, CustomStringConvertible {
  /// What is wrong, naming the policy.
  public let message: String

  public var description: String { message }
}

extension PolicySet {
  /// Checks that every policy has the kind of its slot, and that its statements keep the rules of that kind:
  /// `Principal` exactly in resource-based policies and RCPs, `NotPrincipal` only with Deny.
  func checkSlots() throws(PolicySetError) {
    // Identity policies, boundaries and session policies share one grammar: any of the three may fill these slots.
    let identityLike: Set<PolicyKind> = [.identity, .permissionsBoundary, .session]
    try check(identityPolicies, slot: "identity policies", kinds: identityLike)
    try check(permissionsBoundary.map { [$0] } ?? [], slot: "the permissions boundary", kinds: identityLike)
    try check(sessionPolicy.map { [$0] } ?? [], slot: "the session policy", kinds: identityLike)
    try check(resourcePolicy.map { [$0] } ?? [], slot: "the resource-based policy", kinds: [.resource])
    try check(vpcEndpointPolicy.map { [$0] } ?? [], slot: "the VPC endpoint policy", kinds: [.resource])
    try check(serviceControlPolicies.flatMap { $0 }, slot: "the service control policies", kinds: [.serviceControl])
    try check(resourceControlPolicies.flatMap { $0 }, slot: "the resource control policies", kinds: [.resourceControl])
  }

  private func check(_ documents: [PolicyDocument], slot: String, kinds: Set<PolicyKind>) throws(PolicySetError) {
    for document in documents {
      guard kinds.contains(document.kind) else {
        throw PolicySetError(message: "\(document.name) is a \(document.kind.displayName) and cannot be used as \(slot)")
      }
      for statement in document.statements {
        let problem: String? =
          if document.kind.hasPrincipal != (statement.principal != nil) {
            document.kind.hasPrincipal ? "has no Principal element" : "has a Principal element"
          } else if statement.principal?.isNegated == true && statement.effect == .allow {
            "uses NotPrincipal with Allow"
          } else { nil }
        if let problem {
          throw PolicySetError(
            message: "\(document.name) statement \(statement.label) \(problem), which a \(document.kind.displayName) cannot have")
        }
      }
    }
  }
}
