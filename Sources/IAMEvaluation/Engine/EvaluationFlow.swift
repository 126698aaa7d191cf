import IAMPolicy

// AWS's evaluation flow, in one place: which layers take part in a request, in which order, and how their
// verdicts make the decision. Both paths walk it: `Authorizer.decision(for:)` (decision only, stopping at the
// first Deny) and `Authorizer.authorize(_:explain:)` (every layer, with the statements that applied).
//
// Sources, each rule pinned by a case file or test that quotes it:
// - https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html
// - https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
// - https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html
// - https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_evaluation.html
// - https://docs.aws.amazon.com/kms/latest/developerguide/key-policies.html
// - https://docs.aws.amazon.com/STS/latest/APIReference/API_GetFederationToken.html
// - https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html
// - https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html
// - https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
// - https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html

/// The rule of AWS's evaluation flow that decided a request: the public, stable form of a response's reason.
public enum DecisionRule: String, Sendable, Hashable, CaseIterable {
  /// The action needs no permission (`sts:GetCallerIdentity`): AWS answers it even under an explicit Deny.
  case noPermissionRequired
  /// A Deny statement applied.
  case explicitDeny
  /// An SCP level (root, OU or account) has no Allow that applies.
  case serviceControlLevelWithoutAllow
  /// The resource belongs to another account and its resource-based policy does not allow the caller.
  case crossAccountWithoutResourceAllow
  /// A KMS key policy or role trust policy must allow, and none was given.
  case resourcePolicyMissing
  /// A KMS key policy or role trust policy must allow, and it does not.
  case resourcePolicyMustAllow
  /// A same-account resource-based policy grants it to the caller itself (or to everyone).
  case resourceGrantsDirectly
  /// A same-account resource-based policy grants it to the caller's role, and the boundary and session policy allow.
  case resourceGrantsToRole
  /// No identity-based policy allows it.
  case identityWithoutAllow
  /// The identity-based policies allow it, the permissions boundary does not.
  case boundaryWithoutAllow
  /// The identity-based policies allow it, the session policy does not.
  case sessionWithoutAllow
  /// A federated-user session (GetFederationToken) without a session policy has no permissions.
  case federatedWithoutSessionPolicy
  /// The account's root user: allowed whatever the identity-based policies say.
  case rootUser
  /// The identity-based policies allow it (and, across accounts, the resource-based policy), nothing denies it.
  case identityAllows
  /// The request goes through a VPC endpoint whose policy does not allow it.
  case vpcEndpointWithoutAllow
  /// An anonymous caller, and no resource-based policy statement that names everyone (`"*"`) allows it.
  case anonymousWithoutPublicAllow
  /// An anonymous caller, allowed by a resource-based policy statement that names everyone.
  case resourceGrantsAnonymous
}

/// The layers of a compiled policy set, in the order of AWS's flowchart.
struct EvaluationPlan: Sendable {
  /// One layer and its compiled policies.
  struct Step: Sendable {
    let layer: Layer
    let policies: [CompiledPolicy]
    /// The layer's result when no statement applies, alone in an array: made once, and handed to every response
    /// where it is the only layer.
    let noMatch: [LayerResult]

    init(layer: Layer, policies: [CompiledPolicy]) {
      self.layer = layer
      self.policies = policies
      noMatch = [LayerResult(layer: layer, verdict: .noMatch, statements: [])]
    }
  }

  /// SCP levels, root first: they limit principals of member accounts.
  let serviceControl: [Step]
  /// RCP levels, root first: they limit resources of member accounts, and only ever deny.
  let resourceControl: [Step]
  let resource: Step?
  /// The VPC endpoint policy: it takes part only in requests made through the endpoint.
  let vpcEndpoint: Step?
  let identity: Step
  let boundary: Step?
  let session: Step?
  let principalAccountIsManagement: Bool
  let resourceAccountIsManagement: Bool
  let assumesOwnPolicyDelegatesToAccount: Bool
  /// The most layers a request can consult: every step of the plan.
  let stepCount: Int

  init(_ policies: PolicySet) {
    func compile(_ documents: [PolicyDocument], _ layer: Layer) -> Step {
      Step(layer: layer, policies: documents.map { CompiledPolicy($0, layer: layer) })
    }
    serviceControl = policies.serviceControlPolicies.enumerated().map { compile($1, .serviceControl(level: $0)) }
    resourceControl = policies.resourceControlPolicies.enumerated().map { compile($1, .resourceControl(level: $0)) }
    resource = policies.resourcePolicy.map {
      Step(layer: .resource, policies: [
        CompiledPolicy($0, layer: .resource, restrictPublicBuckets: policies.blockPublicAccess.restrictPublicBuckets)
      ])
    }
    vpcEndpoint = policies.vpcEndpointPolicy.map {
      Step(layer: .vpcEndpoint, policies: [CompiledPolicy($0, layer: .vpcEndpoint, endpointType: policies.vpcEndpointType)])
    }
    identity = compile(policies.identityPolicies, .identity)
    boundary = policies.permissionsBoundary.map { compile([$0], .permissionsBoundary) }
    session = policies.sessionPolicy.map { compile([$0], .session) }
    principalAccountIsManagement = policies.principalAccountIsManagement
    resourceAccountIsManagement = policies.resourceAccountIsManagement
    assumesOwnPolicyDelegatesToAccount = policies.assumesOwnPolicyDelegatesToAccount
    stepCount =
      serviceControl.count + resourceControl.count + 1 + [resource, vpcEndpoint, boundary, session].count { $0 != nil }
  }

  /// Every compiled policy, in flow order.
  var allPolicies: [CompiledPolicy] {
    (serviceControl + resourceControl + [resource, vpcEndpoint, identity, boundary, session].compactMap { $0 }).flatMap(\.policies)
  }

  /// Whether SCPs apply: "SCPs don't affect users or roles in the management account" and "SCPs do not affect any
  /// service-linked role".
  func appliesServiceControl(_ request: PreparedRequest) -> Bool {
    !serviceControl.isEmpty && !principalAccountIsManagement && !request.isServiceLinkedRole
      && request.principal.kind != .anonymous
  }

  /// Whether the VPC endpoint policy applies: the request is made through an endpoint, which `aws:SourceVpce` says
  /// ("This key is included in the request context only if the requester uses a VPC endpoint to make the request.").
  func appliesVPCEndpoint(_ request: PreparedRequest) -> Bool {
    vpcEndpoint != nil && request.contextIndex.contains(EvaluationPlan.sourceVPCEndpoint)
  }

  static let sourceVPCEndpoint = ContextKey("aws:sourcevpce")

  /// Whether RCPs apply: "RCPs don't affect resources in the management account", and they apply only to the
  /// services AWS lists as supporting them (``ResourceControlScope``).
  func appliesResourceControl(_ request: PreparedRequest) -> Bool {
    !resourceControl.isEmpty && !resourceAccountIsManagement && request.isInResourceControlScope
  }

  /// Why organization policies that were given take no part in this request, as notes.
  func notes(for request: PreparedRequest) -> [Diagnostic] {
    var notes: [Diagnostic] = []
    if !serviceControl.isEmpty && !appliesServiceControl(request) {
      let why =
        principalAccountIsManagement
        ? "the caller's account is the organization's management account (\"SCPs don't affect users or roles in the management account\")"
        : "the caller is a service-linked role (\"SCPs do not affect any service-linked role\")"
      notes.append(Diagnostic("evaluation.scps-do-not-apply", .note, "the service control policies take no part: \(why)"))
    }
    if !resourceControl.isEmpty && !appliesResourceControl(request) {
      let why =
        resourceAccountIsManagement
        ? "the resource belongs to the organization's management account (\"RCPs don't affect resources in the management account\")"
        : "RCPs apply only to the services AWS lists as supporting them (\(ResourceControlScope.servicePrefixes.sorted().joined(separator: ", ")), as of \(ResourceControlScope.asOf)), and `\(request.service)` is not one"
      notes.append(Diagnostic("evaluation.rcps-do-not-apply", .note, "the resource control policies take no part: \(why)"))
    }
    if vpcEndpoint != nil && !appliesVPCEndpoint(request) {
      notes.append(Diagnostic(
        "evaluation.vpc-endpoint-does-not-apply", .note,
        "the VPC endpoint policy takes no part: the request does not go through an endpoint (its context has no aws:SourceVpce)"))
    }
    if request.principal.kind == .anonymous && !serviceControl.isEmpty {
      notes.append(Diagnostic(
        "evaluation.scps-do-not-apply", .note,
        "the service control policies take no part: an anonymous caller belongs to no account"))
    }
    return notes
  }

  /// Walks the layers that apply to the request, in the flowchart's order, and gathers their verdicts.
  ///
  /// - Parameters:
  ///   - stopAtDeny: stop at the first layer where a Deny applies (the decision is then known).
  ///   - evaluate: evaluates one layer.
  @inline(__always)
  func verdicts(
    for request: PreparedRequest, stopAtDeny: Bool, _ evaluate: (Step) -> LayerSummary
  ) -> LayerVerdicts {
    var verdicts = LayerVerdicts()
    /// Takes one layer's summary; `false` when the walk may stop.
    func take(_ step: Step) -> Bool {
      let summary = evaluate(step)
      if summary.hasDeny && verdicts.deny == nil { verdicts.deny = step.layer }
      switch step.layer {
      case .serviceControl:
        if !summary.hasAllow && verdicts.serviceControlWithoutAllow == nil { verdicts.serviceControlWithoutAllow = step.layer }
      case .resourceControl:
        // RCPFullAWSAccess is attached to every root, OU and account and cannot be detached: a level never lacks
        // an Allow, so RCPs only ever deny.
        break
      case .resource: verdicts.resource = summary
      case .vpcEndpoint: verdicts.vpcEndpointAllows = summary.hasAllow
      case .identity: verdicts.identityAllows = summary.hasAllow
      case .permissionsBoundary: verdicts.boundaryAllows = summary.hasAllow
      case .session: verdicts.sessionAllows = summary.hasAllow
      }
      return !(stopAtDeny && summary.hasDeny)
    }
    if appliesServiceControl(request) {
      for step in serviceControl where !take(step) { return verdicts }
    }
    if appliesResourceControl(request) {
      for step in resourceControl where !take(step) { return verdicts }
    }
    if let resource, !take(resource) { return verdicts }
    if let vpcEndpoint, appliesVPCEndpoint(request), !take(vpcEndpoint) { return verdicts }
    if !take(identity) { return verdicts }
    if let boundary, !take(boundary) { return verdicts }
    if let session, !take(session) { return verdicts }
    return verdicts
  }

  /// The decision from the layers' verdicts: AWS's flowchart, step by step.
  func decide(_ request: PreparedRequest, _ verdicts: LayerVerdicts) -> Outcome {
    // GetCallerIdentity: "No permissions are required to perform this operation. If an administrator attaches a
    // policy to your identity that explicitly denies access to the sts:GetCallerIdentity action, you can still
    // perform this operation."
    if request.needsNoPermission { return Outcome(.allowed, .identity, .noPermissionRequired) }
    // 1. "An explicit deny in any of these policies overrides the allow."
    if let denying = verdicts.deny { return Outcome(.explicitDeny, denying, .explicitDeny) }
    // 2. Every SCP level must allow (RCP levels always do: see `verdicts`).
    if let level = verdicts.serviceControlWithoutAllow {
      return Outcome(.implicitDeny, level, .serviceControlLevelWithoutAllow)
    }
    // 3. Through a VPC endpoint, its policy must allow too: "All types of policies — IAM user policies, endpoint
    // policies, S3 bucket policies, and Amazon S3 ACL policies (if any) — must grant the necessary permissions".
    if verdicts.vpcEndpointAllows == false { return Outcome(.implicitDeny, .vpcEndpoint, .vpcEndpointWithoutAllow) }
    let kind = request.principal.kind
    if kind == .anonymous {
      // Only a resource-based policy can allow a caller that signs nothing, through a statement naming everyone.
      guard verdicts.resource?.hasAllow == true else {
        return Outcome(.implicitDeny, .resource, .anonymousWithoutPublicAllow)
      }
      return Outcome(.allowed, .resource, .resourceGrantsAnonymous)
    }
    let identityAllows = kind == .root || verdicts.identityAllows
    let boundaryAllows = verdicts.boundaryAllows ?? true
    // GetFederationToken: "If you do not pass a policy to this operation, the resulting federated user session has
    // no permissions."
    let sessionAllows = verdicts.sessionAllows ?? (kind != .federatedUser)
    if request.isCrossAccount {
      // 3. Across accounts the resource's account must allow through its resource-based policy.
      guard verdicts.resource?.hasAllow == true else {
        return Outcome(
          .implicitDeny, .resource,
          verdicts.resource == nil && request.requiresResourcePolicyAllow
            ? .resourcePolicyMissing : .crossAccountWithoutResourceAllow)
      }
    } else if let resource = verdicts.resource {
      // 3. A same-account grant that names the caller itself (or everyone) needs no identity allow; one that names
      // the caller's role is still limited by the boundary and the session policy.
      switch resource.bestAllowPrincipal {
      case .direct?: return Outcome(.allowed, .resource, .resourceGrantsDirectly)
      case .role? where boundaryAllows && sessionAllows: return Outcome(.allowed, .resource, .resourceGrantsToRole)
      default: break
      }
      // Key policies and trust policies must allow explicitly: "Without permission from the key policy, IAM
      // policies that allow permissions have no effect."
      if !resource.hasAllow && request.requiresResourcePolicyAllow {
        return Outcome(.implicitDeny, .resource, .resourcePolicyMustAllow)
      }
    } else if request.requiresResourcePolicyAllow && !assumesOwnPolicyDelegatesToAccount {
      return Outcome(.implicitDeny, .resource, .resourcePolicyMissing)
    }
    // 4–6. The caller's own side: identity policies, then the boundary, then the session policy.
    guard identityAllows else { return Outcome(.implicitDeny, .identity, .identityWithoutAllow) }
    guard boundaryAllows else { return Outcome(.implicitDeny, .permissionsBoundary, .boundaryWithoutAllow) }
    guard sessionAllows else {
      return verdicts.sessionAllows == nil
        ? Outcome(.implicitDeny, .session, .federatedWithoutSessionPolicy)
        : Outcome(.implicitDeny, .session, .sessionWithoutAllow)
    }
    return Outcome(.allowed, .identity, kind == .root ? .rootUser : .identityAllows)
  }
}

/// What the flow reads from the layers that took part.
struct LayerVerdicts {
  /// The first layer, in flow order, where a Deny applied.
  var deny: Layer?
  /// The first SCP level without an applying Allow.
  var serviceControlWithoutAllow: Layer?
  /// The resource layer, when there is a resource policy.
  var resource: LayerSummary?
  var identityAllows = false
  /// `nil` when there is no permissions boundary.
  var boundaryAllows: Bool?
  /// `nil` when there is no session policy.
  var sessionAllows: Bool?
  /// `nil` when the request does not go through a VPC endpoint with a policy.
  var vpcEndpointAllows: Bool?
}

/// The decision, the layer that made it, and the rule it followed.
struct Outcome {
  var decision: Decision
  var layer: Layer
  var rule: DecisionRule

  init(_ decision: Decision, _ layer: Layer, _ rule: DecisionRule) {
    self.decision = decision
    self.layer = layer
    self.rule = rule
  }
}
