/// A JSON value built for output, whose objects keep the order their members were given in.
///
/// Output is deterministic: the same value always renders to the same bytes.
public indirect enum JSONOutput: Sendable, Hashable, ExpressibleByStringLiteral, ExpressibleByBooleanLiteral,
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
    var text = ""
    write(to: &text, pretty: pretty, indent: 0)
    return text
  }

  private func write(to text: inout String, pretty: Bool, indent: Int) {
    switch self {
    case .null: text += "null"
    case .bool(let value): text += value ? "true" : "false"
    case .number(let value): text += value
    case .string(let value): JSONOutput.writeString(value, to: &text)
    case .array(let elements):
      if elements.isEmpty { text += "[]"; return }
      text += "["
      for (offset, element) in elements.enumerated() {
        if offset > 0 { text += "," }
        if pretty { text += "\n" + String(repeating: "  ", count: indent + 1) }
        element.write(to: &text, pretty: pretty, indent: indent + 1)
      }
      if pretty { text += "\n" + String(repeating: "  ", count: indent) }
      text += "]"
    case .object(let members):
      if members.isEmpty { text += "{}"; return }
      text += "{"
      for (offset, (key, value)) in members.enumerated() {
        if offset > 0 { text += "," }
        if pretty { text += "\n" + String(repeating: "  ", count: indent + 1) }
        JSONOutput.writeString(key, to: &text)
        text += pretty ? ": " : ":"
        value.write(to: &text, pretty: pretty, indent: indent + 1)
      }
      if pretty { text += "\n" + String(repeating: "  ", count: indent) }
      text += "}"
    }
  }

  private static func writeString(_ value: String, to text: inout String) {
    text += "\""
    for scalar in value.unicodeScalars {
      switch scalar {
      case "\"": text += "\\\""
      case "\\": text += "\\\\"
      case "\n": text += "\\n"
      case "\r": text += "\\r"
      case "\t": text += "\\t"
      default:
        if scalar.value < 0x20 || scalar.value == 0x7F || (0x2028...0x2029).contains(scalar.value) {
          let hex = String(scalar.value, radix: 16)
          text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        } else {
          text.unicodeScalars.append(scalar)
        }
      }
    }
    text += "\""
  }

  public static func == (lhs: JSONOutput, rhs: JSONOutput) -> Bool {
    lhs.rendered() == rhs.rendered()
  }

  public func hash(into hasher: inout Hasher) {
    hasher.combine(rendered())
  }
}
