import IAMPolicy

/// Strict base64 decoding (RFC 4648 §4, the alphabet of the SAML HTTP-POST binding) that skips line breaks.
enum Base64Text {
  /// Decodes `text`, ignoring ASCII white space.
  ///
  /// - Parameters:
  ///   - reportPositions: whether line:column positions in `text` mean something to the user.
  ///   - maximumDecodedSize: refuse before decoding when the result would be larger.
  /// - Returns: the bytes and the number of base64 characters (white space excluded).
  static func decode(_ text: String, reportPositions: Bool, maximumDecodedSize: Int) throws(SAMLReadError) -> (
    bytes: [UInt8], length: Int
  ) {
    var sextets: [UInt8] = []
    sextets.reserveCapacity(text.utf8.count)
    var padding = 0
    var line = 1
    var column = 0
    for byte in text.utf8 {
      column += 1
      switch byte {
      case UInt8(ascii: "\n"):
        line += 1
        column = 0
        continue
      case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"):
        continue
      case UInt8(ascii: "="):
        padding += 1
        if padding > 2 {
          throw SAMLReadError(
            .invalidBase64, "base64 text has more than two `=` padding characters",
            at: position(line, column, reportPositions))
        }
        continue
      default:
        break
      }
      guard let value = sextet(byte) else {
        throw SAMLReadError(
          .invalidBase64, "invalid character in base64 text (byte 0x\(String(byte, radix: 16)))",
          at: position(line, column, reportPositions))
      }
      if padding > 0 {
        throw SAMLReadError(
          .invalidBase64, "base64 text continues after `=` padding", at: position(line, column, reportPositions))
      }
      sextets.append(value)
    }
    let length = sextets.count + padding
    if length == 0 { throw SAMLReadError(.empty, "the input is empty") }
    if length % 4 != 0 {
      throw SAMLReadError(
        .invalidBase64, "base64 text is cut short: \(length) characters is not a multiple of 4 (truncated capture?)")
    }
    if sextets.count / 4 * 3 > maximumDecodedSize {
      throw SAMLReadError(.tooLarge, "the decoded response would exceed the \(maximumDecodedSize)-byte limit")
    }
    return (assemble(sextets), length)
  }

  private static func assemble(_ sextets: [UInt8]) -> [UInt8] {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(sextets.count * 3 / 4)
    var accumulator: UInt32 = 0
    var bits = 0
    for value in sextets {
      accumulator = accumulator << 6 | UInt32(value)
      bits += 6
      if bits >= 8 {
        bits -= 8
        bytes.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
      }
    }
    return bytes
  }

  private static func sextet(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "A")...UInt8(ascii: "Z"): byte - UInt8(ascii: "A")
    case UInt8(ascii: "a")...UInt8(ascii: "z"): byte - UInt8(ascii: "a") + 26
    case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0") + 52
    case UInt8(ascii: "+"): 62
    case UInt8(ascii: "/"): 63
    default: nil
    }
  }

  private static func position(_ line: Int, _ column: Int, _ report: Bool) -> SourcePosition? {
    report ? SourcePosition(line: line, column: column) : nil
  }

  /// The length of the base64 encoding of `count` bytes.
  static func encodedLength(of count: Int) -> Int { (count + 2) / 3 * 4 }
}
