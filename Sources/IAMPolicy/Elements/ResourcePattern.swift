/// One value of a `Resource` element, compiled once: `*`, a fixed ARN pattern, or an ARN
/// pattern with policy variables that is completed for each request (rule V-3).
public struct ResourcePattern: Sendable, Hashable, CustomStringConvertible {
  /// How the value matches.
  public enum Matcher: Sendable, Hashable {
    /// `*`: every resource, including `*`.
    case anything
    /// An ARN pattern without variables.
    case arn(ARNPattern)
    /// An ARN pattern whose resource part holds variables.
    case template(VariableTemplate)
  }

  /// The value as written.
  public let source: String
  /// How it matches.
  public let matcher: Matcher

  /// Creates a pattern.
  public init(source: String, matcher: Matcher) {
    self.source = source
    self.matcher = matcher
  }

  /// The variable keys the pattern reads, lower-cased.
  public var variableKeys: [String] {
    if case .template(let template) = matcher { return template.variableKeys }
    return []
  }

  /// Whether the pattern matches `name`; `false` when a variable has no value (rule V-4).
  ///
  /// - Parameter value: looks up a single-valued context key by its lower-cased name.
  /// - Complexity: O(n) in the name's length; a template is resolved per call (on the stack when it is ASCII).
  public func matches(_ name: ResourceName, value: (String) -> String?) -> Bool {
    switch matcher {
    case .anything:
      return true
    case .arn(let pattern):
      return pattern.matches(name)
    case .template(let template):
      return template.matchesARN(name, value: value)
    }
  }

  public var description: String { source }
}
