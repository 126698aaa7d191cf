/// Undoes the URL and form encoding a browser applies to `SAMLResponse=...` POST bodies.
enum FormDecoding {
  /// The value of parameter `name` when `text` is `application/x-www-form-urlencoded` data or a URL query.
  static func parameter(_ name: String, in text: Substring) -> Substring? {
    for parameter in text.split(separator: "&") {
      let trimmed = parameter.drop { $0.isWhitespace }
      if trimmed.hasPrefix(name + "=") { return trimmed.dropFirst(name.count + 1) }
    }
    return nil
  }

  /// Whether `text` contains a `%XX` escape.
  static func hasPercentEscapes(_ text: some StringProtocol) -> Bool {
    let bytes = Array(text.utf8)
    return bytes.indices.contains { index in
      bytes[index] == UInt8(ascii: "%") && index + 2 < bytes.count && hexValue(bytes[index + 1]) != nil
        && hexValue(bytes[index + 2]) != nil
    }
  }

  /// Decodes `%XX` escapes; `+` becomes a space, as in form data. Returns `nil` if the result is not UTF-8.
  ///
  /// Only call this when the text has percent escapes: an unencoded base64 text uses `+` as a digit.
  static func decode(_ text: some StringProtocol) -> String? {
    let bytes = Array(text.utf8)
    var output: [UInt8] = []
    output.reserveCapacity(bytes.count)
    var index = 0
    while index < bytes.count {
      let byte = bytes[index]
      if byte == UInt8(ascii: "%"), index + 2 < bytes.count, let high = hexValue(bytes[index + 1]),
        let low = hexValue(bytes[index + 2])
      {
        output.append(high << 4 | low)
        index += 3
      } else {
        output.append(byte == UInt8(ascii: "+") ? UInt8(ascii: " ") : byte)
        index += 1
      }
    }
    return String(validating: output, as: UTF8.self)
  }

  private static func hexValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
    default: nil
    }
  }
}
