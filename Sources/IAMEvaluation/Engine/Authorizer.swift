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

  /// Compiles a policy set.
  ///
  /// - Complexity: O(n) in the total number of statements.
  public init(_ policies: PolicySet) {
    self.policies = policies
    identity = policies.identityPolicies.map(CompiledPolicy.init)
    boundary = policies.permissionsBoundary.map { [CompiledPolicy($0)] } ?? []
    session = policies.sessionPolicy.map { [CompiledPolicy($0)] } ?? []
    resource = policies.resourcePolicy.map { [CompiledPolicy($0)] } ?? []
    serviceControlLevels = policies.serviceControlPolicies.map { $0.map(CompiledPolicy.init) }
    resourceControlLevels = policies.resourceControlPolicies.map { $0.map(CompiledPolicy.init) }
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
    var matcher = StatementMatcher(request: request, callerHasBoundary: !boundary.isEmpty)
    let layers = evaluateLayers(&matcher, detailed: true, explain: explain)
    let outcome = decide(request, layers)
    return Response(request: request, outcome: outcome, layers: layers, matcher: matcher, explain: explain)
  }

  /// Only the decision, without explanation: the fastest path, for audits and benchmarks.
  ///
  /// - Complexity: O(s) in the number of statements that can name the action.
  public func decision(for request: PreparedRequest) -> Decision {
    var matcher = StatementMatcher(request: request, callerHasBoundary: !boundary.isEmpty)
    return decide(request, evaluateLayers(&matcher, detailed: false, explain: false)).decision
  }

  private func evaluateLayers(_ matcher: inout StatementMatcher, detailed: Bool, explain: Bool) -> [LayerEvaluation] {
    let principal = matcher.request.request.principal
    var layers: [LayerEvaluation] = []
    layers.reserveCapacity(4 + serviceControlLevels.count + resourceControlLevels.count)
    if !serviceControlLevels.isEmpty && !policies.principalAccountIsManagement && !principal.isServiceLinkedRole {
      for (level, policies) in serviceControlLevels.enumerated() {
        layers.append(LayerEvaluation(layer: .serviceControl(level: level), policies: policies, matcher: &matcher,
                                      detailed: detailed, explain: explain))
      }
    }
    if !resourceControlLevels.isEmpty && !policies.resourceAccountIsManagement {
      for (level, policies) in resourceControlLevels.enumerated() {
        layers.append(LayerEvaluation(layer: .resourceControl(level: level), policies: policies, matcher: &matcher,
                                      detailed: detailed, explain: explain))
      }
    }
    if !resource.isEmpty {
      layers.append(LayerEvaluation(layer: .resource, policies: resource, matcher: &matcher, detailed: detailed,
                                    explain: explain))
    }
    layers.append(LayerEvaluation(layer: .identity, policies: identity, matcher: &matcher, detailed: detailed,
                                  explain: explain))
    if !boundary.isEmpty {
      layers.append(LayerEvaluation(layer: .permissionsBoundary, policies: boundary, matcher: &matcher,
                                    detailed: detailed, explain: explain))
    }
    if !session.isEmpty {
      layers.append(LayerEvaluation(layer: .session, policies: session, matcher: &matcher, detailed: detailed,
                                    explain: explain))
    }
    return layers
  }

  /// The ordered flow of rules E-3 (same account) and E-8a (across accounts).
  private func decide(_ request: PreparedRequest, _ layers: [LayerEvaluation]) -> Outcome {
    // 1. An applicable Deny anywhere wins.
    if let denying = layers.first(where: \.hasDeny) {
      return Outcome(.explicitDeny, denying.layer, .explicitDeny)
    }
    // 2, 3. Every RCP level and every SCP level needs an Allow.
    for layer in layers where !layer.hasAllow {
      switch layer.layer {
      case .resourceControl, .serviceControl: return Outcome(.implicitDeny, layer.layer, .levelWithoutAllow)
      default: continue
      }
    }
    let layer = { (kind: Layer) in layers.first { $0.layer == kind } }
    let resourceLayer = layer(.resource)
    let principal = request.request.principal
    let identityAllows = principal.kind == .root || layer(.identity)?.hasAllow == true
    let boundaryLayer = layer(.permissionsBoundary)
    let sessionLayer = layer(.session)
    let boundaryAllows = boundaryLayer?.hasAllow ?? true
    let sessionAllows = sessionLayer?.hasAllow ?? true
    if request.isCrossAccount {
      // E-8a 4: the resource's account must allow through its resource policy.
      guard resourceLayer?.hasAllow == true else { return Outcome(.implicitDeny, .resource, .crossAccountWithoutResourceAllow) }
    } else if let resourceLayer {
      // E-5: a same-account grant that names the caller (or everyone) needs no identity allow.
      switch resourceLayer.bestAllowPrincipal {
      case .direct?: return Outcome(.allowed, .resource, .resourceGrantsDirectly)
      case .role? where boundaryAllows && sessionAllows: return Outcome(.allowed, .resource, .resourceGrantsToRole)
      default: break
      }
      // E-3 4: role trust policies and KMS key policies must allow explicitly.
      if !resourceLayer.hasAllow && Authorizer.requiresResourcePolicyAllow(request) {
        return Outcome(.implicitDeny, .resource, .resourcePolicyMustAllow)
      }
    }
    guard identityAllows else { return Outcome(.implicitDeny, .identity, .identityWithoutAllow) }
    guard boundaryAllows else { return Outcome(.implicitDeny, .permissionsBoundary, .boundaryWithoutAllow) }
    guard sessionAllows else { return Outcome(.implicitDeny, .session, .sessionWithoutAllow) }
    return Outcome(.allowed, .identity, principal.kind == .root ? .rootUser : .identityAllows)
  }

  /// Whether the resource is one whose own policy must allow: a KMS key, or a role being assumed.
  static func requiresResourcePolicyAllow(_ request: PreparedRequest) -> Bool {
    let resource = request.request.resource
    if request.service == "kms" && resource.hasPrefix("arn:") && resource.contains(":kms:") { return true }
    if request.service == "sts" && String(decoding: request.lowercasedName, as: UTF8.self).hasPrefix("assumerole") {
      return ARN(resource).map { $0.service == "iam" && $0.resource.hasPrefix("role/") } ?? false
    }
    return false
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
