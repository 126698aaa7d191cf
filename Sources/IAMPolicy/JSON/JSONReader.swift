/// A strict JSON reader that keeps positions and duplicate keys.
///
/// It accepts RFC 8259 JSON only: no byte-order mark, no comments, no trailing commas,
/// valid UTF-8, and it refuses nesting deeper than ``maximumDepth`` so that hostile input
/// cannot exhaust the stack.
public struct JSONReader: Sendable {
  /// The deepest nesting of arrays and objects accepted.
  public var maximumDepth: Int

  /// Creates a reader.
  public init(maximumDepth: Int = 256) {
    self.maximumDepth = maximumDepth
  }

  /// Reads one JSON document.
  ///
  /// - Parameter bytes: the UTF-8 text of the document.
  /// - Returns: the document's root value.
  /// - Throws: ``JSONSyntaxError`` naming the line and column of the first problem.
  /// - Complexity: O(n) in the length of `bytes`.
  public func read(_ bytes: [UInt8]) throws(JSONSyntaxError) -> JSONValue {
    var scanner = Scanner(bytes: bytes, maximumDepth: maximumDepth)
    return try scanner.document()
  }

  /// Reads one JSON document from a string.
  public func read(_ text: String) throws(JSONSyntaxError) -> JSONValue {
    try read(Array(text.utf8))
  }
}

/// A JSON syntax error and where it is.
public struct JSONSyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
  /// What is wrong, lower-case and without a final period.
  public var message: String
  /// Where the problem is.
  public var position: SourcePosition

  /// Creates an error.
  public init(_ message: String, at position: SourcePosition) {
    self.message = message
    self.position = position
  }

  /// The error as `line:column: message`.
  public var description: String { "\(position): \(message)" }
}

private struct Scanner {
  let bytes: [UInt8]
  let maximumDepth: Int
  var index = 0
  var line = 1
  /// The index of the first byte of the current line.
  var lineStart = 0
  var depth = 0
  /// The last offset whose column was computed, and that column: positions are asked for in increasing
  /// order, so counting resumes here instead of at the line start (linear, even for one-line documents).
  var columnCacheOffset = 0
  var columnCacheValue = 1

  init(bytes: [UInt8], maximumDepth: Int) {
    self.bytes = bytes
    self.maximumDepth = maximumDepth
  }

  var position: SourcePosition {
    mutating get { position(of: index) }
  }

  mutating func position(of offset: Int) -> SourcePosition {
    // Columns count scalars: skip UTF-8 continuation bytes.
    var column = 1
    var cursor = lineStart
    if columnCacheOffset >= lineStart && columnCacheOffset <= offset {
      cursor = columnCacheOffset
      column = columnCacheValue
    }
    while cursor < offset && cursor < bytes.count {
      if bytes[cursor] & 0xC0 != 0x80 { column += 1 }
      cursor += 1
    }
    columnCacheOffset = cursor
    columnCacheValue = column
    return SourcePosition(line: line, column: column)
  }

  mutating func fail(_ message: String) -> JSONSyntaxError {
    JSONSyntaxError(message, at: position)
  }

  mutating func document() throws(JSONSyntaxError) -> JSONValue {
    if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
      throw fail("the file starts with a byte-order mark, which JSON does not allow")
    }
    skipWhitespace()
    guard index < bytes.count else { throw fail("the document is empty") }
    let root = try value()
    skipWhitespace()
    if index < bytes.count {
      throw fail("unexpected \(describeByte(bytes[index])) after the end of the document")
    }
    return root
  }

  mutating func skipWhitespace() {
    while index < bytes.count {
      switch bytes[index] {
      case 0x20, 0x09, 0x0D:
        index += 1
      case 0x0A:
        index += 1
        line += 1
        lineStart = index
      default:
        return
      }
    }
  }

  mutating func value() throws(JSONSyntaxError) -> JSONValue {
    guard index < bytes.count else { throw fail("the document ends where a value was expected") }
    let start = position
    switch bytes[index] {
    case UInt8(ascii: "{"): return JSONValue(.object(try object()), at: start)
    case UInt8(ascii: "["): return JSONValue(.array(try array()), at: start)
    case UInt8(ascii: "\""): return JSONValue(.string(try string()), at: start)
    case UInt8(ascii: "t"): try literal("true"); return JSONValue(.bool(true), at: start)
    case UInt8(ascii: "f"): try literal("false"); return JSONValue(.bool(false), at: start)
    case UInt8(ascii: "n"): try literal("null"); return JSONValue(.null, at: start)
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
      return JSONValue(.number(try number()), at: start)
    default:
      throw fail("unexpected \(describeByte(bytes[index])) where a value was expected")
    }
  }

  mutating func enter() throws(JSONSyntaxError) {
    depth += 1
    if depth > maximumDepth {
      throw fail("the document nests arrays and objects deeper than \(maximumDepth) levels")
    }
  }

  mutating func object() throws(JSONSyntaxError) -> [JSONValue.Member] {
    try enter()
    index += 1
    var members: [JSONValue.Member] = []
    skipWhitespace()
    if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
      index += 1
      depth -= 1
      return members
    }
    while true {
      skipWhitespace()
      guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
        throw fail(
          index >= bytes.count ? "the document ends inside an object"
            : bytes[index] == UInt8(ascii: "}") ? "expected a quoted member name, found `}` (a comma before `}` is not allowed in JSON)"
            : "expected a quoted member name")
      }
      let keyPosition = position
      let key = try string()
      skipWhitespace()
      guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else {
        throw fail("expected `:` after the member name `\(key)`")
      }
      index += 1
      skipWhitespace()
      let memberValue = try value()
      members.append(JSONValue.Member(key: key, keyPosition: keyPosition, value: memberValue))
      skipWhitespace()
      guard index < bytes.count else { throw fail("the document ends inside an object") }
      if bytes[index] == UInt8(ascii: ",") {
        index += 1
        continue
      }
      if bytes[index] == UInt8(ascii: "}") {
        index += 1
        depth -= 1
        return members
      }
      throw fail("expected `,` or `}` after an object member")
    }
  }

  mutating func array() throws(JSONSyntaxError) -> [JSONValue] {
    try enter()
    index += 1
    var elements: [JSONValue] = []
    skipWhitespace()
    if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
      index += 1
      depth -= 1
      return elements
    }
    while true {
      skipWhitespace()
      elements.append(try value())
      skipWhitespace()
      guard index < bytes.count else { throw fail("the document ends inside an array") }
      if bytes[index] == UInt8(ascii: ",") {
        index += 1
        continue
      }
      if bytes[index] == UInt8(ascii: "]") {
        index += 1
        depth -= 1
        return elements
      }
      throw fail("expected `,` or `]` after an array element")
    }
  }

  mutating func literal(_ word: String) throws(JSONSyntaxError) {
    let expected = word.utf8
    let count = expected.count
    let matches = index + count <= bytes.count && bytes[index..<index + count].elementsEqual(expected)
    guard matches else { throw fail("unexpected \(describeByte(bytes[index])) where a value was expected") }
    index += count
  }

  mutating func number() throws(JSONSyntaxError) -> String {
    let start = index
    if bytes[index] == UInt8(ascii: "-") { index += 1 }
    guard index < bytes.count, isDigit(bytes[index]) else { throw fail("a number needs a digit after `-`") }
    if bytes[index] == UInt8(ascii: "0") {
      index += 1
      if index < bytes.count, isDigit(bytes[index]) { throw fail("a number may not have leading zeros") }
    } else {
      while index < bytes.count, isDigit(bytes[index]) { index += 1 }
    }
    if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
      index += 1
      guard index < bytes.count, isDigit(bytes[index]) else { throw fail("a number needs a digit after `.`") }
      while index < bytes.count, isDigit(bytes[index]) { index += 1 }
    }
    if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
      index += 1
      if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
      guard index < bytes.count, isDigit(bytes[index]) else { throw fail("a number needs a digit in its exponent") }
      while index < bytes.count, isDigit(bytes[index]) { index += 1 }
    }
    return decodeASCII(start..<index)
  }

  func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

  mutating func string() throws(JSONSyntaxError) -> String {
    index += 1
    let start = index
    // Fast path: no escapes.
    var ascii = true
    while index < bytes.count {
      let byte = bytes[index]
      if byte == UInt8(ascii: "\"") {
        let text = ascii ? decodeASCII(start..<index) : try decodeUTF8(start..<index)
        index += 1
        return text
      }
      if byte == UInt8(ascii: "\\") { break }
      if byte < 0x20 { throw fail("a string may not contain the control character \(describeByte(byte)); escape it") }
      if byte >= 0x80 { ascii = false }
      index += 1
    }
    var result = try decodeUTF8(start..<index)
    while index < bytes.count {
      let byte = bytes[index]
      if byte == UInt8(ascii: "\"") {
        index += 1
        return result
      }
      if byte < 0x20 { throw fail("a string may not contain the control character \(describeByte(byte)); escape it") }
      if byte == UInt8(ascii: "\\") {
        result.unicodeScalars.append(try escape())
        continue
      }
      let runStart = index
      while index < bytes.count, bytes[index] != UInt8(ascii: "\""), bytes[index] != UInt8(ascii: "\\"), bytes[index] >= 0x20 {
        index += 1
      }
      result += try decodeUTF8(runStart..<index)
    }
    throw fail("the document ends inside a string")
  }

  /// Text known to be ASCII (valid UTF-8), copied from the bytes without the generic validation.
  func decodeASCII(_ range: Range<Int>) -> String {
    bytes.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[range]), as: UTF8.self) }
  }

  mutating func decodeUTF8(_ range: Range<Int>) throws(JSONSyntaxError) -> String {
    guard let text = String(validating: bytes[range], as: UTF8.self) else {
      var offset = range.lowerBound
      // Find the first byte that starts an invalid sequence, for the message.
      while offset < range.upperBound, bytes[offset] < 0x80 { offset += 1 }
      throw JSONSyntaxError("the text is not valid UTF-8", at: position(of: offset))
    }
    return text
  }

  mutating func escape() throws(JSONSyntaxError) -> Unicode.Scalar {
    index += 1
    guard index < bytes.count else { throw fail("the document ends inside a string") }
    let byte = bytes[index]
    index += 1
    switch byte {
    case UInt8(ascii: "\""): return "\""
    case UInt8(ascii: "\\"): return "\\"
    case UInt8(ascii: "/"): return "/"
    case UInt8(ascii: "b"): return "\u{08}"
    case UInt8(ascii: "f"): return "\u{0C}"
    case UInt8(ascii: "n"): return "\n"
    case UInt8(ascii: "r"): return "\r"
    case UInt8(ascii: "t"): return "\t"
    case UInt8(ascii: "u"):
      let high = try hex4()
      if (0xD800...0xDBFF).contains(high) {
        guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
          throw fail("a high surrogate escape must be followed by a low surrogate escape")
        }
        index += 2
        let low = try hex4()
        guard (0xDC00...0xDFFF).contains(low) else { throw fail("invalid low surrogate escape") }
        let value = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
        return Unicode.Scalar(value)!
      }
      guard let scalar = Unicode.Scalar(high) else { throw fail("a lone low surrogate escape is not a character") }
      return scalar
    default:
      index -= 2
      throw fail("invalid escape sequence in a string")
    }
  }

  mutating func hex4() throws(JSONSyntaxError) -> UInt32 {
    guard index + 4 <= bytes.count else { throw fail("a `\\u` escape needs four hexadecimal digits") }
    var value: UInt32 = 0
    for _ in 0..<4 {
      let byte = bytes[index]
      let digit: UInt32
      switch byte {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
      case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
      case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
      default: throw fail("a `\\u` escape needs four hexadecimal digits")
      }
      value = value << 4 | digit
      index += 1
    }
    return value
  }

  func describeByte(_ byte: UInt8) -> String {
    if byte >= 0x21 && byte < 0x7F { return "`\(Character(Unicode.Scalar(byte)))`" }
    if byte == 0 { return "NUL byte" }
    return "byte 0x" + String(byte, radix: 16, uppercase: true)
  }
}
