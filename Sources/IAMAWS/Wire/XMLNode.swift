/// An element of an AWS XML response: its local name (prefix dropped), its child elements, and its text (the
/// character data directly inside it, entities and CDATA decoded).
struct XMLNode: Sendable, Hashable {
  var name: String
  var children: [XMLNode]
  var text: String

  /// The first child of that local name.
  func child(_ name: String) -> XMLNode? { children.first { $0.name == name } }

  /// The first element of that name here or below, depth first.
  func first(_ name: String) -> XMLNode? {
    if self.name == name { return self }
    for child in children { if let found = child.first(name) { return found } }
    return nil
  }
}

/// A small, strict XML reader for AWS responses: elements, attributes (read and dropped), character data, the
/// five predefined entities and character references, CDATA, comments, processing instructions and the
/// declaration. No DTDs: a `<!DOCTYPE` is refused, so no entity can expand.
struct XMLReader {
  struct SyntaxError: Error, Sendable {
    var message: String
    var offset: Int
  }

  /// How deep elements may nest (IAM's deepest response nests about ten levels).
  static let maximumDepth = 128

  private let bytes: [UInt8]
  private var index = 0

  private init(_ bytes: [UInt8]) { self.bytes = bytes }

  /// Parses a document and returns its root element.
  static func parse(_ bytes: [UInt8]) throws(SyntaxError) -> XMLNode {
    var reader = XMLReader(bytes)
    try reader.skipMisc()
    guard reader.peek(UInt8(ascii: "<")) else { throw reader.error("expected the root element") }
    let root = try reader.element(depth: 0)
    try reader.skipMisc()
    guard reader.index == reader.bytes.count else { throw reader.error("content after the root element") }
    return root
  }

  private func error(_ message: String) -> SyntaxError { SyntaxError(message: message, offset: index) }

  private func peek(_ byte: UInt8) -> Bool { index < bytes.count && bytes[index] == byte }

  private func starts(with text: String) -> Bool {
    let pattern = Array(text.utf8)
    return index + pattern.count <= bytes.count && Array(bytes[index..<index + pattern.count]) == pattern
  }

  private mutating func skip(past text: String) throws(SyntaxError) {
    let pattern = Array(text.utf8)
    while index + pattern.count <= bytes.count {
      if bytes[index] == pattern[0], Array(bytes[index..<index + pattern.count]) == pattern {
        index += pattern.count
        return
      }
      index += 1
    }
    throw error("unterminated construct, expected `\(text)`")
  }

  private mutating func skipSpace() {
    while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
  }

  /// Whitespace, comments, processing instructions and the declaration between top-level constructs.
  private mutating func skipMisc() throws(SyntaxError) {
    if index == 0, starts(with: "\u{FEFF}") { index += 3 }
    while true {
      skipSpace()
      if starts(with: "<?") {
        try skip(past: "?>")
      } else if starts(with: "<!--") {
        try skip(past: "-->")
      } else if starts(with: "<!") {
        throw error("document type declarations are not accepted")
      } else {
        return
      }
    }
  }

  private mutating func name() throws(SyntaxError) -> String {
    let start = index
    while index < bytes.count {
      let byte = bytes[index]
      if [0x20, 0x09, 0x0A, 0x0D, UInt8(ascii: ">"), UInt8(ascii: "/"), UInt8(ascii: "="), UInt8(ascii: "<")].contains(byte) { break }
      index += 1
    }
    guard index > start else { throw error("expected a name") }
    return String(decoding: bytes[start..<index], as: UTF8.self)
  }

  private mutating func element(depth: Int) throws(SyntaxError) -> XMLNode {
    guard depth < XMLReader.maximumDepth else { throw error("elements nest too deeply") }
    index += 1  // <
    let qualified = try name()
    // Attributes: read and dropped (AWS responses carry only xmlns).
    while true {
      skipSpace()
      guard index < bytes.count else { throw error("unterminated start tag <\(qualified)>") }
      if bytes[index] == UInt8(ascii: "/") {
        guard index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: ">") else { throw error("expected `/>`") }
        index += 2
        return XMLNode(name: XMLReader.local(qualified), children: [], text: "")
      }
      if bytes[index] == UInt8(ascii: ">") {
        index += 1
        break
      }
      _ = try name()
      skipSpace()
      guard peek(UInt8(ascii: "=")) else { throw error("expected `=` after an attribute name") }
      index += 1
      skipSpace()
      guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") || bytes[index] == UInt8(ascii: "'") else {
        throw error("expected a quoted attribute value")
      }
      let quote = bytes[index]
      index += 1
      while index < bytes.count, bytes[index] != quote { index += 1 }
      guard index < bytes.count else { throw error("unterminated attribute value") }
      index += 1
    }
    var node = XMLNode(name: XMLReader.local(qualified), children: [], text: "")
    var text: [UInt8] = []
    while true {
      guard index < bytes.count else { throw error("unterminated element <\(qualified)>") }
      let byte = bytes[index]
      if byte == UInt8(ascii: "<") {
        if starts(with: "</") {
          index += 2
          let closing = try name()
          guard closing == qualified else { throw error("</\(closing)> closes <\(qualified)>") }
          skipSpace()
          guard peek(UInt8(ascii: ">")) else { throw error("expected `>`") }
          index += 1
          node.text = String(decoding: text, as: UTF8.self)
          return node
        } else if starts(with: "<![CDATA[") {
          index += 9
          let start = index
          try skip(past: "]]>")
          text.append(contentsOf: bytes[start..<index - 3])
        } else if starts(with: "<!--") {
          try skip(past: "-->")
        } else if starts(with: "<?") {
          try skip(past: "?>")
        } else if starts(with: "<!") {
          throw error("document type declarations are not accepted")
        } else {
          node.children.append(try element(depth: depth + 1))
        }
      } else if byte == UInt8(ascii: "&") {
        text.append(contentsOf: try reference())
      } else {
        text.append(byte)
        index += 1
      }
    }
  }

  /// `&lt;` `&gt;` `&amp;` `&quot;` `&apos;` `&#N;` `&#xN;` as UTF-8.
  private mutating func reference() throws(SyntaxError) -> [UInt8] {
    let start = index
    guard let end = bytes[index...].prefix(16).firstIndex(of: UInt8(ascii: ";")) else { throw error("unterminated entity reference") }
    let name = String(decoding: bytes[start + 1..<end], as: UTF8.self)
    index = end + 1
    switch name {
    case "lt": return Array("<".utf8)
    case "gt": return Array(">".utf8)
    case "amp": return Array("&".utf8)
    case "quot": return Array("\"".utf8)
    case "apos": return Array("'".utf8)
    default:
      var value: UInt32?
      if name.hasPrefix("#x") || name.hasPrefix("#X") {
        value = UInt32(name.dropFirst(2), radix: 16)
      } else if name.hasPrefix("#") {
        value = UInt32(name.dropFirst(), radix: 10)
      }
      guard let value, let scalar = Unicode.Scalar(value) else {
        index = start
        throw error("unknown entity `&\(name);`")
      }
      return Array(String(Character(scalar)).utf8)
    }
  }

  private static func local(_ qualified: String) -> String {
    guard let colon = qualified.lastIndex(of: ":") else { return qualified }
    return String(qualified[qualified.index(after: colon)...])
  }
}
