/// One value of an `Action` element, compiled: `*`, or a service prefix and a name pattern.
///
/// Service prefix and action name compare regardless of case (rule M-2).
public struct ActionPattern: Sendable, Hashable, CustomStringConvertible {
  /// The value as written.
  public let source: String
  /// The lower-cased service prefix; empty for `*`.
  public let service: String
  /// The name pattern, case-insensitive; `nil` for `*`.
  public let name: WildcardPattern?

  /// Compiles an action value; returns a message when it is not a valid action (rule G-8).
  public static func compile(_ text: String) -> Result<ActionPattern, ActionPatternError> {
    if text == "*" { return .success(ActionPattern(source: text, service: "", name: nil)) }
    return compileASCII(text) ?? compileGeneral(text)
  }

  /// ``compile(_:)`` for any text other than `*`, Character by Character.
  static func compileGeneral(_ text: String) -> Result<ActionPattern, ActionPatternError> {
    let parts = text.split(separator: ":", omittingEmptySubsequences: false)
    guard parts.count == 2 else {
      return .failure(.init(message: parts.count > 2
        ? "the action `\(text)` has more than one colon; actions can contain only one colon"
        : "the action `\(text)` is not of the form `service:action`"))
    }
    let service = parts[0]
    guard !service.isEmpty, !parts[1].isEmpty else {
      return .failure(.init(message: "the action `\(text)` is not of the form `service:action`"))
    }
    guard !service.contains("*"), !service.contains("?") else {
      return .failure(.init(message: "the service prefix of `\(text)` contains a wildcard; action vendors must not contain wildcards"))
    }
    guard service.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else {
      return .failure(.init(message: "the service prefix of `\(text)` may hold only letters, digits and `-`"))
    }
    if text.contains("${") {
      return .failure(.init(message: "the action `\(text)` holds a policy variable; policy variables are supported in the Resource and Condition elements only"))
    }
    return .success(ActionPattern(
      source: text, service: service.lowercased(), name: WildcardPattern(String(parts[1]), ignoringASCIICase: true)))
  }

  /// ``compile(_:)`` for ASCII text, byte by byte (the common case: it avoids Character properties and a
  /// Foundation substring search); `nil` for any other text, which takes the general path.
  static func compileASCII(_ text: String) -> Result<ActionPattern, ActionPatternError>? {
    var contiguous = text
    return contiguous.withUTF8 { bytes -> Result<ActionPattern, ActionPatternError>? in
      guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
      let colon = UInt8(ascii: ":")
      var split = -1
      var colons = 0
      var holdsVariable = false
      for (offset, byte) in bytes.enumerated() {
        if byte == colon {
          colons += 1
          if split < 0 { split = offset }
        } else if byte == UInt8(ascii: "{") && offset > 0 && bytes[offset - 1] == UInt8(ascii: "$") {
          holdsVariable = true
        }
      }
      guard colons == 1 else {
        return .failure(.init(message: colons > 1
          ? "the action `\(text)` has more than one colon; actions can contain only one colon"
          : "the action `\(text)` is not of the form `service:action`"))
      }
      let service = UnsafeBufferPointer(rebasing: bytes[..<split])
      let name = UnsafeBufferPointer(rebasing: bytes[(split + 1)...])
      guard !service.isEmpty, !name.isEmpty else {
        return .failure(.init(message: "the action `\(text)` is not of the form `service:action`"))
      }
      guard !service.contains(UInt8(ascii: "*")), !service.contains(UInt8(ascii: "?")) else {
        return .failure(.init(message: "the service prefix of `\(text)` contains a wildcard; action vendors must not contain wildcards"))
      }
      guard service.allSatisfy({ isAlphanumeric($0) || $0 == UInt8(ascii: "-") }) else {
        return .failure(.init(message: "the service prefix of `\(text)` may hold only letters, digits and `-`"))
      }
      if holdsVariable {
        return .failure(.init(message: "the action `\(text)` holds a policy variable; policy variables are supported in the Resource and Condition elements only"))
      }
      return .success(ActionPattern(
        source: text, service: String(decoding: service.map(asciiLowercase), as: UTF8.self),
        name: WildcardPattern(String(decoding: name, as: UTF8.self), ignoringASCIICase: true)))
    }
  }

  /// Whether this pattern is `*`.
  public var matchesEverything: Bool { name == nil }

  /// Whether the pattern matches an action given as a lower-cased service and lower-cased name.
  ///
  /// - Complexity: O(n) in the name's length for the common pattern shapes.
  public func matches(service requestService: String, lowercasedName: UnsafeBufferPointer<UInt8>) -> Bool {
    guard let name else { return true }
    return service == requestService && name.matches(utf8: lowercasedName)
  }

  public var description: String { source }
}

/// Why an action value is invalid.
public struct ActionPatternError: Error, Sendable, Hashable {
  /// What is wrong.
  public let message: String
}
