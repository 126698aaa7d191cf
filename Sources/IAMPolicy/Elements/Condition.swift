/// One condition of a statement: an operator, a context key and the policy's values.
public struct Condition: Sendable, Hashable {
  /// The operator.
  public var conditionOperator: ConditionOperator
  /// The key as written, such as `aws:PrincipalTag/Department`.
  public var key: String
  /// The key lower-cased, as looked up in the request context (keys are case-insensitive).
  public var lookupKey: String
  /// The policy values: any one of them may match (none, for negated operators).
  public var values: [ConditionValue]
  /// The JSON path of the key, such as `$.Statement[0].Condition.StringEquals["aws:TagKeys"]`.
  public var path: JSONPath
  /// Where the key is written.
  public var position: SourcePosition
  /// Why the condition cannot be evaluated as written although IAM accepts the policy (a value of the wrong type
  /// for its operator, which Access Analyzer reports as not functional), or `nil`. The engine fails such a
  /// condition closed: its statement's Allow does not apply, its Deny does.
  public var unusableReason: String? = nil
}

/// A policy value of a condition, read once for its operator.
public struct ConditionValue: Sendable, Hashable {
  /// The value as a string (JSON numbers and booleans normalised to their text).
  public var text: String
  /// The value with its policy variables, for String and ARN operators.
  public var template: VariableTemplate
  /// The value read for the operator.
  public var parsed: Parsed

  /// A value read for its operator's family.
  public enum Parsed: Sendable, Hashable {
    /// Compared as text (String operators, and any value holding variables).
    case text
    /// A compiled wildcard pattern (Like operators without variables).
    case pattern(WildcardPattern)
    case number(DecimalNumber)
    case date(DateValue)
    case bool(Bool)
    case binary([UInt8])
    case ipRange(IPAddressRange)
    /// A compiled ARN pattern (ARN operators without variables).
    case arn(ARNPattern)
  }
}
