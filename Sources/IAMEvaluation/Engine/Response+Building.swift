import IAMPolicy

extension Response {
  /// Builds the response of a detailed evaluation.
  init(
    request: borrowing PreparedRequest, outcome: Outcome, layers: UnsafeBufferPointer<LayerEvaluation>,
    flowNotes: borrowing [Diagnostic], missingKeys: borrowing [String: String], missedWildcardResource: Bool,
    explain: Bool
  ) {
    let determiningStatements: [StatementReference]
    let reason: String
    // Positions, found by index rather than through closures, which copy (and retain) each layer they are passed.
    var deciding: Int?
    var resourceLayer: Int?
    var denying = 0
    var quiet = true
    for index in 0..<layers.count {
      if deciding == nil && layers[index].layer == outcome.layer { deciding = index }
      if resourceLayer == nil && layers[index].layer == .resource { resourceLayer = index }
      if !layers[index].denies.isEmpty { denying += 1 }
      if layers[index].extras != nil { quiet = false }
    }
    /// The Allow statements of the layer at `index`, if there is one.
    func allows(_ index: Int?) -> [StatementReference] { index.map { layers[$0].allows } ?? [] }
    let action = request.request.action
    switch outcome.rule {
    case .noPermissionRequired:
      determiningStatements = []
      reason = "`\(action)` needs no permission: AWS answers it even when a policy denies it explicitly"
    case .explicitDeny:
      // The denies of every layer in order; the one layer's own array (no copy) when only one layer denies.
      determiningStatements =
        denying == 1 ? layers[layers.firstIndex { !$0.denies.isEmpty }!].denies : layers.flatMap(\.denies)
      reason = "explicitly denied by a Deny statement in \(outcome.layer)"
    case .serviceControlLevelWithoutAllow:
      determiningStatements = []
      reason = "no statement in \(outcome.layer) allows it, and every SCP level must allow"
    case .crossAccountWithoutResourceAllow:
      determiningStatements = []
      reason = resourceLayer != nil
        ? "the resource belongs to account \(request.resourceAccount); its resource-based policy must allow the caller, and it does not"
        : "the resource belongs to account \(request.resourceAccount) and no resource-based policy grants the caller access across accounts (give it with --resource-policy, or `resourcePolicy` in a case file)"
    case .resourcePolicyMissing:
      determiningStatements = []
      reason = "`\(request.request.resource)` must be allowed by its own \(Response.ownPolicyName(request)), and none was given: without it, identity-based policies that allow have no effect (give it with --resource-policy, or `resourcePolicy` in a case file)"
    case .resourcePolicyMustAllow:
      determiningStatements = []
      reason = "`\(request.request.resource)` must be allowed by its own \(Response.ownPolicyName(request)), and it does not allow the caller"
    case .resourceGrantsDirectly:
      determiningStatements = allows(deciding)
      reason = "the resource-based policy in the same account grants it to the caller directly"
    case .resourceGrantsToRole:
      determiningStatements = allows(deciding)
      reason = "the resource-based policy in the same account grants it to the caller's role, and the boundary and session policy allow it"
    case .identityWithoutAllow:
      determiningStatements = []
      reason = "no statement in the identity-based policies allows it"
    case .boundaryWithoutAllow:
      determiningStatements = []
      reason = Response.grantedToRole(resourceLayer.map { layers[$0].bestAllowPrincipal } ?? nil, request)
        ? "the resource-based policy grants it to the caller's role, but the permissions boundary does not allow it, and a grant to a role is limited by the boundary"
        : "the identity-based policies allow it, but the permissions boundary does not"
    case .sessionWithoutAllow:
      determiningStatements = []
      reason = Response.grantedToRole(resourceLayer.map { layers[$0].bestAllowPrincipal } ?? nil, request)
        ? "the resource-based policy grants it to the caller's role, but the session policy does not allow it, and a grant to a role is limited by the session policy"
        : "the identity-based policies allow it, but the session policy does not"
    case .federatedWithoutSessionPolicy:
      determiningStatements = []
      reason = "a federated-user session (GetFederationToken) without a session policy has no permissions, whatever the user's policies allow (give one with --session-policy)"
    case .rootUser:
      determiningStatements = []
      reason = "the account's root user is allowed whatever the identity-based policies say"
    case .vpcEndpointWithoutAllow:
      determiningStatements = []
      reason = "the request goes through a VPC endpoint (aws:SourceVpce), and no statement of the endpoint's policy allows it: an endpoint policy must allow as well"
    case .anonymousWithoutPublicAllow:
      determiningStatements = []
      reason = resourceLayer != nil
        ? "the caller is anonymous, and no statement of the resource-based policy that names everyone (\"Principal\": \"*\") allows it"
        : "the caller is anonymous, and only a resource-based policy that names everyone (\"Principal\": \"*\") can allow it; none was given"
    case .resourceGrantsAnonymous:
      determiningStatements = allows(deciding)
      reason = "the resource-based policy grants it to everyone, anonymous callers included"
    case .identityAllows:
      // The identity layer's own array (no copy) unless the resource layer's allows join it.
      let identityAllows = allows(deciding)
      let resourceAllows = request.isCrossAccount ? allows(resourceLayer) : []
      determiningStatements = resourceAllows.isEmpty ? identityAllows : identityAllows + resourceAllows
      reason = request.isCrossAccount
        ? "allowed in both accounts: the identity-based policies and the resource-based policy allow it"
        : "an identity-based policy allows it and nothing denies it"
    }
    let notes = Response.notes(
      for: request, outcome: outcome, layers: layers, missedWildcardResource: missedWildcardResource)
    // Every field at once, as the memberwise initializer does: assigned one by one, the response was built in a
    // temporary and copied out.
    self.init(
      decision: outcome.decision, decidingLayer: outcome.layer, rule: outcome.rule, reason: reason,
      determiningStatements: determiningStatements,
      layers: layers.count == 1 ? layers[0].soleResult ?? [layers[0].result] : layers.map(\.result),
      // Most responses have nothing more to say: no arrays are joined and sorted, and no details are made, for them.
      details: missingKeys.isEmpty && flowNotes.isEmpty && notes.isEmpty && quiet && !explain
        ? nil
        : Details.make(
          missingKeys.sorted { $0.key < $1.key }.map(\.value),
          flowNotes.isEmpty && notes.isEmpty && quiet
            ? [] : (layers.flatMap(\.problemsAndNotes) + flowNotes + notes).sorted(),
          explain ? Response.explanation(layers, deciding: outcome) : nil, nil))
  }

  /// What the resource's own policy is called: a key policy, or a trust policy.
  private static func ownPolicyName(_ request: PreparedRequest) -> String {
    request.service == "kms" ? "key policy" : "role trust policy"
  }

  /// Whether an Allow of the same-account resource policy names the caller's role (and so is cut by the boundary
  /// and the session policy).
  private static func grantedToRole(_ resourceAllowPrincipal: PrincipalMatch?, _ request: PreparedRequest) -> Bool {
    !request.isCrossAccount && resourceAllowPrincipal == .role
  }

  private static func explanation(_ layers: UnsafeBufferPointer<LayerEvaluation>, deciding: Outcome) -> Explanation {
    let statements = layers.flatMap(\.statements)
    guard deciding.decision == .implicitDeny else { return Explanation(statements: statements) }
    let candidates = statements.filter {
      $0.statement.effect == .allow && $0.mismatch != nil && $0.statement.layer == deciding.layer
    }
    let nearest = candidates.max { ($0.mismatch?.progress ?? 0) < ($1.mismatch?.progress ?? 0) }
    return Explanation(statements: statements, nearestAllow: nearest)
  }

  /// Caveats the policies alone cannot settle (rules E-10, M-6), and layers that did not take part.
  private static func notes(
    for request: PreparedRequest, outcome: Outcome, layers: UnsafeBufferPointer<LayerEvaluation>,
    missedWildcardResource: Bool
  ) -> [Diagnostic] {
    var notes: [Diagnostic] = []
    let decision = outcome.decision
    let resource = request.request.resource
    if outcome.rule == .noPermissionRequired && layers.contains(where: \.hasDeny) {
      notes.append(
        Diagnostic(
          "evaluation.no-permission-required", .note,
          "a Deny statement applies to `\(request.request.action)`, but AWS answers it without checking permissions (STS API reference: \"If an administrator attaches a policy to your identity that explicitly denies access to the sts:GetCallerIdentity action, you can still perform this operation\")"))
    }
    if request.isIAMAction, let arn = ARN(resource), arn.resource.hasPrefix("role/aws-reserved/"),
      case let name = String(decoding: request.lowercasedName, as: UTF8.self),
      ["put", "attach", "detach", "delete", "update", "tag", "untag", "create"].contains(where: { name.hasPrefix($0) })
    {
      notes.append(
        Diagnostic(
          "evaluation.protected-role", .note,
          "`\(resource)` is an AWS-protected Identity Center role: whatever the policies decide, the call fails with UnmodifiableEntity"))
    }
    if missedWildcardResource && decision != .allowed {
      notes.append(
        Diagnostic(
          "evaluation.wildcard-only-resource", .note,
          "an Allow statement names the action but not the request's resource `*` (an action without resource-level permissions); only `\"Resource\": \"*\"` matches `*`, although AWS's documentation is inconsistent for patterns such as `arn:aws:s3:::*`: the answer depends on the service"))
    }
    return notes
  }
}
