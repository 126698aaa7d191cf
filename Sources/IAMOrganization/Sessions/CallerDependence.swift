import IAMEvaluation

/// What of the caller a policy set reads, beyond what all sessions of the same permission set in accounts with
/// the same control policies share: decides whether one decision can stand for all of them.
public enum CallerDependence: Sendable, Hashable {
  /// Nothing: one decision stands for every caller of the set.
  case none
  /// Only these principal tags (lower-cased keys): one decision per combination of their values.
  case tags(Set<String>)
  /// The caller's ARN, account, user ID, resource account, or a Principal element: one decision per caller.
  case everything

  /// The dependence of a policy set, from its condition keys, policy variables and Principal elements.
  public init(_ policies: PolicySet) {
    var tags: Set<String> = []
    var everything = policies.resourcePolicy != nil
    func classify(_ key: String) {
      let key = key.lowercased()
      if key.hasPrefix("aws:principaltag/") {
        tags.insert(String(key.dropFirst("aws:principaltag/".count)))
      } else if Self.callerKeys.contains(key) || Self.callerPrefixes.contains(where: key.hasPrefix) {
        everything = true
      }
    }
    let documents = policies.identityPolicies + [policies.permissionsBoundary, policies.sessionPolicy].compactMap { $0 }
      + policies.serviceControlPolicies.flatMap { $0 } + policies.resourceControlPolicies.flatMap { $0 }
    for statement in documents.flatMap(\.statements) {
      if statement.principal != nil && statement.principal?.values != [.anyone] { everything = true }
      for condition in statement.conditions {
        classify(condition.key)
        for value in condition.values { value.template.variableKeys.forEach(classify) }
      }
      for pattern in statement.resource?.patterns ?? [] { pattern.variableKeys.forEach(classify) }
    }
    self = everything ? .everything : tags.isEmpty ? .none : .tags(tags)
  }

  /// The key under which the audit of a session can be shared with every session that has the same key: the policy
  /// key (``Organization/policyKey(permissionSet:account:resourceOwner:controlPath:)``), the account when a Resource
  /// names a concrete account (``namesAccounts(_:)``), and the values of the principal tags the policies read. `nil`
  /// when they read more of the caller: the session is audited on its own. `access`, `audit --org`, `review` and
  /// the diff in people share audits by it.
  public func auditKey(
    _ policyKey: String, namesAccounts: Bool, account: String, tags: () -> [(key: String, value: String)]
  ) -> String? {
    let key = namesAccounts ? policyKey + "\u{0}" + account : policyKey
    switch self {
    case .none: return key
    case .tags(let keys): return key + "\u{0}" + CallerDependence.tagValues(keys, in: tags())
    case .everything: return nil
    }
  }

  /// The values the principal tags `keys` (lower-cased) have among `tags` (of two keys equal regardless of case, the
  /// later), as one string: equal for two callers exactly when policies that read only these tags see the same.
  public static func tagValues(_ keys: Set<String>, in tags: [(key: String, value: String)]) -> String {
    keys.sorted().map { key in key + "=" + (tags.last { $0.key.lowercased() == key }?.value ?? "\u{1}") }
      .joined(separator: "\u{0}")
  }

  /// Whether a `Resource` or `NotResource` of the policies names a concrete account in an ARN
  /// (`arn:aws:rds:*:111122223333:db:*`): what they grant on resources of the caller's own account then depends on
  /// which account that is, so an audit of one account's session does not stand for another's.
  public static func namesAccounts(_ policies: PolicySet) -> Bool {
    let documents =
      policies.identityPolicies + [policies.permissionsBoundary, policies.sessionPolicy].compactMap { $0 }
      + policies.serviceControlPolicies.flatMap { $0 } + policies.resourceControlPolicies.flatMap { $0 }
    return documents.contains { document in
      document.statements.contains { statement in
        (statement.resource?.patterns ?? []).contains { pattern in
          let fields = pattern.source.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
          guard fields.count > 4, fields[0] == "arn" else { return false }
          return fields[4].contains { $0 != "*" && $0 != "?" }
        }
      }
    }
  }

  /// Keys whose value differs between callers that share a policy set (lower-cased).
  static let callerKeys: Set<String> = [
    "aws:principalarn", "aws:principalaccount", "aws:userid", "aws:username", "aws:principaltype", "aws:tokenissuetime",
    "aws:sourceidentity", "aws:principalisawsservice", "aws:principalservicename", "aws:principalservicenameslist",
  ]
  static let callerPrefixes = ["aws:resource", "aws:source", "aws:federated", "identitystore:", "saml:", "sts:", "aws:principalorg"]
}
