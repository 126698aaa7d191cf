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

  /// For a template whose first five colons are in its leading policy text (as the grammar requires of a
  /// Resource): the first five parts compiled once, and the template of the resource part.
  private let split: SplitTemplate?

  private final class SplitTemplate: Sendable {
    /// Whether the first part matches `arn`; when it does not, the template never builds an ARN pattern.
    let isARN: Bool
    let parts: [WildcardPattern]
    let resourcePart: VariableTemplate

    init(isARN: Bool, parts: [WildcardPattern], resourcePart: VariableTemplate) {
      self.isARN = isARN
      self.parts = parts
      self.resourcePart = resourcePart
    }
  }

  public static func == (lhs: ResourcePattern, rhs: ResourcePattern) -> Bool {
    lhs.source == rhs.source && lhs.matcher == rhs.matcher
  }

  public func hash(into hasher: inout Hasher) {
    hasher.combine(source)
    hasher.combine(matcher)
  }

  /// Creates a pattern.
  public init(source: String, matcher: Matcher) {
    self.source = source
    self.matcher = matcher
    split = if case .template(let template) = matcher { ResourcePattern.split(template) } else { nil }
  }

  /// Splits a template as `ARNPattern(pieces:)` splits its resolved pieces, when the leading text is ASCII and
  /// holds five colons: the five parts before them are constant, and later colons belong to the resource part.
  private static func split(_ template: VariableTemplate) -> SplitTemplate? {
    guard case .text(let leading)? = template.pieces.first, leading.utf8.allSatisfy({ $0 < 0x80 }) else { return nil }
    let fields = leading.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
    guard fields.count == 6 else { return nil }
    let parts = fields.prefix(5).map { WildcardPattern(pieces: $0.isEmpty ? [] : [.pattern(String($0))]) }
    let rest = String(fields[5])
    let pieces = (rest.isEmpty ? [] : [VariableTemplate.Piece.text(rest)]) + template.pieces.dropFirst()
    return SplitTemplate(
      isARN: parts[0].matches("arn"), parts: parts, resourcePart: VariableTemplate(pieces: pieces, source: template.source))
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
    matches(name, hashedValue: { value($0.text) })
  }

  /// ``matches(_:value:)`` with the variables looked up by their hashed keys.
  package func matches(_ name: ResourceName, hashedValue value: (HashedKey) -> String?) -> Bool {
    switch matcher {
    case .anything:
      return true
    case .arn(let pattern):
      return pattern.matches(name)
    case .template(let template):
      guard let split else { return template.matchesARN(name, value: value) }
      guard split.isARN, name.isARN else { return false }
      // The constant parts first: a resource of another service or account fails before anything is resolved.
      let matched = name.withBytes { bytes -> Bool? in
        for (index, part) in split.parts.enumerated()
        where !part.matches(utf8: UnsafeBufferPointer(rebasing: bytes[name.partRange(index)])) {
          return false
        }
        let resourcePart = UnsafeBufferPointer(rebasing: bytes[name.partRange(5)])
        let resolution = split.resourcePart.withResolvedBytes(value, wildcards: true) { pattern, _ -> Bool? in
          WildcardPattern.globMatch(pattern: pattern, text: resourcePart)
        }
        switch resolution {
        case .resolved(let matched): return matched
        case .unresolved: return false
        case .tooLong: return nil
        }
      }
      return matched ?? template.matchesARN(name, value: value)
    }
  }

  public var description: String { source }
}
