import IAMPolicy

/// What a scalar means under the YAML 1.2 core schema.
public enum YAMLCoreValue: Sendable, Hashable {
  /// `null`, `Null`, `NULL`, `~`, or nothing at all.
  case null
  /// `true`, `True`, `TRUE`, `false`, `False`, `FALSE`.
  case bool(Bool)
  /// An integer, as written: `12`, `-3`, `+4`, `0o17`, `0x1F`.
  case integer(String)
  /// A floating-point number, as written: `1.5`, `-2e3`, `.5`, `.inf`, `.nan`.
  case float(String)
  /// Anything else, and every quoted or block scalar.
  case string(String)
}

extension YAMLNode {
  /// The scalar's meaning under the YAML 1.2 core schema, ignoring any tag; `nil` for collections.
  ///
  /// Only plain scalars are resolved: quoted and block scalars are strings, and so is a plain scalar with the
  /// non-specific tag `!`.
  ///
  /// YAML 1.1 resolves more plain scalars than 1.2: `yes`, `no`, `on`, `off`, `y`, `n` as booleans, `0777` as
  /// octal, `1_000` and `1:30` as integers. They are strings here (YAML 1.2). CloudFormation does not read
  /// `yes`/`no`/`on`/`off` as strings: its template format page has said that it "supports the YAML Version 1.1
  /// specification with a few exceptions" (quoted, in Japanese, by a report of a tag value `yes` deployed as
  /// `true`, linked from `Documentation/YAML.md`), and AWS documents no list of the YAML 1.1 forms its parser
  /// resolves (`y`? `0777`?). ``CloudFormationYAML`` therefore refuses all of them, asking for quotes, rather
  /// than guess.
  public var coreValue: YAMLCoreValue? {
    guard case .scalar(let text, let style) = kind else { return nil }
    guard style == .plain, tag != "!" else { return .string(text) }
    return YAMLNode.resolvePlain(text)
  }

  /// Resolves the text of a plain scalar under the YAML 1.2 core schema.
  public static func resolvePlain(_ text: String) -> YAMLCoreValue {
    switch text {
    case "", "~", "null", "Null", "NULL": return .null
    case "true", "True", "TRUE": return .bool(true)
    case "false", "False", "FALSE": return .bool(false)
    case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF", ".nan", ".NaN", ".NAN":
      return .float(text)
    default: break
    }
    let bytes = Array(text.utf8)
    if isCoreInteger(bytes) { return .integer(text) }
    if isCoreFloat(bytes) { return .float(text) }
    return .string(text)
  }

  private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

  /// `[-+]?[0-9]+`, `0o[0-7]+`, `0x[0-9a-fA-F]+`.
  static func isCoreInteger(_ bytes: [UInt8]) -> Bool {
    if bytes.count > 2 && bytes[0] == UInt8(ascii: "0") {
      let rest = bytes[2...]
      if bytes[1] == UInt8(ascii: "o") { return rest.allSatisfy { $0 >= 0x30 && $0 <= 0x37 } }
      if bytes[1] == UInt8(ascii: "x") { return rest.allSatisfy { isDigit($0) || (0x61...0x66).contains($0 | 0x20) } }
    }
    var digits = bytes[...]
    if let first = digits.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
      digits = digits.dropFirst()
    }
    return !digits.isEmpty && digits.allSatisfy(isDigit)
  }

  /// `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`.
  static func isCoreFloat(_ bytes: [UInt8]) -> Bool {
    var index = 0
    func digits() -> Int {
      let start = index
      while index < bytes.count && isDigit(bytes[index]) { index += 1 }
      return index - start
    }
    if index < bytes.count && (bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+")) { index += 1 }
    let integerDigits = digits()
    var fractionDigits = 0
    var dot = false
    if index < bytes.count && bytes[index] == UInt8(ascii: ".") {
      dot = true
      index += 1
      fractionDigits = digits()
    }
    guard integerDigits > 0 || dot && fractionDigits > 0 else { return false }
    if index < bytes.count && (bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E")) {
      index += 1
      if index < bytes.count && (bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+")) { index += 1 }
      guard digits() > 0 else { return false }
    }
    return index == bytes.count
  }

  /// Whether `text` is a number as JSON writes it (RFC 8259): `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?`.
  static func isJSONNumber(_ text: String) -> Bool {
    let bytes = Array(text.utf8)
    var index = 0
    func digits() -> Int {
      let start = index
      while index < bytes.count && isDigit(bytes[index]) { index += 1 }
      return index - start
    }
    if index < bytes.count && bytes[index] == UInt8(ascii: "-") { index += 1 }
    let start = index
    let integerDigits = digits()
    guard integerDigits > 0, integerDigits == 1 || bytes[start] != UInt8(ascii: "0") else { return false }
    if index < bytes.count && bytes[index] == UInt8(ascii: ".") {
      index += 1
      guard digits() > 0 else { return false }
    }
    if index < bytes.count && (bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E")) {
      index += 1
      if index < bytes.count && (bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+")) { index += 1 }
      guard digits() > 0 else { return false }
    }
    return index == bytes.count
  }

  /// Why a plain scalar that YAML 1.2 reads as a string would be read differently by YAML 1.1, or `nil`.
  static func yaml11Reading(of text: String) -> String? {
    switch text {
    case "y", "Y", "yes", "Yes", "YES", "on", "On", "ON": return "the boolean true"
    case "n", "N", "no", "No", "NO", "off", "Off", "OFF": return "the boolean false"
    default: break
    }
    let bytes = Array(text.utf8)
    guard let first = bytes.first, isDigit(first) || first == UInt8(ascii: "-") || first == UInt8(ascii: "+") else {
      return nil
    }
    var body = bytes[...]
    if first == UInt8(ascii: "-") || first == UInt8(ascii: "+") { body = body.dropFirst() }
    guard let lead = body.first, isDigit(lead) else { return nil }
    let hasUnderscore = body.contains(UInt8(ascii: "_"))
    // 0b1010, 0x_1F, +0x1F: binary, or hexadecimal with an underscore or a sign.
    if body.count > 2 && lead == UInt8(ascii: "0") {
      let marker = body[body.startIndex + 1]
      let rest = body.dropFirst(2)
      if marker == UInt8(ascii: "b") && rest.allSatisfy({ $0 == 0x30 || $0 == 0x31 || $0 == UInt8(ascii: "_") }) {
        return "a binary integer"
      }
      if marker == UInt8(ascii: "x") && (hasUnderscore || body.count != bytes.count)
        && rest.allSatisfy({ isDigit($0) || (0x61...0x66).contains($0 | 0x20) || $0 == UInt8(ascii: "_") })
      {
        return "a hexadecimal integer"
      }
    }
    // 1:30, 190:20:30.15: base 60.
    if body.contains(UInt8(ascii: ":")) {
      let parts = body.split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false)
      var last = parts[parts.count - 1][...]
      if let dot = last.firstIndex(of: UInt8(ascii: ".")) {
        guard last[(dot + 1)...].allSatisfy({ isDigit($0) || $0 == UInt8(ascii: "_") }) else { return nil }
        last = last[..<dot]
      }
      let head = parts[0]
      let headIsNumber = head.allSatisfy({ isDigit($0) || $0 == UInt8(ascii: "_") })
      guard headIsNumber, head.first != UInt8(ascii: "0") || head.count == 1 else {
        return nil
      }
      let middle = parts.dropFirst().dropLast().map { $0[...] } + [last]
      // Each part after the first is 0 to 59, written with one or two digits.
      let sixties = middle.allSatisfy {
        $0.count >= 1 && $0.count <= 2 && $0.allSatisfy(isDigit) && ($0.count == 1 || $0.first! <= 0x35)
      }
      if sixties {
        return "a base-60 number"
      }
      return nil
    }
    // 1_000, 1_000.5: digits with underscores.
    if hasUnderscore {
      let withoutUnderscores = String(decoding: bytes.filter { $0 != UInt8(ascii: "_") }, as: UTF8.self)
      if isCoreInteger(Array(withoutUnderscores.utf8)) || isCoreFloat(Array(withoutUnderscores.utf8)) {
        return "a number (underscores are ignored in YAML 1.1 numbers)"
      }
    }
    return nil
  }
}

extension YAMLNode {
  /// The node as JSON, scalars resolved by the YAML 1.2 core schema, positions kept.
  ///
  /// Numbers keep their text; a number JSON cannot write (`+1`, `007`, `0x1F`, `.5`, `.inf`) is refused with its
  /// position rather than rewritten. The standard tags `!!str`, `!!int`, `!!float`, `!!bool`, `!!null`, `!!seq`
  /// and `!!map` are applied (a value that does not fit its tag is refused); every other tag is refused.
  /// Mapping keys are their text. Duplicate keys are kept, as ``JSONReader`` keeps them.
  public func json() throws(YAMLSyntaxError) -> JSONValue {
    try YAMLJSONConversion(custom: nil).convert(self, path: .root)
  }
}

/// The recursive conversion shared by ``YAMLNode/json()`` and ``CloudFormationYAML``: `custom` converts the nodes
/// whose tags it knows (returning `nil` for the others).
struct YAMLJSONConversion {
  typealias Custom = (YAMLNode, JSONPath, YAMLJSONConversion) throws(YAMLSyntaxError) -> JSONValue?
  let custom: Custom?
  /// Whether the YAML 1.1 readings (`yes`, `0777`, `1_000`, ...) are refused.
  var refusesYAML11Ambiguity = false

  init(custom: Custom?, refusesYAML11Ambiguity: Bool = false) {
    self.custom = custom
    self.refusesYAML11Ambiguity = refusesYAML11Ambiguity
  }

  func convert(_ node: YAMLNode, path: JSONPath) throws(YAMLSyntaxError) -> JSONValue {
    if node.tag != nil, let custom, let converted = try custom(node, path, self) { return converted }
    return try standard(node, path: path)
  }

  /// Converts a node by its kind and its standard tag, if any; the elements and member values through `convert`.
  func standard(_ node: YAMLNode, path: JSONPath) throws(YAMLSyntaxError) -> JSONValue {
    let position = node.position
    func fail(_ message: String) -> YAMLSyntaxError { YAMLSyntaxError(message, at: position, path: path) }
    switch node.kind {
    case .sequence(let elements):
      guard node.tag == nil || node.tag == "!!seq" || node.tag == "!" else {
        throw fail("the tag `\(node.tag!)` is not supported on a sequence")
      }
      var values: [JSONValue] = []
      values.reserveCapacity(elements.count)
      for (offset, element) in elements.enumerated() {
        values.append(try convert(element, path: path.appending(offset)))
      }
      return JSONValue(.array(values), at: position)
    case .mapping(let members):
      guard node.tag == nil || node.tag == "!!map" || node.tag == "!" else {
        throw fail("the tag `\(node.tag!)` is not supported on a mapping")
      }
      var values: [JSONValue.Member] = []
      values.reserveCapacity(members.count)
      for member in members {
        let value = try convert(member.value, path: path.appending(member.key))
        values.append(JSONValue.Member(key: member.key, keyPosition: member.keyPosition, value: value))
      }
      return JSONValue(.object(values), at: position)
    case .scalar(let text, let style):
      let resolved: YAMLCoreValue
      switch node.tag {
      case nil, "!":
        resolved = node.coreValue ?? .string(text)
        if refusesYAML11Ambiguity, node.tag == nil, style == .plain, case .string = resolved,
          let reading = YAMLNode.yaml11Reading(of: text)
        {
          throw fail(
            "`\(text)` is a string in YAML 1.2 but \(reading) in YAML 1.1, which CloudFormation has been documented "
              + "to follow; quote it for the string, or write the value you mean in its YAML 1.2 form")
        }
      case "!!str": resolved = .string(text)
      case "!!null":
        guard YAMLNode.resolvePlain(text) == .null else { throw fail("`\(text)` is not a null (`!!null`)") }
        resolved = .null
      case "!!bool":
        guard case .bool(let value) = YAMLNode.resolvePlain(text) else {
          throw fail("`\(text)` is not a boolean (`!!bool`): true or false")
        }
        resolved = .bool(value)
      case "!!int":
        guard case .integer = YAMLNode.resolvePlain(text) else { throw fail("`\(text)` is not an integer (`!!int`)") }
        resolved = .integer(text)
      case "!!float":
        switch YAMLNode.resolvePlain(text) {
        case .integer, .float: resolved = .float(text)
        default: throw fail("`\(text)` is not a number (`!!float`)")
        }
      case "!!binary", "!!timestamp", "!!set", "!!omap", "!!pairs":
        throw fail("the tag `\(node.tag!)` is not supported (CloudFormation does not support it either)")
      default:
        throw fail("the tag `\(node.tag!)` is not supported here")
      }
      switch resolved {
      case .null: return JSONValue(.null, at: position)
      case .bool(let value): return JSONValue(.bool(value), at: position)
      case .string(let value): return JSONValue(.string(value), at: position)
      case .integer(let number), .float(let number):
        guard YAMLNode.isJSONNumber(number) else {
          let digits = number.drop(while: { $0 == "-" || $0 == "+" })
          if digits.count > 1, digits.first == "0", digits.allSatisfy(\.isNumber) {
            let significant = digits.drop(while: { $0 == "0" })
            let decimal = significant.isEmpty ? "0" : String(significant)
            throw fail(
              "`\(number)` is a number with a leading zero, which YAML 1.2 reads as \(decimal) and YAML 1.1 as "
                + "octal; quote it if it is an identifier such as an account ID")
          }
          throw fail("`\(number)` is a number that JSON cannot write; quote it, or write it as a JSON number")
        }
        return JSONValue(.number(number), at: position)
      }
    }
  }
}
