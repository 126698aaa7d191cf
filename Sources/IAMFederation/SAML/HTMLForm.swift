import Foundation

/// Finds the `SAMLResponse` field of the auto-post page an IdP sends to the browser (SAML 2.0 bindings §3.5.4:
/// an HTML form whose hidden control `SAMLResponse` holds the base64 response), as a saved page or copied source.
enum HTMLForm {
  /// Whether `text` is an HTML page rather than XML: it starts with a doctype or one of the tags such pages open with.
  static func looksLikeHTML(_ bytes: [UInt8]) -> Bool {
    let start = String(decoding: bytes.prefix(512), as: UTF8.self).drop { $0.isWhitespace }.lowercased()
    return ["<!doctype html", "<html", "<head", "<body", "<form", "<input"].contains { start.hasPrefix($0) }
  }

  /// The value of the first `<input name="SAMLResponse" value="…">` control, with HTML character references undone,
  /// or `nil` when the page has none. The field `SAMLRequest` is reported as `isRequest`.
  static func field(in bytes: [UInt8]) -> (value: String, isRequest: Bool)? {
    let text = String(decoding: bytes, as: UTF8.self)
    var request: String?
    var index = text.startIndex
    while let open = text.range(of: "<input", options: .caseInsensitive, range: index..<text.endIndex) {
      let attributes = Self.attributes(in: text[open.upperBound...])
      index = open.upperBound
      guard let name = attributes["name"] else { continue }
      if name == "SAMLResponse", let value = attributes["value"] { return (decodeReferences(value), false) }
      if name == "SAMLRequest", request == nil { request = attributes["value"] }
    }
    return request.map { (decodeReferences($0), true) }
  }

  /// The attributes of a tag, lower-cased names, until its `>`; quoted with `"` or `'`, or unquoted.
  private static func attributes(in text: Substring) -> [String: String] {
    var result: [String: String] = [:]
    var rest = text[...]
    func skipSpace() { rest = rest.drop { $0.isWhitespace || $0 == "/" } }
    while true {
      skipSpace()
      guard let first = rest.first, first != ">" else { return result }
      let name = rest.prefix { !$0.isWhitespace && $0 != "=" && $0 != ">" && $0 != "/" }
      if name.isEmpty { return result }
      rest = rest.dropFirst(name.count)
      rest = rest.drop { $0.isWhitespace }
      var value = ""
      if rest.first == "=" {
        rest = rest.dropFirst().drop { $0.isWhitespace }
        if let quote = rest.first, quote == "\"" || quote == "'" {
          let body = rest.dropFirst().prefix { $0 != quote }
          value = String(body)
          rest = rest.dropFirst(body.count + 1).dropFirst()
        } else {
          let body = rest.prefix { !$0.isWhitespace && $0 != ">" }
          value = String(body)
          rest = rest.dropFirst(body.count)
        }
      }
      let key = name.lowercased()
      if result[key] == nil { result[key] = value }
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
      if let semicolon = after.prefix(12).firstIndex(of: ";") {
        let entity = after[..<semicolon]
        if let character = character(for: entity) {
          output.append(character)
          rest = after[after.index(after: semicolon)...]
          continue
        }
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
