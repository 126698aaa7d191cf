/// One statement of a policy: effect, principal, action, resource and condition.
public struct Statement: Sendable, Hashable {
  /// Whether a statement allows or denies.
  public enum Effect: String, Sendable, Hashable {
    case allow = "Allow"
    case deny = "Deny"
  }

  /// The position of the statement in its policy, counted from 0.
  public var index: Int
  /// The `Sid`, if any.
  public var sid: String?
  /// Allow or deny.
  public var effect: Effect
  /// `Principal` or `NotPrincipal`; `nil` for policy kinds that have none.
  public var principal: PrincipalClause?
  /// `Action` or `NotAction`.
  public var action: ActionClause
  /// `Resource` or `NotResource`; `nil` in a resource policy that leaves it out (the attached resource).
  public var resource: ResourceClause?
  /// The conditions, all of which must hold.
  public var conditions: [Condition]
  /// The statement's JSON path, such as `$.Statement[2]`.
  public var path: JSONPath
  /// Where the statement starts.
  public var position: SourcePosition
  /// Why the statement cannot be evaluated as written although IAM accepts the policy (an element Access Analyzer
  /// reports as not functional), or `nil`. The engine fails such a statement closed once its action matches:
  /// an Allow does not apply, a Deny does.
  public var unusableReason: String? = nil

  /// The statement's name for explanations: its Sid, or `#index`.
  public var label: String { sid.map { "\"\($0)\"" } ?? "#\(index)" }
}

/// The `Action` or `NotAction` element of a statement.
public struct ActionClause: Sendable, Hashable {
  /// Whether this is `NotAction`.
  public var isNegated: Bool
  /// The patterns, in document order.
  public var patterns: [ActionPattern]
}

/// The `Resource` or `NotResource` element of a statement.
public struct ResourceClause: Sendable, Hashable {
  /// Whether this is `NotResource`.
  public var isNegated: Bool
  /// The patterns, in document order.
  public var patterns: [ResourcePattern]
}

/// The `Principal` or `NotPrincipal` element of a statement.
public struct PrincipalClause: Sendable, Hashable {
  /// Whether this is `NotPrincipal`.
  public var isNegated: Bool
  /// The principals named; `[.anyone]` for `"*"`.
  public var values: [PrincipalValue]
  /// The element's JSON path.
  public var path: JSONPath
}
