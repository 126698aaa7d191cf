/// A JSON value built for output, whose objects keep the order their members were given in.
///
/// Output is deterministic: the same value always renders to the same bytes.
public enum JSONOutput: Sendable, Hashable, ExpressibleByStringLiteral, ExpressibleByBooleanLiteral,
  ExpressibleByIntegerLiteral
{
  case null
  case bool(Bool)
  /// A number in its JSON text form.
  case number(String)
  case string(String)
  case array([JSONOutput])
  case object([(String, JSONOutput)])

  public init(stringLiteral value: String) { self = .string(value) }
  public init(booleanLiteral value: Bool) { self = .bool(value) }
  public init(integerLiteral value: Int) { self = .number(String(value)) }

  /// A number from an integer.
  public static func int(_ value: Int) -> JSONOutput { .number(String(value)) }

  /// A string, or `null` when there is none.
  public static func optional(_ value: String?) -> JSONOutput { value.map(JSONOutput.string) ?? .null }

  /// Renders the value.
  ///
  /// - Parameter pretty: indent with two spaces, one member per line; otherwise one line.
  public func rendered(pretty: Bool = false) -> String {
    // Rendered as UTF-8 bytes and decoded once: appending to a String piece by piece costs far more.
    var bytes: [UInt8] = []
    bytes.reserveCapacity(512)
    write(to: &bytes, pretty: pretty, indent: 0)
    return String(decoding: bytes, as: UTF8.self)
  }

  /// Appends the compact rendering to `bytes`: the UTF-8 of ``rendered(pretty:)`` with `pretty` false.
  public func render(appendingTo bytes: inout [UInt8]) {
    write(to: &bytes, pretty: false, indent: 0)
  }

  /// Appends the rendering of the value as it would appear nested `indent` levels deep in a pretty rendering
  /// (its closing bracket indented `indent` levels), for output written piece by piece.
  public func render(appendingTo bytes: inout [UInt8], pretty: Bool, indent: Int) {
    write(to: &bytes, pretty: pretty, indent: indent)
  }

  private func write(to bytes: inout [UInt8], pretty: Bool, indent: Int) {
    switch self {
    case .null: bytes.append(contentsOf: "null".utf8)
    case .bool(let value): bytes.append(contentsOf: (value ? "true" : "false").utf8)
    case .number(let value): bytes.append(contentsOf: value.utf8)
    case .string(let value): JSONOutput.appendString(value, to: &bytes)
    case .array(let elements):
      if elements.isEmpty {
        bytes.append(contentsOf: "[]".utf8)
        return
      }
      bytes.append(UInt8(ascii: "["))
      for (offset, element) in elements.enumerated() {
        if offset > 0 { bytes.append(UInt8(ascii: ",")) }
        if pretty { JSONOutput.newline(&bytes, indent: indent + 1) }
        element.write(to: &bytes, pretty: pretty, indent: indent + 1)
      }
      if pretty { JSONOutput.newline(&bytes, indent: indent) }
      bytes.append(UInt8(ascii: "]"))
    case .object(let members):
      if members.isEmpty {
        bytes.append(contentsOf: "{}".utf8)
        return
      }
      bytes.append(UInt8(ascii: "{"))
      for (offset, (key, value)) in members.enumerated() {
        if offset > 0 { bytes.append(UInt8(ascii: ",")) }
        if pretty { JSONOutput.newline(&bytes, indent: indent + 1) }
        JSONOutput.appendString(key, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        if pretty { bytes.append(UInt8(ascii: " ")) }
        value.write(to: &bytes, pretty: pretty, indent: indent + 1)
      }
      if pretty { JSONOutput.newline(&bytes, indent: indent) }
      bytes.append(UInt8(ascii: "}"))
    }
  }

  private static func newline(_ bytes: inout [UInt8], indent: Int) {
    bytes.append(UInt8(ascii: "\n"))
    bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 2 * indent))
  }

  /// Appends a string in quotes, escaping `"`, `\\`, control characters, U+007F, U+2028 and U+2029;
  /// runs of other bytes are copied as they are.
  public static func appendString(_ value: String, to bytes: inout [UInt8]) {
    bytes.append(UInt8(ascii: "\""))
    var value = value
    value.withUTF8 { utf8 in
      var runStart = 0
      var offset = 0
      while offset < utf8.count {
        // Eight bytes at a time while none of them is one the switch below escapes (or the lead byte of U+2028).
        while offset + 8 <= utf8.count
          && !JSONOutput.mayNeedEscape(UnsafeRawPointer(utf8.baseAddress! + offset).loadUnaligned(as: UInt64.self))
        {
          offset += 8
        }
        guard offset < utf8.count else { break }
        let byte = utf8[offset]
        let escape: String?
        var length = 1
        switch byte {
        case UInt8(ascii: "\""): escape = "\\\""
        case UInt8(ascii: "\\"): escape = "\\\\"
        case UInt8(ascii: "\n"): escape = "\\n"
        case UInt8(ascii: "\r"): escape = "\\r"
        case UInt8(ascii: "\t"): escape = "\\t"
        case 0x00..<0x20, 0x7F: escape = unicodeEscape(UInt32(byte))
        case 0xE2 where offset + 2 < utf8.count && utf8[offset + 1] == 0x80 && (utf8[offset + 2] == 0xA8 || utf8[offset + 2] == 0xA9):
          escape = unicodeEscape(utf8[offset + 2] == 0xA8 ? 0x2028 : 0x2029)
          length = 3
        default: escape = nil
        }
        if let escape {
          bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<offset]))
          bytes.append(contentsOf: escape.utf8)
          offset += length
          runStart = offset
        } else {
          offset += 1
        }
      }
      bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<utf8.count]))
    }
    bytes.append(UInt8(ascii: "\""))
  }

  /// Whether any of eight bytes is below 0x20, `"`, `\\`, 0x7F or 0xE2 (exact: no false negatives, no false
  /// positives), by the bit tricks that find a zero byte in a word without a branch per byte.
  @inline(__always)
  private static func mayNeedEscape(_ word: UInt64) -> Bool {
    let ones: UInt64 = 0x0101_0101_0101_0101
    let highs: UInt64 = 0x8080_8080_8080_8080
    @inline(__always) func hasZero(_ value: UInt64) -> Bool { (value &- ones) & ~value & highs != 0 }
    let below0x20 = (word &- ones &* 0x20) & ~word & highs != 0
    return below0x20 || hasZero(word ^ (ones &* 0x22)) || hasZero(word ^ (ones &* 0x5C)) || hasZero(word ^ (ones &* 0x7F))
      || hasZero(word ^ (ones &* 0xE2))
  }

  /// `\\u` and four lower-case hexadecimal digits.
  private static func unicodeEscape(_ value: UInt32) -> String {
    let hex = String(value, radix: 16)
    return "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
  }

  public static func == (lhs: JSONOutput, rhs: JSONOutput) -> Bool {
    lhs.rendered() == rhs.rendered()
  }

  public func hash(into hasher: inout Hasher) {
    hasher.combine(rendered())
  }
}
