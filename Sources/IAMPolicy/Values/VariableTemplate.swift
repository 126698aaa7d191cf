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
  public let hasVariables: Bool

  /// The lower-cased keys of the variables in order, with their hashes computed once.
  package var hashedKeys: [HashedKey] { flat.hashedKeys }

  /// What resolving needs, computed once and shared, so that copying a template copies one reference.
  private let flat: Flattened

  /// The pieces flattened for resolving without visiting strings: the bytes of the text and escaped
  /// pieces (in `encodedBytes` with the text's `*` and `?` as wildcards), the runs and variables in order,
  /// and the variables' keys and defaults.
  private final class Flattened: Sendable {
    let hashedKeys: [HashedKey]
    let rawBytes: [UInt8]
    let encodedBytes: [UInt8]
    let segments: [Segment]
    let defaults: [String?]
    /// Whether the text and escaped pieces are all ASCII.
    let constantIsASCII: Bool

    init(_ pieces: [Piece]) {
      var keys: [HashedKey] = []
      var raw: [UInt8] = []
      var encoded: [UInt8] = []
      var segments: [Segment] = []
      var defaults: [String?] = []
      for piece in pieces {
        switch piece {
        case .text(let text), .escaped(let text):
          let start = raw.count
          raw.append(contentsOf: text.utf8)
          if case .text = piece {
            encoded.append(contentsOf: text.utf8.map { $0 == UInt8(ascii: "*") ? star : $0 == UInt8(ascii: "?") ? question : $0 })
          } else {
            encoded.append(contentsOf: text.utf8)
          }
          segments.append(.bytes(start..<raw.count))
        case .variable(let key, _, let defaultValue):
          segments.append(.variable(keys.count))
          keys.append(HashedKey(key))
          defaults.append(defaultValue)
        }
      }
      hashedKeys = keys
      rawBytes = raw
      encodedBytes = encoded
      self.segments = segments
      self.defaults = defaults
      constantIsASCII = raw.allSatisfy { $0 < 0x80 }
    }
  }

  /// A run of constant bytes, or a variable by its position among the variables.
  private enum Segment: Sendable {
    case bytes(Range<Int>)
    case variable(Int)
  }

  public static func == (lhs: VariableTemplate, rhs: VariableTemplate) -> Bool {
    lhs.pieces == rhs.pieces && lhs.source == rhs.source
  }

  public func hash(into hasher: inout Hasher) {
    hasher.combine(pieces)
    hasher.combine(source)
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
    guard substitutes, text.holdsVariableOpening else {
      self.init(pieces: [.text(text)], source: text)
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
    self.init(pieces: pieces, source: text)
  }

  /// A template of given pieces.
  init(pieces: [Piece], source: String) {
    self.source = source
    self.pieces = pieces
    hasVariables = pieces.contains { if case .variable = $0 { true } else { false } }
    flat = Flattened(pieces)
  }

  /// The variables' keys, lower-cased and as the policy spells them.
  public var variables: [(key: String, spelled: String)] {
    pieces.compactMap { if case .variable(let key, let spelled, _) = $0 { return (key, spelled) } else { return nil } }
  }

  /// The keys of the variables, lower-cased.
  public var variableKeys: [String] {
    pieces.compactMap { if case .variable(let key, _, _) = $0 { return key } else { return nil } }
  }

  /// Resolves the variables and returns wildcard pieces, or `nil` when a variable has no value (rule V-4).
  ///
  /// - Parameter value: looks up a single-valued context key by its lower-cased name.
  public func resolvedPieces(_ value: (String) -> String?) -> [WildcardPattern.Piece]? {
    resolvedPieces(hashed: { value($0.text) })
  }

  /// ``resolvedPieces(_:)`` with the variables looked up by their hashed keys.
  package func resolvedPieces(hashed value: (HashedKey) -> String?) -> [WildcardPattern.Piece]? {
    var result: [WildcardPattern.Piece] = []
    result.reserveCapacity(pieces.count)
    var variable = 0
    for piece in pieces {
      switch piece {
      case .text(let text): result.append(.pattern(text))
      case .escaped(let text): result.append(.literal(text))
      case .variable(_, _, let defaultValue):
        guard let resolved = value(hashedKeys[variable]) ?? defaultValue else { return nil }
        variable += 1
        result.append(.literal(resolved))
      }
    }
    return result
  }

  /// Resolves the variables and returns plain text, or `nil` when a variable has no value.
  public func resolvedText(_ value: (String) -> String?) -> String? {
    resolvedText(hashed: { value($0.text) })
  }

  /// ``resolvedText(_:)`` with the variables looked up by their hashed keys.
  package func resolvedText(hashed value: (HashedKey) -> String?) -> String? {
    var result = ""
    var variable = 0
    for piece in pieces {
      switch piece {
      case .text(let text), .escaped(let text): result += text
      case .variable(_, _, let defaultValue):
        guard let resolved = value(hashedKeys[variable]) ?? defaultValue else { return nil }
        variable += 1
        result += resolved
      }
    }
    return result
  }

  /// Resolves the variables into a stack buffer and passes the bytes to `body`, without allocating.
  ///
  /// - Parameters:
  ///   - wildcards: encode the `*` and `?` of the policy text as wildcards, byte for byte as
  ///     `WildcardPattern(pieces: resolvedPieces(value))` does; otherwise the bytes of ``resolvedText(_:)``.
  ///   - body: receives the bytes and whether they are all ASCII; it returns `nil` to send the caller to
  ///     the general path.
  /// - Returns: `.unresolved` when a variable has no value (rule V-4); `.tooLong` when the text does not fit
  ///   the buffer, and callers then take the allocating path.
  package func withResolvedBytes(
    _ value: (HashedKey) -> String?, wildcards: Bool, _ body: (UnsafeBufferPointer<UInt8>, _ isASCII: Bool) -> Bool?
  ) -> TemplateResolution {
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 512) { buffer -> TemplateResolution in
      var count = 0
      let flat = self.flat
      var isASCII = flat.constantIsASCII
      let constant = wildcards ? flat.encodedBytes : flat.rawBytes
      for segment in flat.segments {
        switch segment {
        case .bytes(let range):
          guard count + range.count <= buffer.count else { return .tooLong }
          for offset in range {
            buffer[count] = constant[offset]
            count += 1
          }
        case .variable(let index):
          guard var resolved = value(flat.hashedKeys[index]) ?? flat.defaults[index] else { return .unresolved }
          let fits = resolved.withUTF8 { bytes -> Bool in
            guard count + bytes.count <= buffer.count else { return false }
            for byte in bytes {
              if byte >= 0x80 { isASCII = false }
              buffer[count] = byte
              count += 1
            }
            return true
          }
          if !fits { return .tooLong }
        }
      }
      return .resolved(body(UnsafeBufferPointer(rebasing: buffer[..<count]), isASCII))
    }
  }

  /// Whether the template, resolved, is an ARN pattern that matches `name`:
  /// `resolvedPieces(value).flatMap(ARNPattern.init(pieces:))?.matches(name) ?? false`, without building the
  /// pattern when the resolved text is ASCII and short.
  package func matchesARN(_ name: ResourceName, value: (HashedKey) -> String?) -> Bool {
    let fast = withResolvedBytes(value, wildcards: true) { bytes, isASCII -> Bool? in
      isASCII ? ARNPattern.matches(encoded: bytes, name) : nil
    }
    switch fast {
    case .resolved(let matched?): return matched
    case .unresolved: return false
    case .resolved(nil), .tooLong:
      guard let pieces = resolvedPieces(hashed: value), let pattern = ARNPattern(pieces: pieces) else { return false }
      return pattern.matches(name)
    }
  }
}

extension VariableTemplate {
  /// An upper bound on the matching steps per byte of text of the pattern this template resolves to, as
  /// ``WildcardPattern`` counts them: the policy-text bytes after the first wildcard `*` plus one, and the
  /// variables after it, whose values lengthen what a retry compares (`weight` is 0 without a wildcard `*`).
  package var retryWeight: (weight: Int, variablesAfterStar: [(key: HashedKey, defaultLength: Int)]) {
    var weight = 0
    var afterStar = false
    var variables: [(key: HashedKey, defaultLength: Int)] = []
    for piece in pieces {
      switch piece {
      case .text(let text):
        for byte in text.utf8 {
          if byte == UInt8(ascii: "*") {
            if !afterStar { weight = 1 }
            afterStar = true
          } else if afterStar {
            weight += 1
          }
        }
      case .escaped(let text): if afterStar { weight += text.utf8.count }
      case .variable(let key, _, let defaultValue):
        if afterStar { variables.append((HashedKey(key), defaultValue?.utf8.count ?? 0)) }
      }
    }
    return (weight, variables)
  }
}

/// What resolving a template's variables came to.
package enum TemplateResolution {
  /// What the body said: `nil` sends the caller to the general path.
  case resolved(Bool?)
  /// A variable has no value and no default.
  case unresolved
  /// The resolved text is longer than the stack buffer.
  case tooLong
}

/// A lower-cased context key with its hash computed once, so that looking it up hashes an `Int` rather than
/// the text. Hash values differ from process to process: they are never stored or compared across processes.
package struct HashedKey: Hashable, Sendable {
  package let text: String
  package let hash: Int
  /// The text's ``ASCIIFold``: a request context compares the keys it holds as given with it.
  package let fold: ASCIIFold

  package init(_ lowercased: String) {
    text = lowercased
    hash = lowercased.hashValue
    fold = ASCIIFold(lowercased)
  }

  package func hash(into hasher: inout Hasher) { hasher.combine(hash) }

  package static func == (lhs: HashedKey, rhs: HashedKey) -> Bool { lhs.hash == rhs.hash && lhs.text == rhs.text }
}

/// A cheap hash of a text's bytes with ASCII case folded (eight at a time), and whether every byte is ASCII: two ASCII
/// texts equal regardless of ASCII case have equal folds, so unequal folds tell them apart without comparing bytes.
package struct ASCIIFold: Hashable, Sendable {
  package let hash: Int
  package let isASCII: Bool

  /// Folds a text, borrowed: an initialiser's arguments are otherwise passed owned, which cost a retain by the
  /// caller and a release here for every key set in a context.
  package init(_ text: borrowing String) {
    (hash, isASCII) = text.withUTF8InPlace(ASCIIFold.fold)
  }

  /// Eight bytes at a time, each word with bit 5 of every byte set and multiplied in; the high half is folded into
  /// the low one at the end, so that a table indexed by the low bits sees every byte.
  ///
  /// Setting bit 5 maps each ASCII capital onto its small letter (and a few other bytes onto each other, `@` onto
  /// `` ` `` for one): texts equal regardless of ASCII case always fold alike, and texts that fold alike are still
  /// compared byte by byte. It costs one instruction a word, where lower-casing exactly cost six.
  private static func fold(_ bytes: UnsafeBufferPointer<UInt8>) -> (Int, Bool) {
    let high: UInt64 = 0x8080_8080_8080_8080
    let caseBits: UInt64 = 0x2020_2020_2020_2020
    let multiplier: UInt64 = 0x9E37_79B9_7F4A_7C15
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325 ^ UInt64(bytes.count)
    var any: UInt64 = 0
    guard let base = bytes.baseAddress else { return (Int(truncatingIfNeeded: hash), true) }
    let raw = UnsafeRawPointer(base)
    let count = bytes.count
    if count >= 8 {
      // Whole words, then the last eight bytes (which may overlap the word before).
      var offset = 0
      while offset + 8 < count {
        let word = raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
        any |= word
        hash = (hash ^ (word | caseBits)) &* multiplier
        offset += 8
      }
      let word = raw.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
      any |= word
      hash = (hash ^ (word | caseBits)) &* multiplier
    } else {
      var word: UInt64 = 0
      for index in 0..<count { word |= UInt64(bytes[index]) << (8 * UInt64(index)) }
      any = word
      hash = (hash ^ (word | caseBits)) &* multiplier
    }
    // A text with a byte of 0x80 or more is not ASCII, and its fold is unused.
    return (Int(truncatingIfNeeded: hash ^ (hash >> 32)), any & high == 0)
  }
}

extension String {
  /// Calls `body` with the text's UTF-8 bytes, read where they are when the string is native: `withUTF8` needs a
  /// mutable copy of the string, which cost a retain and a release.
  @inlinable @inline(__always)
  package func withUTF8InPlace<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
    if let result = try utf8.withContiguousStorageIfAvailable(body) { return result }
    var text = self
    return try text.withUTF8(body)
  }

  /// The same text in a buffer of its own, unless it is small enough to be held inline (15 bytes or fewer), where
  /// there is no buffer: a copy made for another thread, whose retains and releases then never touch this one's.
  package var unshared: String {
    var text = self
    return text.withUTF8 { String(decoding: $0, as: UTF8.self) }
  }

  /// Whether the text holds `${`, the opening of a policy variable: `contains("${")`, by bytes when the text
  /// is ASCII (the same answer without a Foundation string search); other text keeps `contains`.
  var holdsVariableOpening: Bool {
    var text = self
    let ascii = text.withUTF8 { bytes -> Bool? in
      var previous: UInt8 = 0
      for byte in bytes {
        if byte >= 0x80 { return nil }
        if previous == UInt8(ascii: "$") && byte == UInt8(ascii: "{") { return true }
        previous = byte
      }
      return false
    }
    return ascii ?? contains("${")
  }
}
