/// Character classes and lengths as AWS's Java-based validators see them.
enum CharacterRules {
  /// The length AWS validators measure: UTF-16 code units, like Java's `String.length()`.
  static func length(_ text: String) -> Int { text.utf16.count }

  /// Whether a scalar is in `\p{L}`, `\p{Z}` or `\p{N}` or is one of `_ . : / = + - @` (session tags, F-6).
  static func isTagCharacter(_ scalar: Unicode.Scalar) -> Bool {
    scalar.isASCII ? asciiTagCharacters[Int(scalar.value)] : isTagCharacterByCategory(scalar)
  }

  private static func isTagCharacterByCategory(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.properties.generalCategory {
    case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
      .spaceSeparator, .lineSeparator, .paragraphSeparator,
      .decimalNumber, .letterNumber, .otherNumber:
      true
    default:
      "_.:/=+-@".unicodeScalars.contains(scalar)
    }
  }

  /// Whether a scalar is in `[\w+=,.@-]` with `\w` = ASCII letters, digits and `_` (role session names, source identities).
  static func isSessionNameCharacter(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar {
    case "a"..."z", "A"..."Z", "0"..."9", "_", "+", "=", ",", ".", "@", "-": true
    default: false
    }
  }

  /// Whether a scalar is in `\p{L}`, `\p{M}`, `\p{S}`, `\p{N}` or `\p{P}` (identity-store names, S-5).
  static func isVisibleCharacter(_ scalar: Unicode.Scalar) -> Bool {
    scalar.isASCII ? asciiVisibleCharacters[Int(scalar.value)] : isVisibleCharacterByCategory(scalar)
  }

  private static func isVisibleCharacterByCategory(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.properties.generalCategory {
    case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
      .nonspacingMark, .spacingMark, .enclosingMark,
      .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol,
      .decimalNumber, .letterNumber, .otherNumber,
      .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
      .finalPunctuation, .otherPunctuation:
      true
    default:
      false
    }
  }

  /// Whether a scalar is allowed in identity-store display names and name parts:
  /// visible characters, TAB, LF, CR, space, no-break space and ideographic space (S-5).
  static func isNameCharacter(_ scalar: Unicode.Scalar) -> Bool {
    scalar.isASCII ? asciiNameCharacters[Int(scalar.value)] : isNameCharacterByCategory(scalar)
  }

  private static func isNameCharacterByCategory(_ scalar: Unicode.Scalar) -> Bool {
    isVisibleCharacter(scalar) || ["\t", "\n", "\r", " ", "\u{00A0}", "\u{3000}"].contains(scalar)
  }

  /// The answers of the three classes above for the 128 ASCII scalars, worked out once by the same rules (names and
  /// tags are checked scalar by scalar for every user of an identity store, and Unicode's tables are slow to ask).
  private static let asciiTagCharacters = (0..<128).map { isTagCharacterByCategory(Unicode.Scalar(UInt8($0))) }
  private static let asciiVisibleCharacters = (0..<128).map { isVisibleCharacterByCategory(Unicode.Scalar(UInt8($0))) }
  private static let asciiNameCharacters = (0..<128).map { isNameCharacterByCategory(Unicode.Scalar(UInt8($0))) }

  /// The first scalar of `text` that `allowed` refuses, if any.
  static func firstRefused(in text: String, _ allowed: (Unicode.Scalar) -> Bool) -> Unicode.Scalar? {
    text.unicodeScalars.first { !allowed($0) }
  }

  /// A scalar as `U+0026 '&'`, readable even when the character is invisible.
  static func describe(_ scalar: Unicode.Scalar) -> String {
    let hex = String(scalar.value, radix: 16, uppercase: true)
    let code = "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    return isVisibleCharacter(scalar) ? "\(code) '\(scalar)'" : code
  }

  /// Whether `text` has the shape of an RFC 2822 address `local@domain.tld` (what Identity Center asks of NameIDs).
  static func looksLikeEmailAddress(_ text: String) -> Bool {
    let parts = text.split(separator: "@", omittingEmptySubsequences: false)
    guard parts.count == 2, let local = parts.first, let domain = parts.last, !local.isEmpty else { return false }
    let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
    guard labels.count >= 2, labels.allSatisfy({ !$0.isEmpty }) else { return false }
    return !text.unicodeScalars.contains { $0.properties.isWhitespace || $0.value < 0x20 }
  }
}
