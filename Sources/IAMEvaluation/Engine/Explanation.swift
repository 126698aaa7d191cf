/// Per-statement detail of an evaluation: what matched and what missed.
public struct Explanation: Sendable, Hashable {
  /// Every statement consulted, in layer order.
  public var statements: [StatementExplanation]
  /// For a denied request, the Allow statement that came nearest to allowing it.
  public var nearestAllow: StatementExplanation?
}

/// What one statement made of a request.
public struct StatementExplanation: Sendable, Hashable {
  /// The statement.
  public var statement: StatementReference
  /// `nil` when it applied; otherwise the first element that did not match.
  public var mismatch: Mismatch?
  /// When it applied: which Action pattern named the request's action.
  public var matchedAction: String?
}

/// The element of a statement that did not match a request.
public enum Mismatch: Sendable, Hashable, CustomStringConvertible {
  case action(String)
  case resource(String)
  case principal(String)
  /// A condition that failed: operator, key, the policy's values, the request's values (`nil` when missing).
  case condition(operatorName: String, key: String, policyValues: [String], requestValues: [String]?)
  /// A request value the operator could not read; the statement failed closed.
  case unreadable(key: String, message: String)
  /// A Deny's `NotPrincipal` lists every identity AWS checks for the caller (account, role, session or user), so
  /// the caller is exempt.
  case exemptByNotPrincipal(String)
  /// An element IAM accepts but that cannot be evaluated as written; the statement failed closed.
  case unusable(String)
  /// An Allow of a public bucket policy that S3 Block Public Access's RestrictPublicBuckets sets aside for this caller.
  case restrictedPublicBucket(String)

  /// A stable name: `action`, `resource`, `principal`, `condition`, `unreadable`.
  public var kind: String {
    switch self {
    case .action: "action"
    case .resource: "resource"
    case .principal: "principal"
    case .condition: "condition"
    case .unreadable: "unreadable"
    case .exemptByNotPrincipal: "notPrincipal"
    case .unusable: "unusable"
    case .restrictedPublicBucket: "blockPublicAccess"
    }
  }

  /// How far the statement got: the larger, the nearer to applying.
  var progress: Int {
    switch self {
    case .action: 0
    case .resource: 1
    case .principal, .exemptByNotPrincipal: 2
    case .condition, .unreadable, .unusable, .restrictedPublicBucket: 3
    }
  }

  public var description: String {
    switch self {
    case .action(let action): "no Action pattern matches `\(action)`"
    case .resource(let resource): "no Resource pattern matches `\(resource)`"
    case .principal(let principal): "the Principal element does not name `\(principal)`"
    case .condition(let op, let key, let policyValues, let requestValues):
      "condition \(op) on `\(key)` failed: the policy wants \(policyValues.map { "`\($0)`" }.joined(separator: ", ")), the request has "
        + (requestValues.map { $0.map { "`\($0)`" }.joined(separator: ", ") } ?? "no such key")
    case .unreadable(let key, let message):
      key.isEmpty
        ? "\(message); the statement fails closed"
        : "the value of `\(key)` could not be read (\(message)); the statement fails closed"
    case .exemptByNotPrincipal(let principal):
      "NotPrincipal lists every identity AWS checks for `\(principal)` (its account, and its role and session or its user), so the Deny exempts it"
    case .unusable(let reason): "\(reason); the statement fails closed"
    case .restrictedPublicBucket(let why): why
    }
  }
}
