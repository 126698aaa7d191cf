import IAMPolicy

extension Response {
  /// Builds the response of a detailed evaluation.
  init(request: PreparedRequest, outcome: Outcome, layers: [LayerEvaluation], matcher: StatementMatcher, explain: Bool) {
    decision = outcome.decision
    decidingLayer = outcome.layer
    let deciding = layers.first { $0.layer == outcome.layer }
    switch outcome.reason {
    case .explicitDeny:
      determiningStatements = layers.flatMap(\.denies)
      reason = "explicitly denied by a Deny statement in \(outcome.layer)"
    case .levelWithoutAllow:
      determiningStatements = []
      reason = "no statement in \(outcome.layer) allows it, and every level must allow"
    case .crossAccountWithoutResourceAllow:
      determiningStatements = []
      reason = layers.contains { $0.layer == .resource }
        ? "the resource belongs to account \(request.resourceAccount); its resource-based policy must allow the caller, and it does not"
        : "the resource belongs to account \(request.resourceAccount) and no resource-based policy grants the caller access across accounts"
    case .resourceGrantsDirectly:
      determiningStatements = deciding?.allows ?? []
      reason = "the resource-based policy in the same account grants it to the caller directly"
    case .resourceGrantsToRole:
      determiningStatements = deciding?.allows ?? []
      reason = "the resource-based policy in the same account grants it to the caller's role, and the boundary and session policy allow it"
    case .resourcePolicyMustAllow:
      determiningStatements = []
      reason = "this resource's own policy (key policy or trust policy) must allow the caller, and it does not"
    case .identityWithoutAllow:
      determiningStatements = []
      reason = "no statement in the identity-based policies allows it"
    case .boundaryWithoutAllow:
      determiningStatements = []
      reason = "the identity-based policies allow it, but the permissions boundary does not"
    case .sessionWithoutAllow:
      determiningStatements = []
      reason = "the identity-based policies allow it, but the session policy does not"
    case .rootUser:
      determiningStatements = []
      reason = "the account's root user is allowed whatever the identity-based policies say"
    case .identityAllows:
      let resourceAllows = layers.first { $0.layer == .resource }?.allows ?? []
      determiningStatements = (deciding?.allows ?? []) + (request.isCrossAccount ? resourceAllows : [])
      reason = request.isCrossAccount
        ? "allowed in both accounts: the identity-based policies and the resource-based policy allow it"
        : "an identity-based policy allows it and nothing denies it"
    }
    self.layers = layers.map { LayerResult(layer: $0.layer, verdict: $0.verdict, statements: $0.hasDeny ? $0.denies : $0.allows) }
    missingContextKeys = matcher.missingKeys.sorted { $0.lowercased() < $1.lowercased() }
    let notes = Response.notes(
      for: request, decision: outcome.decision, missedWildcardResource: matcher.allowMissedWildcardResource)
    diagnostics = (layers.flatMap(\.problems) + notes).sorted()
    explanation = explain ? Response.explanation(layers, deciding: outcome) : nil
  }

  private static func explanation(_ layers: [LayerEvaluation], deciding: Outcome) -> Explanation {
    let statements = layers.flatMap(\.statements)
    guard deciding.decision == .implicitDeny else { return Explanation(statements: statements) }
    let candidates = statements.filter {
      $0.statement.effect == .allow && $0.mismatch != nil && $0.statement.layer == deciding.layer
    }
    let nearest = candidates.max { ($0.mismatch?.progress ?? 0) < ($1.mismatch?.progress ?? 0) }
    return Explanation(statements: statements, nearestAllow: nearest)
  }

  /// Caveats the policies alone cannot settle (rules E-10, M-6).
  private static func notes(for request: PreparedRequest, decision: Decision, missedWildcardResource: Bool) -> [Diagnostic] {
    var notes: [Diagnostic] = []
    let resource = request.request.resource
    if request.service == "iam", let arn = ARN(resource), arn.resource.hasPrefix("role/aws-reserved/"),
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
