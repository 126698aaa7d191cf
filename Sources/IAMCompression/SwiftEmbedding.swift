/// Writes data as a Swift source file that compiles it into iamsim, and reads it back.
///
/// Text that a raw multi-line string literal can hold exactly (printable ASCII, tabs and line feeds, no
/// `"""#` or `\#`) is embedded as is, so loading it costs one copy; anything else is embedded as base64.
public enum SwiftEmbedding {
  /// Whether the bytes can be embedded as a raw multi-line string literal, unchanged.
  public static func isRawSafe(_ bytes: [UInt8]) -> Bool {
    guard bytes.last == UInt8(ascii: "\n") else { return false }
    for (index, byte) in bytes.enumerated() {
      switch byte {
      case 0x09, 0x0A, 0x20...0x7E: break
      default: return false
      }
      if byte == UInt8(ascii: "\\") && index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "#") { return false }
      if byte == UInt8(ascii: "#") && index >= 3 && bytes[index - 3..<index].elementsEqual("\"\"\"".utf8) { return false }
    }
    return true
  }

  /// A string literal expression whose UTF-8 bytes are `bytes` (raw) or their base64 text.
  ///
  /// - Returns: the literal and whether it is base64.
  public static func literal(_ bytes: [UInt8]) -> (text: String, isBase64: Bool) {
    if isRawSafe(bytes) {
      return ("#\"\"\"\n" + String(decoding: bytes, as: UTF8.self) + "\n\"\"\"#", false)
    }
    return ("\"" + String(decoding: Base64.encode(bytes), as: UTF8.self) + "\"", true)
  }

  /// The bytes a literal written by ``literal(_:)`` holds.
  public static func bytes(_ literal: StaticString, isBase64: Bool) -> [UInt8]? {
    isBase64 ? Base64.decode(literal) : literal.withUTF8Buffer { Array($0) }
  }
}

