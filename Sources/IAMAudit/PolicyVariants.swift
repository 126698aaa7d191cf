import IAMEvaluation
import IAMPolicy

/// The policy sets an audit evaluates, each compiled once.
///
/// - *optimistic*: every Allow statement without its conditions, every Deny statement that has conditions
///   removed: what the policies can grant when the request's context is as favourable as it can be.
/// - *strict*: the optimistic set without the Allow statements that had conditions: what they grant whatever
///   the context.
/// - *identity only*: the optimistic identity policies' Allow statements alone, without boundary, session
///   policy, SCPs, RCPs or Deny statements: what the identity policies grant before anything cuts it.
struct PolicyVariants: Sendable {
  let optimistic: Authorizer
  /// `nil` when no Allow statement has conditions, so that the strict set is the optimistic one.
  let strict: Authorizer?
  /// `nil` when nothing but the identity policies' Allow statements takes part, so that nothing can cut.
  let identityOnly: Authorizer?
  /// The policies as written, conditions and all, when asked for and some statement has a condition: to say under
  /// which context a granted action is allowed (``GrantedAction/allowedIf``).
  let actual: Authorizer?

  init(_ policies: PolicySet, conditions: Bool = false) throws(PolicySetError) {
    var base = policies
    // An audit asks what the caller's side grants: a key or trust policy is taken to delegate to IAM policies.
    base.resourcePolicy = nil
    base.assumesOwnPolicyDelegatesToAccount = true
    let hasConditions = PolicyVariants.documents(base).contains { $0.statements.contains { !$0.conditions.isEmpty } }
    actual = conditions && hasConditions ? try Authorizer(base) : nil
    optimistic = try Authorizer(PolicyVariants.map(base) { PolicyVariants.optimistic($0) })
    let hasConditionalAllow = PolicyVariants.documents(base).contains { document in
      document.statements.contains { $0.effect == .allow && !$0.conditions.isEmpty }
    }
    strict = hasConditionalAllow ? try Authorizer(PolicyVariants.map(base) { PolicyVariants.strict($0) }) : nil
    let canCut =
      base.permissionsBoundary != nil || base.sessionPolicy != nil || !base.serviceControlPolicies.isEmpty
      || !base.resourceControlPolicies.isEmpty
      || base.identityPolicies.contains { document in
        document.statements.contains { $0.effect == .deny && $0.conditions.isEmpty }
      }
    identityOnly =
      canCut
      ? try Authorizer({
        var identityOnly = PolicySet(
          identityPolicies: base.identityPolicies.map { PolicyVariants.allowsOnly(PolicyVariants.optimistic($0)) })
        identityOnly.assumesOwnPolicyDelegatesToAccount = true
        return identityOnly
      }())
      : nil
  }

  /// Every document of a policy set.
  static func documents(_ policies: PolicySet) -> [PolicyDocument] {
    policies.identityPolicies + [policies.permissionsBoundary, policies.sessionPolicy].compactMap { $0 }
      + policies.serviceControlPolicies.flatMap { $0 } + policies.resourceControlPolicies.flatMap { $0 }
  }

  /// The policy set with every document transformed.
  static func map(_ policies: PolicySet, _ transform: (PolicyDocument) -> PolicyDocument) -> PolicySet {
    var result = policies
    result.identityPolicies = policies.identityPolicies.map(transform)
    result.permissionsBoundary = policies.permissionsBoundary.map(transform)
    result.sessionPolicy = policies.sessionPolicy.map(transform)
    result.serviceControlPolicies = policies.serviceControlPolicies.map { $0.map(transform) }
    result.resourceControlPolicies = policies.resourceControlPolicies.map { $0.map(transform) }
    return result
  }

  /// Allow statements without conditions; Deny statements with conditions dropped.
  static func optimistic(_ document: PolicyDocument) -> PolicyDocument {
    rewritten(document) { statement in
      if statement.effect == .deny { return statement.conditions.isEmpty ? statement : nil }
      var statement = statement
      statement.conditions = []
      return statement
    }
  }

  /// Only the statements without conditions.
  static func strict(_ document: PolicyDocument) -> PolicyDocument {
    rewritten(document) { $0.conditions.isEmpty ? $0 : nil }
  }

  /// Only the Allow statements.
  static func allowsOnly(_ document: PolicyDocument) -> PolicyDocument {
    rewritten(document) { $0.effect == .allow ? $0 : nil }
  }

  /// The document with its statements transformed or dropped; each keeps its index, path and position.
  static func rewritten(_ document: PolicyDocument, _ transform: (Statement) -> Statement?) -> PolicyDocument {
    PolicyDocument(
      name: document.name, kind: document.kind, version: document.version, id: document.id,
      statements: document.statements.compactMap(transform), diagnostics: document.diagnostics)
  }
}
