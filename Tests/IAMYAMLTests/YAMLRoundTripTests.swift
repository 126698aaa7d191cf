import IAMPolicy
import IAMTestSupport
import Testing

@testable import IAMYAML

/// A random JSON tree and its YAML renderings, written here independently of the reader.
private indirect enum Tree {
  case null
  case bool(Bool)
  case number(String)
  case string(String)
  case array([Tree])
  case object([(String, Tree)])

  var output: JSONOutput {
    switch self {
    case .null: .null
    case .bool(let value): .bool(value)
    case .number(let text): .number(text)
    case .string(let text): .string(text)
    case .array(let elements): .array(elements.map(\.output))
    case .object(let members): .object(members.map { ($0.0, $0.1.output) })
    }
  }
}

private struct TreeGenerator {
  var random: SeededGenerator

  mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &random) }
  mutating func chance(_ percent: Int) -> Bool { int(1...100) <= percent }

  static let words = [
    "Allow", "Deny", "s3:GetObject", "arn:aws:iam::111122223333:role/Admin", "ec2:*", "*", "", " ", "a b",
    "yes", "no", "null", "true", "1", "0.5", "-", "- x", "#", "a #b", "a: b", "key:value", "'quoted'", "\"dq\"",
    "${AWS::Region}", "é ü 😀", "tab\there", "line\nbreak", "two\n\nbreaks\n", "trailing ", " leading",
    "[flow]", "{map}", "a,b", "---", "...", "&anchor", "*alias", "!tag", "%percent", "@at", "`tick`", "|", ">",
    "back\\slash", "bell\u{07}", "nul\u{0}", "\u{85}\u{2028}", "long " + String(repeating: "word ", count: 30),
  ]

  mutating func string() -> String {
    if chance(60) { return Self.words[int(0...Self.words.count - 1)] }
    let alphabet = Array("abcXYZ019 -_:/.*#'\"\\\n\t{}[],&!|>é")
    return String((0..<int(0...12)).map { _ in alphabet[int(0...alphabet.count - 1)] })
  }

  mutating func number() -> String {
    switch int(0...4) {
    case 0: return String(int(-1000...1000))
    case 1: return "\(int(-99...99)).\(int(0...999))"
    case 2: return "\(int(1...9))e\(int(-5...5))"
    case 3: return "-0"
    default: return "12345678901234567890"
    }
  }

  mutating func tree(depth: Int) -> Tree {
    let leaf = depth >= 5 || chance(40)
    if leaf {
      switch int(0...5) {
      case 0: return .null
      case 1: return .bool(chance(50))
      case 2: return .number(number())
      default: return .string(string())
      }
    }
    if chance(50) {
      return .array((0..<int(0...4)).map { _ in tree(depth: depth + 1) })
    }
    return .object((0..<int(0...4)).map { _ in (string(), tree(depth: depth + 1)) })
  }
}

/// Renders trees as YAML, choosing among the styles each scalar allows.
private struct Renderer {
  var random: SeededGenerator

  mutating func chance(_ percent: Int) -> Bool { Int.random(in: 1...100, using: &random) <= percent }

  /// Whether a string can be written as a plain scalar (in flow context too) and still read as that string.
  func isPlainSafe(_ text: String) -> Bool {
    guard let first = text.unicodeScalars.first, let last = text.unicodeScalars.last else { return false }
    let letters = first.properties.isAlphabetic && last != " "
    let allowed = text.unicodeScalars.allSatisfy {
      $0.properties.isAlphabetic || ("0"..."9").contains($0) || " _-./*$()".unicodeScalars.contains($0)
    }
    guard letters, allowed, !text.contains("  ") else { return false }
    return YAMLNode.resolvePlain(text) == .string(text)
  }

  func doubleQuoted(_ text: String) -> String { JSONOutput.string(text).rendered() }

  mutating func scalar(_ text: String, inFlow: Bool) -> String {
    if isPlainSafe(text) && chance(70) { return text }
    let printable = text.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value != 0x7F && $0 != "\u{85}" && $0 != "\u{2028}" && $0 != "\u{2029}" }
    if printable && chance(50) { return "'" + text.replacingOccurrences(of: "'", with: "''") + "'" }
    return doubleQuoted(text)
  }

  mutating func key(_ text: String) -> String {
    isPlainSafe(text) && chance(70) ? text : doubleQuoted(text)
  }

  func leaf(_ tree: Tree) -> String? {
    switch tree {
    case .null: "null"
    case .bool(let value): value ? "true" : "false"
    case .number(let text): text
    default: nil
    }
  }

  mutating func flow(_ tree: Tree, indent: Int) -> String {
    if let leaf = leaf(tree) { return leaf }
    let separator = chance(30) ? ",\n" + String(repeating: " ", count: indent + 2) : ", "
    switch tree {
    case .string(let text): return scalar(text, inFlow: true)
    case .array(let elements):
      var parts: [String] = []
      for element in elements { parts.append(flow(element, indent: indent)) }
      return "[" + parts.joined(separator: separator) + (chance(20) && !parts.isEmpty ? ", ]" : "]")
    case .object(let members):
      var parts: [String] = []
      for (name, value) in members { parts.append(key(name) + ": " + flow(value, indent: indent)) }
      return "{" + parts.joined(separator: separator) + "}"
    default: return "null"
    }
  }

  /// Literal block scalar text for strings it can hold exactly (clip chomping: one final line break).
  func literal(_ text: String, indent: Int) -> String? {
    guard text.hasSuffix("\n"), !text.hasSuffix("\n\n"), text.count > 1 else { return nil }
    let lines = text.dropLast().split(separator: "\n", omittingEmptySubsequences: false)
    guard let first = lines.first, !first.isEmpty, first.first != " ", first.first != "\t" else { return nil }
    let printable = text.unicodeScalars.allSatisfy { $0 == "\n" || $0 == "\t" || $0.value >= 0x20 && $0.value != 0x7F }
    guard printable, !lines.contains(where: { $0.allSatisfy { $0 == " " } && !$0.isEmpty }) else { return nil }
    let pad = String(repeating: " ", count: indent)
    return "|\n" + lines.map { $0.isEmpty ? "" : pad + $0 }.joined(separator: "\n") + "\n"
  }

  /// The value after `key:` or `-`, ending with a line break.
  mutating func blockValue(_ tree: Tree, indent: Int, underKey: Bool) -> String {
    if let leaf = leaf(tree) { return " " + leaf + "\n" }
    switch tree {
    case .string(let text):
      if let block = literal(text, indent: indent + 2), chance(60) { return " " + block }
      return " " + scalar(text, inFlow: false) + "\n"
    case .array(let elements) where elements.isEmpty: return " []\n"
    case .object(let members) where members.isEmpty: return " {}\n"
    default:
      if chance(15) { return " " + flow(tree, indent: indent) + "\n" }
      // A sequence under a key may sit at the key's own indentation; a mapping may not.
      var isSequence = false
      if case .array = tree { isSequence = true }
      let inner = underKey && isSequence && chance(30) ? indent : indent + 2
      return "\n" + block(tree, indent: inner)
    }
  }

  mutating func block(_ tree: Tree, indent: Int) -> String {
    let pad = String(repeating: " ", count: indent)
    switch tree {
    case .array(let elements) where !elements.isEmpty:
      return elements.map { pad + "-" + blockValue($0, indent: indent, underKey: false) }.joined()
    case .object(let members) where !members.isEmpty:
      return members.map { pad + key($0.0) + ":" + blockValue($0.1, indent: indent, underKey: true) }.joined()
    default:
      return pad + flow(tree, indent: indent) + "\n"
    }
  }
}

@Suite struct YAMLRoundTripTests {
  @Test(arguments: 0..<300)
  func randomTreesRenderedAsYAMLReadBackEqual(seed: Int) throws {
    var generator = TreeGenerator(random: SeededGenerator(seed: UInt64(seed)))
    let tree = generator.tree(depth: 0)
    var renderer = Renderer(random: SeededGenerator(seed: UInt64(seed) &+ 1_000_003))
    let blockText = renderer.block(tree, indent: 0)
    let flowText = renderer.flow(tree, indent: 0)
    for text in [blockText, flowText, "--- " + flowText + "\n...\n"] {
      let value = try YAMLReader().read(text).json()
      #expect(value.output == tree.output, "seed \(seed):\n\(text)")
    }
  }
}
