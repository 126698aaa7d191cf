/// A condition operator such as `ForAnyValue:StringLikeIfExists`, split into its parts (rules C-1…C-17).
public struct ConditionOperator: Sendable, Hashable, CustomStringConvertible {
  /// The set qualifier of a multivalued condition (rule C-12).
  public enum SetQualifier: String, Sendable, Hashable {
    case forAllValues = "ForAllValues"
    case forAnyValue = "ForAnyValue"
  }

  /// The comparison itself.
  public enum Base: String, Sendable, Hashable, CaseIterable {
    case stringEquals = "StringEquals"
    case stringNotEquals = "StringNotEquals"
    case stringEqualsIgnoreCase = "StringEqualsIgnoreCase"
    case stringNotEqualsIgnoreCase = "StringNotEqualsIgnoreCase"
    case stringLike = "StringLike"
    case stringNotLike = "StringNotLike"
    case numericEquals = "NumericEquals"
    case numericNotEquals = "NumericNotEquals"
    case numericLessThan = "NumericLessThan"
    case numericLessThanEquals = "NumericLessThanEquals"
    case numericGreaterThan = "NumericGreaterThan"
    case numericGreaterThanEquals = "NumericGreaterThanEquals"
    case dateEquals = "DateEquals"
    case dateNotEquals = "DateNotEquals"
    case dateLessThan = "DateLessThan"
    case dateLessThanEquals = "DateLessThanEquals"
    case dateGreaterThan = "DateGreaterThan"
    case dateGreaterThanEquals = "DateGreaterThanEquals"
    case bool = "Bool"
    case binaryEquals = "BinaryEquals"
    case ipAddress = "IpAddress"
    case notIpAddress = "NotIpAddress"
    case arnEquals = "ArnEquals"
    case arnLike = "ArnLike"
    case arnNotEquals = "ArnNotEquals"
    case arnNotLike = "ArnNotLike"
    case null = "Null"

    /// Whether the operator is true when the request value matches none of the policy values (rule C-1).
    public var isNegated: Bool {
      switch self {
      case .stringNotEquals, .stringNotEqualsIgnoreCase, .stringNotLike, .numericNotEquals, .dateNotEquals,
        .notIpAddress, .arnNotEquals, .arnNotLike:
        true
      default:
        false
      }
    }

    /// The kind of value the operator compares.
    public var family: Family {
      switch self {
      case .stringEquals, .stringNotEquals, .stringEqualsIgnoreCase, .stringNotEqualsIgnoreCase: .string
      case .stringLike, .stringNotLike: .stringLike
      case .numericEquals, .numericNotEquals, .numericLessThan, .numericLessThanEquals, .numericGreaterThan,
        .numericGreaterThanEquals:
        .numeric
      case .dateEquals, .dateNotEquals, .dateLessThan, .dateLessThanEquals, .dateGreaterThan,
        .dateGreaterThanEquals:
        .date
      case .bool: .bool
      case .binaryEquals: .binary
      case .ipAddress, .notIpAddress: .ipAddress
      case .arnEquals, .arnLike, .arnNotEquals, .arnNotLike: .arn
      case .null: .null
      }
    }

    /// Whether policy variables are substituted in this operator's values (rule C-17).
    public var acceptsVariables: Bool {
      switch family {
      case .string, .stringLike, .arn: true
      default: false
      }
    }
  }

  /// The kinds of values operators compare.
  public enum Family: Sendable, Hashable {
    case string, stringLike, numeric, date, bool, binary, ipAddress, arn, null
  }

  /// `ForAllValues` or `ForAnyValue`, if given.
  public var qualifier: SetQualifier?
  /// The comparison.
  public var base: Base
  /// Whether the operator ends in `IfExists` (rule C-3).
  public var ifExists: Bool

  /// Reads an operator name; names are case-sensitive (rule G-10). Returns `nil` for an unknown name, including a
  /// name with more than one set qualifier such as `ForAllValues:ForAnyValue:StringEquals`.
  public init?(_ name: String) {
    var rest = Substring(name)
    qualifier = ConditionOperator.leadingQualifier(of: rest)
    if let qualifier {
      rest = rest.dropFirst(qualifier.rawValue.count + 1)
      // One qualifier at most: AWS documents "the ForAllValues or ForAnyValue qualifier" on an operator.
      if ConditionOperator.leadingQualifier(of: rest) != nil { return nil }
    }
    ifExists = rest.hasSuffix("IfExists")
    if ifExists { rest = rest.dropLast("IfExists".count) }
    guard let base = Base(rawValue: String(rest)) else { return nil }
    self.base = base
  }

  /// The set qualifier that `name` starts with (followed by a colon), if any.
  static func leadingQualifier(of name: Substring) -> SetQualifier? {
    [SetQualifier.forAllValues, .forAnyValue].first { name.hasPrefix($0.rawValue + ":") }
  }

  /// Whether `name` starts with two set qualifiers, such as `ForAllValues:ForAnyValue:StringEquals`.
  public static func hasSeveralQualifiers(_ name: String) -> Bool {
    guard let first = leadingQualifier(of: Substring(name)) else { return false }
    return leadingQualifier(of: Substring(name).dropFirst(first.rawValue.count + 1)) != nil
  }

  /// The operator as written.
  public var description: String {
    (qualifier.map { $0.rawValue + ":" } ?? "") + base.rawValue + (ifExists ? "IfExists" : "")
  }
}
