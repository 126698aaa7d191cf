/// A compiled IAM wildcard pattern: `*` matches any run of characters (also none),
/// `?` matches exactly one character, and every other character matches itself.
///
/// There are no character classes and no escapes in pattern text; a literal `*` or `?`
/// (from the policy variables `${*}` and `${?}`, or from a substituted value) is built with
/// ``init(pieces:ignoringASCIICase:)``. Matching works on UTF-8 bytes; `?` consumes one
/// whole Unicode scalar. Internally the wildcards are the bytes 0xFF and 0xFE, which never
/// occur in UTF-8, so literal `*` and `?` stay distinct from wildcards.
public struct WildcardPattern: Sendable, Hashable, CustomStringConvertible {
  /// How the pattern is matched, chosen once so that common shapes skip the general loop.
  @usableFromInline enum Shape: Sendable, Hashable {
    /// `*` alone.
    case anything
    /// No wildcard at all.
    case exact
    /// A literal followed by one trailing `*`, such as `Describe*`.
    case prefix
    /// Anything else.
    case general
  }

  /// The pattern as written.
  public let source: String
  /// Whether ASCII letters match regardless of case.
  public let ignoresASCIICase: Bool
  @usableFromInline let bytes: [UInt8]
  @usableFromInline let shape: Shape

  /// Compiles a pattern.
  ///
  /// - Parameters:
  ///   - pattern: the pattern text.
  ///   - ignoringASCIICase: match ASCII letters regardless of case (action names).
  public init(_ pattern: String, ignoringASCIICase: Bool = false) {
    self.init(pieces: [.pattern(pattern)], ignoringASCIICase: ignoringASCIICase)
  }

  /// A part of a pattern: text whose `*` and `?` are wildcards, or text matched literally.
  public enum Piece: Sendable, Hashable {
    /// Text in which `*` and `?` are wildcards.
    case pattern(String)
    /// Text matched character for character.
    case literal(String)
  }

  /// Compiles a pattern from pieces, some of them literal.
  public init(pieces: [Piece], ignoringASCIICase: Bool = false) {
    var bytes: [UInt8] = []
    var source = ""
    var stars = 0
    var hasQuestion = false
    for piece in pieces {
      switch piece {
      case .pattern(let text):
        source += text
        for byte in text.utf8 {
          switch byte {
          case UInt8(ascii: "*"):
            bytes.append(star)
            stars += 1
          case UInt8(ascii: "?"):
            bytes.append(question)
            hasQuestion = true
          default:
            bytes.append(ignoringASCIICase ? asciiLowercase(byte) : byte)
          }
        }
      case .literal(let text):
        source += text
        bytes.append(contentsOf: ignoringASCIICase ? text.utf8.map(asciiLowercase) : Array(text.utf8))
      }
    }
    self.source = source
    ignoresASCIICase = ignoringASCIICase
    self.bytes = bytes
    if bytes.count == 1 && stars == 1 {
      shape = .anything
    } else if stars == 0 && !hasQuestion {
      shape = .exact
    } else if stars == 1 && !hasQuestion && bytes.last == star {
      shape = .prefix
    } else {
      shape = .general
    }
  }

  /// An upper bound on the steps a match costs per byte of text: for the general shape, the pattern bytes after
  /// the first `*` (what one retry of a `*` may compare) plus one; for the other shapes, which never retry, zero.
  /// Read when a policy set is compiled, never while matching.
  package var retryWeight: Int {
    guard shape == .general, let first = bytes.firstIndex(of: star) else { return 0 }
    return bytes[(first + 1)...].count { $0 != star } + 1
  }

  /// Whether the pattern contains `*` or `?`.
  public var hasWildcards: Bool { shape != .exact }

  /// The pattern as written.
  public var description: String { source }

  /// Whether the pattern matches the whole of `text`.
  ///
  /// - Complexity: O(n·m) in the worst case, O(n) for patterns with at most one `*`.
  public func matches(_ text: String) -> Bool {
    text.withUTF8InPlace { matches(utf8: $0) }
  }

  /// Whether the pattern matches the whole of a UTF-8 text.
  ///
  /// With ``ignoresASCIICase``, `text` must already be lower-cased in its ASCII letters.
  /// - Complexity: O(n·m) in the worst case, O(n) for patterns with at most one `*`.
  public func matches(utf8 text: UnsafeBufferPointer<UInt8>) -> Bool {
    switch shape {
    case .anything:
      return true
    case .exact:
      guard text.count == bytes.count else { return false }
      for offset in 0..<text.count where text[offset] != bytes[offset] { return false }
      return true
    case .prefix:
      let count = bytes.count - 1
      guard text.count >= count else { return false }
      for offset in 0..<count where text[offset] != bytes[offset] { return false }
      return true
    case .general:
      return bytes.withUnsafeBufferPointer { WildcardPattern.globMatch(pattern: $0, text: text) }
    }
  }

  /// Whether a pattern given as its encoding (see `VariableTemplate.withResolvedBytes`) matches the whole of
  /// `text`, as `WildcardPattern(pieces:)` would: the same glob, without building the pattern.
  package static func matches(encoded pattern: UnsafeBufferPointer<UInt8>, _ text: String) -> Bool {
    text.withUTF8InPlace { globMatch(pattern: pattern, text: $0) }
  }

  /// The classic linear-backtracking glob: on a mismatch, the last `*` absorbs one more scalar.
  ///
  /// A `*` is only tried where the text left is at least as long as what the pattern still needs after it
  /// (each literal byte and each `?` needs one byte at least): a long literal tail that cannot fit fails at once
  /// instead of being tried at every position (found by fuzzing: `b/*aaaa…` against a long ARN). That need is
  /// counted once, at the first `*`, and kept up to date as the pattern is consumed, so a pattern of many stars
  /// costs no more than one of few.
  static func globMatch(pattern: UnsafeBufferPointer<UInt8>, text: UnsafeBufferPointer<UInt8>) -> Bool {
    var p = 0
    var t = 0
    var starPattern = -1
    var starText = 0
    var starNeed = 0
    // The non-star pattern bytes from `p` on; counted when the first `*` is reached (-1 before).
    var need = -1
    while t < text.count {
      if p < pattern.count {
        let byte = pattern[p]
        if byte == star {
          if need < 0 { need = pattern[(p + 1)...].count { $0 != star } }
          if text.count - t < need { return false }
          starPattern = p
          starNeed = need
          p += 1
          starText = t
          continue
        }
        if byte == question {
          p += 1
          if need > 0 { need -= 1 }
          t += scalarLength(text, at: t)
          continue
        }
        if byte == text[t] {
          p += 1
          if need > 0 { need -= 1 }
          t += 1
          continue
        }
      }
      guard starPattern >= 0 else { return false }
      p = starPattern + 1
      need = starNeed
      starText += scalarLength(text, at: starText)
      if text.count - starText < starNeed { return false }
      t = starText
    }
    while p < pattern.count, pattern[p] == star { p += 1 }
    return p == pattern.count && t == text.count
  }

  /// The number of bytes of the UTF-8 scalar that starts at `offset`.
  static func scalarLength(_ text: UnsafeBufferPointer<UInt8>, at offset: Int) -> Int {
    let lead = text[offset]
    let length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
    return min(length, text.count - offset)
  }
}

/// The encoded `*` wildcard: 0xFF never occurs in UTF-8.
let star: UInt8 = 0xFF
/// The encoded `?` wildcard: 0xFE never occurs in UTF-8.
let question: UInt8 = 0xFE

/// Whether a byte is an ASCII letter or digit.
@inlinable package func isAlphanumeric(_ byte: UInt8) -> Bool {
  (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
}

/// Lower-cases an ASCII letter and leaves every other byte alone.
@inlinable package func asciiLowercase(_ byte: UInt8) -> UInt8 {
  byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
}

/// Eight ASCII bytes ASCII-lower-cased at once. A byte is a capital letter when adding 0x3F carries it to 0x80 or
/// more (>= "A") and adding 0x25 does not (<= "Z"); no byte carries into the next while all are below 0x80 (a byte of
/// 0x80 or more may, and its word's result is then meaningless).
@inlinable package func asciiLowercaseWord(_ word: UInt64) -> UInt64 {
  let upper = (word &+ 0x3F3F_3F3F_3F3F_3F3F) & ~(word &+ 0x2525_2525_2525_2525) & 0x8080_8080_8080_8080
  return word | (upper >> 2)
}
