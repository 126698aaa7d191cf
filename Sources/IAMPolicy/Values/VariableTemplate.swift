/// A policy text that may hold policy variables such as `${aws:username}`.
///
/// Built once per policy value. Under `Version` 2012-10-17 the `${…}` forms are read
/// as variables (rule V-1…V-6); under 2008-10-17 or with no Version the whole text is literal
/// (rule G-2).
public struct VariableTemplate: Sendable, Hashable {
  /// A part of the text.
  public enum Piece: Sendable, Hashable {
    /// Policy text as written; in Like operators and ARNs its `*` and `?` are wildcards.
    case text(String)
    /// A character from `${*}`, `${?}` or `${$}`: always literal.
    case escaped(String)
    /// A variable: the lower-cased key it reads, the key as written, and its default value.
    case variable(key: String, spelled: String, defaultValue: String?)
  }

  /// The parts in order.
  public let pieces: [Piece]

  /// Whether any part is a variable.
  public var hasVariables: Bool {
    pieces.contains { if case .variable = $0 { return true } else { return false } }
  }

  /// The text as written in the policy.
  public let source: String

  /// A problem in the `${…}` syntax.
  public struct SyntaxError: Error, Sendable, Hashable {
    /// What is wrong.
    public let message: String
  }

  /// Reads a text.
  ///
  /// - Parameters:
  ///   - text: the policy value.
  ///   - substitutes: whether the policy's version substitutes variables.
  /// - Throws: ``SyntaxError`` for an unclosed, empty or malformed variable.
  public init(_ text: String, substitutes: Bool) throws(SyntaxError) {
    source = text
    guard substitutes, text.contains("${") else {
      pieces = [.text(text)]
      return
    }
    var pieces: [Piece] = []
    var literal = ""
    var rest = Substring(text)
    while let start = rest.firstRange(of: "${") {
      literal += rest[..<start.lowerBound]
      let afterOpen = rest[start.upperBound...]
      guard let close = afterOpen.firstIndex(of: "}") else {
        throw SyntaxError(message: "the policy variable is missing a closing curly brace")
      }
      let body = afterOpen[..<close]
      rest = afterOpen[afterOpen.index(after: close)...]
      switch body {
      case "*", "?", "$":
        if !literal.isEmpty { pieces.append(.text(literal)); literal = "" }
        pieces.append(.escaped(String(body)))
        continue
      case "":
        throw SyntaxError(message: "empty policy variable")
      default:
        break
      }
      var key = body
      var defaultValue: String?
      if let comma = body.firstIndex(of: ",") {
        key = body[..<comma]
        let tail = body[body.index(after: comma)...].drop { $0 == " " }
        guard tail.count >= 2, tail.first == "'", tail.last == "'" else {
          throw SyntaxError(message: "the policy variable default value must begin and end with a single quote")
        }
        defaultValue = String(tail.dropFirst().dropLast())
      }
      guard !key.contains(" "), !key.isEmpty else {
        throw SyntaxError(message: "a space is not supported within the policy variable text")
      }
      if !literal.isEmpty { pieces.append(.text(literal)); literal = "" }
      pieces.append(.variable(key: key.lowercased(), spelled: String(key), defaultValue: defaultValue))
    }
    literal += rest
    if !literal.isEmpty { pieces.append(.text(literal)) }
    self.pieces = pieces
  }

  /// The keys of the variables, lower-cased.
  public var variableKeys: [String] {
    pieces.compactMap { if case .variable(let key, _, _) = $0 { return key } else { return nil } }
  }

  /// Resolves the variables and returns wildcard pieces, or `nil` when a variable has no value (rule V-4).
  ///
  /// - Parameter value: looks up a single-valued context key by its lower-cased name.
  public func resolvedPieces(_ value: (String) -> String?) -> [WildcardPattern.Piece]? {
    var result: [WildcardPattern.Piece] = []
    result.reserveCapacity(pieces.count)
    for piece in pieces {
      switch piece {
      case .text(let text): result.append(.pattern(text))
      case .escaped(let text): result.append(.literal(text))
      case .variable(let key, _, let defaultValue):
        guard let resolved = value(key) ?? defaultValue else { return nil }
        result.append(.literal(resolved))
      }
    }
    return result
  }

  /// Resolves the variables and returns plain text, or `nil` when a variable has no value.
  public func resolvedText(_ value: (String) -> String?) -> String? {
    var result = ""
    for piece in pieces {
      switch piece {
      case .text(let text), .escaped(let text): result += text
      case .variable(let key, _, let defaultValue):
        guard let resolved = value(key) ?? defaultValue else { return nil }
        result += resolved
      }
    }
    return result
  }
}
