import IAMPolicy

/// Decides requests against a compiled policy set, as AWS does (rules E-2 … E-9).
///
/// Compile once with ``init(_:)``, then call ``authorize(_:explain:)`` for as many requests as
/// needed. Authorizing never throws: problems are diagnostics of the response, and a statement
/// whose condition cannot be read fails closed (an Allow does not apply, a Deny does).
public struct Authorizer: Sendable {
  /// The policies, as given.
  public let policies: PolicySet
  let identity: [CompiledPolicy]
  let boundary: [CompiledPolicy]
  let session: [CompiledPolicy]
  let resource: [CompiledPolicy]
  let serviceControlLevels: [[CompiledPolicy]]
  let resourceControlLevels: [[CompiledPolicy]]
  /// What wildcard matching may cost a request, over every policy.
  let matchingBound: MatchingBound

  /// Compiles a policy set.
  ///
  /// - Complexity: O(n) in the total number of statements.
  public init(_ policies: PolicySet) {
    self.policies = policies
    identity = policies.identityPolicies.map { CompiledPolicy($0, layer: .identity) }
    boundary = policies.permissionsBoundary.map { [CompiledPolicy($0, layer: .permissionsBoundary)] } ?? []
    session = policies.sessionPolicy.map { [CompiledPolicy($0, layer: .session)] } ?? []
    resource = policies.resourcePolicy.map { [CompiledPolicy($0, layer: .resource)] } ?? []
    serviceControlLevels = policies.serviceControlPolicies.enumerated().map { level, policies in
      policies.map { CompiledPolicy($0, layer: .serviceControl(level: level)) }
    }
    resourceControlLevels = policies.resourceControlPolicies.enumerated().map { level, policies in
      policies.map { CompiledPolicy($0, layer: .resourceControl(level: level)) }
    }
    matchingBound = MatchingBound(
      identity + boundary + session + resource + serviceControlLevels.joined() + resourceControlLevels.joined())
  }

  /// Why no statement may be matched for this request, if so: a text too long to match, or matching that could
  /// cost more than ``MatchingBound/budget``.
  private func matchingProblem(_ request: PreparedRequest) -> String? {
    request.overlongProblem ?? matchingBound.problem(for: request)
  }

  /// Authorizes a request and says why.
  ///
  /// - Parameter explain: also report, for every statement, whether it matched and what missed.
  public func authorize(_ request: AuthorizationRequest, explain: Bool = false) -> Response {
    authorize(PreparedRequest(request), explain: explain)
  }

  /// Authorizes a prepared request and says why.
  ///
  /// - Complexity: O(s) in the number of statements that can name the action.
  public func authorize(_ request: PreparedRequest, explain: Bool = false) -> Response {
    var matcher = StatementMatcher(
      request: request, callerHasBoundary: !boundary.isEmpty, detail: explain ? .explain : .detailed,
      failClosed: matchingProblem(request))
    let layers = evaluateLayers(&matcher)
    let outcome = decide(request, LayerVerdicts(layers))
    return Response(request: request, outcome: outcome, layers: layers, matcher: matcher, explain: explain)
  }

  /// Only the decision, without explanation: the fastest path, for audits and benchmarks.
  ///
  /// It allocates nothing, stops at the first Deny that applies, and takes the same decision as
  /// ``authorize(_:explain:)-(PreparedRequest,_)`` through the same ``decide(_:_:)``.
  /// - Complexity: O(s) in the number of statements that can name the action.
  public func decision(for request: PreparedRequest) -> Decision {
    var matcher = StatementMatcher(
      request: request, callerHasBoundary: !boundary.isEmpty, detail: .decision, failClosed: matchingProblem(request))
    return request.lowercasedName.withUnsafeBufferPointer { name in
      var verdicts = LayerVerdicts()
      let summary = { (policies: [CompiledPolicy], isResourceLayer: Bool, matcher: inout StatementMatcher) in
        LayerSummary(policies: policies, isResourceLayer: isResourceLayer, matcher: &matcher, lowercasedName: name)
      }
      if appliesServiceControl(request) {
        for (level, policies) in serviceControlLevels.enumerated() {
          let layer = summary(policies, false, &matcher)
          if layer.hasDeny { return .explicitDeny }
          if !layer.hasAllow && verdicts.levelWithoutAllow == nil { verdicts.levelWithoutAllow = .serviceControl(level: level) }
        }
      }
      if appliesResourceControl {
        for (level, policies) in resourceControlLevels.enumerated() {
          let layer = summary(policies, false, &matcher)
          if layer.hasDeny { return .explicitDeny }
          if !layer.hasAllow && verdicts.levelWithoutAllow == nil { verdicts.levelWithoutAllow = .resourceControl(level: level) }
        }
      }
      if !resource.isEmpty {
        let layer = summary(resource, true, &matcher)
        if layer.hasDeny { return .explicitDeny }
        verdicts.resource = layer
      }
      let identityLayer = summary(identity, false, &matcher)
      if identityLayer.hasDeny { return .explicitDeny }
      verdicts.identityAllows = identityLayer.hasAllow
      if !boundary.isEmpty {
        let layer = summary(boundary, false, &matcher)
        if layer.hasDeny { return .explicitDeny }
        verdicts.boundaryAllows = layer.hasAllow
      }
      if !session.isEmpty {
        let layer = summary(session, false, &matcher)
        if layer.hasDeny { return .explicitDeny }
        verdicts.sessionAllows = layer.hasAllow
      }
      return decide(request, verdicts).decision
    }
  }

  /// Whether SCPs apply: not to the management account, nor to service-linked roles.
  private func appliesServiceControl(_ request: PreparedRequest) -> Bool {
    !serviceControlLevels.isEmpty && !policies.principalAccountIsManagement && !request.isServiceLinkedRole
  }

  /// Whether RCPs apply: not to resources of the management account.
  private var appliesResourceControl: Bool {
    !resourceControlLevels.isEmpty && !policies.resourceAccountIsManagement
  }

  private func evaluateLayers(_ matcher: inout StatementMatcher) -> [LayerEvaluation] {
    var layers: [LayerEvaluation] = []
    layers.reserveCapacity(4 + serviceControlLevels.count + resourceControlLevels.count)
    if appliesServiceControl(matcher.request) {
      for (level, policies) in serviceControlLevels.enumerated() {
        layers.append(LayerEvaluation(layer: .serviceControl(level: level), policies: policies, matcher: &matcher))
      }
    }
    if appliesResourceControl {
      for (level, policies) in resourceControlLevels.enumerated() {
        layers.append(LayerEvaluation(layer: .resourceControl(level: level), policies: policies, matcher: &matcher))
      }
    }
    if !resource.isEmpty {
      layers.append(LayerEvaluation(layer: .resource, policies: resource, matcher: &matcher))
    }
    layers.append(LayerEvaluation(layer: .identity, policies: identity, matcher: &matcher))
    if !boundary.isEmpty {
      layers.append(LayerEvaluation(layer: .permissionsBoundary, policies: boundary, matcher: &matcher))
    }
    if !session.isEmpty {
      layers.append(LayerEvaluation(layer: .session, policies: session, matcher: &matcher))
    }
    return layers
  }

  /// The ordered flow of rules E-3 (same account) and E-8a (across accounts).
  private func decide(_ request: PreparedRequest, _ verdicts: LayerVerdicts) -> Outcome {
    // 1. An applicable Deny anywhere wins.
    if let denying = verdicts.deny {
      return Outcome(.explicitDeny, denying, .explicitDeny)
    }
    // 2, 3. Every RCP level and every SCP level needs an Allow.
    if let level = verdicts.levelWithoutAllow {
      return Outcome(.implicitDeny, level, .levelWithoutAllow)
    }
    let isRoot = request.principal.kind == .root
    let identityAllows = isRoot || verdicts.identityAllows
    let boundaryAllows = verdicts.boundaryAllows ?? true
    let sessionAllows = verdicts.sessionAllows ?? true
    if request.isCrossAccount {
      // E-8a 4: the resource's account must allow through its resource policy.
      guard verdicts.resource?.hasAllow == true else {
        return Outcome(.implicitDeny, .resource, .crossAccountWithoutResourceAllow)
      }
    } else if let resourceLayer = verdicts.resource {
      // E-5: a same-account grant that names the caller (or everyone) needs no identity allow.
      switch resourceLayer.bestAllowPrincipal {
      case .direct?: return Outcome(.allowed, .resource, .resourceGrantsDirectly)
      case .role? where boundaryAllows && sessionAllows: return Outcome(.allowed, .resource, .resourceGrantsToRole)
      default: break
      }
      // E-3 4: role trust policies and KMS key policies must allow explicitly.
      if !resourceLayer.hasAllow && request.requiresResourcePolicyAllow {
        return Outcome(.implicitDeny, .resource, .resourcePolicyMustAllow)
      }
    }
    guard identityAllows else { return Outcome(.implicitDeny, .identity, .identityWithoutAllow) }
    guard boundaryAllows else { return Outcome(.implicitDeny, .permissionsBoundary, .boundaryWithoutAllow) }
    guard sessionAllows else { return Outcome(.implicitDeny, .session, .sessionWithoutAllow) }
    return Outcome(.allowed, .identity, isRoot ? .rootUser : .identityAllows)
  }
}

/// What the flow of rules E-3 and E-8a reads from the layers: the same for a detailed evaluation
/// (built from its ``LayerEvaluation``s) and for a decision only.
struct LayerVerdicts {
  /// The first layer, in evaluation order, where a Deny applied.
  var deny: Layer?
  /// The first SCP level, else the first RCP level, without an applying Allow.
  var levelWithoutAllow: Layer?
  /// The resource layer, when there is a resource policy.
  var resource: LayerSummary?
  var identityAllows = false
  /// `nil` when there is no permissions boundary.
  var boundaryAllows: Bool?
  /// `nil` when there is no session policy.
  var sessionAllows: Bool?

  init() {}

  init(_ layers: [LayerEvaluation]) {
    deny = layers.first(where: \.hasDeny)?.layer
    levelWithoutAllow = layers.first { layer in
      switch layer.layer {
      case .serviceControl, .resourceControl: !layer.hasAllow
      default: false
      }
    }?.layer
    for layer in layers {
      switch layer.layer {
      case .resource: resource = LayerSummary(layer)
      case .identity: identityAllows = layer.hasAllow
      case .permissionsBoundary: boundaryAllows = layer.hasAllow
      case .session: sessionAllows = layer.hasAllow
      case .serviceControl, .resourceControl: break
      }
    }
  }
}

/// The decision, the layer that made it, and the rule it followed.
struct Outcome {
  var decision: Decision
  var layer: Layer
  var reason: Reason

  init(_ decision: Decision, _ layer: Layer, _ reason: Reason) {
    self.decision = decision
    self.layer = layer
    self.reason = reason
  }

  /// Why the flow stopped where it did.
  enum Reason {
    case explicitDeny, levelWithoutAllow, crossAccountWithoutResourceAllow, resourceGrantsDirectly
    case resourceGrantsToRole, resourcePolicyMustAllow, identityWithoutAllow, boundaryWithoutAllow
    case sessionWithoutAllow, rootUser, identityAllows
  }
}
