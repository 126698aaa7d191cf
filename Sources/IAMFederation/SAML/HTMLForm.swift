/// Finds the `SAMLResponse` field of the auto-post page an IdP sends to the browser (SAML 2.0 bindings §3.5.4:
/// an HTML form whose hidden control `SAMLResponse` holds the base64 response), as a saved page or copied source.
enum HTMLForm {
  /// Whether the input is an HTML page rather than XML: it starts with a doctype or a tag such pages open with.
  static func looksLikeHTML(_ bytes: [UInt8]) -> Bool {
    let start = String(decoding: bytes.prefix(512), as: UTF8.self).drop { $0.isWhitespace }.lowercased()
    return ["<!doctype html", "<html", "<head", "<body", "<form", "<input"].contains { start.hasPrefix($0) }
  }

  /// The value of the first `<input name="SAMLResponse" value="…">` control, with HTML character references undone,
  /// or `nil` when the page has none; a `SAMLRequest` control instead is reported as `isRequest`.
  ///
  /// Each byte is read a bounded number of times: the next `<input` is searched for where the previous tag's
  /// attributes ended (an unclosed quote ends the scan).
  static func field(in bytes: [UInt8]) -> (value: String, isRequest: Bool)? {
    var request: [UInt8]?
    var index = 0
    while let open = nextInput(in: bytes, from: index) {
      let (attributes, end) = Self.attributes(in: bytes, from: open)
      index = end
      guard let name = attributes["name"] else { continue }
      if name == Array("SAMLResponse".utf8), let value = attributes["value"] {
        return (decodeReferences(String(decoding: value, as: UTF8.self)), false)
      }
      if name == Array("SAMLRequest".utf8), request == nil { request = attributes["value"] ?? [] }
    }
    return request.map { (decodeReferences(String(decoding: $0, as: UTF8.self)), true) }
  }

  /// The index just after the next `<input` (any case) at or after `start`.
  private static func nextInput(in bytes: [UInt8], from start: Int) -> Int? {
    let word = Array("input".utf8)
    var index = start
    while index < bytes.count {
      if bytes[index] == UInt8(ascii: "<"), index + word.count < bytes.count,
        bytes[index + 1] | 0x20 == word[0], bytes[index + 2] | 0x20 == word[1], bytes[index + 3] | 0x20 == word[2],
        bytes[index + 4] | 0x20 == word[3], bytes[index + 5] | 0x20 == word[4]
      {
        return index + 1 + word.count
      }
      index += 1
    }
    return nil
  }

  private static func isSpace(_ byte: UInt8) -> Bool {
    byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0C
  }

  /// The attributes of a tag (names lower-cased), until its `>`; values quoted with `"` or `'`, or unquoted. Also
  /// returns where the scan stopped.
  private static func attributes(in bytes: [UInt8], from start: Int) -> ([String: [UInt8]], Int) {
    var result: [String: [UInt8]] = [:]
    var index = start
    let count = bytes.count
    while true {
      while index < count && (isSpace(bytes[index]) || bytes[index] == UInt8(ascii: "/")) { index += 1 }
      guard index < count, bytes[index] != UInt8(ascii: ">") else { return (result, index) }
      let nameStart = index
      while index < count, !isSpace(bytes[index]), bytes[index] != UInt8(ascii: "="),
        bytes[index] != UInt8(ascii: ">"), bytes[index] != UInt8(ascii: "/")
      {
        index += 1
      }
      if index == nameStart { return (result, index) }
      // Only `name` and `value` matter; other attribute names are not decoded.
      let length = index - nameStart
      let name =
        length == 4 || length == 5 ? String(decoding: bytes[nameStart..<index], as: UTF8.self).lowercased() : ""
      while index < count && isSpace(bytes[index]) { index += 1 }
      var value: [UInt8] = []
      if index < count, bytes[index] == UInt8(ascii: "=") {
        index += 1
        while index < count && isSpace(bytes[index]) { index += 1 }
        if index < count, bytes[index] == UInt8(ascii: "\"") || bytes[index] == UInt8(ascii: "'") {
          let quote = bytes[index]
          let valueStart = index + 1
          index = valueStart
          while index < count && bytes[index] != quote { index += 1 }
          value = Array(bytes[valueStart..<index])
          if index < count { index += 1 }
        } else {
          let valueStart = index
          while index < count && !isSpace(bytes[index]) && bytes[index] != UInt8(ascii: ">") { index += 1 }
          value = Array(bytes[valueStart..<index])
        }
      }
      if (name == "name" || name == "value") && result[name] == nil { result[name] = value }
    }
  }

  /// Undoes `&amp;` `&lt;` `&gt;` `&quot;` `&apos;` `&#NN;` and `&#xHH;` (what servers write for `+`, `/` and `=`).
  static func decodeReferences(_ text: String) -> String {
    guard text.contains("&") else { return text }
    var output = ""
    var rest = text[...]
    while let amp = rest.firstIndex(of: "&") {
      output += rest[..<amp]
      let after = rest[rest.index(after: amp)...]
      if let semicolon = after.prefix(12).firstIndex(of: ";"), let character = character(for: after[..<semicolon]) {
        output.append(character)
        rest = after[after.index(after: semicolon)...]
        continue
      }
      output.append("&")
      rest = after
    }
    return output + rest
  }

  private static func character(for entity: Substring) -> Character? {
    switch entity {
    case "amp": return "&"
    case "lt": return "<"
    case "gt": return ">"
    case "quot": return "\""
    case "apos": return "'"
    default:
      guard entity.hasPrefix("#") else { return nil }
      let digits = entity.dropFirst()
      let value =
        digits.first == "x" || digits.first == "X" ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits, radix: 10)
      return value.flatMap(Unicode.Scalar.init).map(Character.init)
    }
  }
}
