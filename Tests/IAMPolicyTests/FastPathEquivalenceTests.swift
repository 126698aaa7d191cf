import Testing

@testable import IAMPolicy

/// The byte-level fast paths added for `iamsim bench` (issue 5) must answer exactly as the general code
/// they bypass. Each property runs on seeded random inputs from a small alphabet that reaches the edges
/// (colons, wildcards, variables, escapes, control characters, non-ASCII).
@Suite struct FastPathEquivalenceTests {
  static let cases = 20_000

  struct Generator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
  }

  static func text(_ alphabet: [String], _ lengths: ClosedRange<Int>, _ generator: inout Generator) -> String {
    (0..<Int.random(in: lengths, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }.joined()
  }

  /// The JSON string writer before the fast path: scalar by scalar.
  static func referenceJSONString(_ value: String) -> String {
    var text = "\""
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
    return text + "\""
  }

  @Test func jsonStringsRenderAsTheScalarByScalarWriter() {
    var generator = Generator(state: 1)
    let alphabet = ["a", "Z", " ", "\"", "\\", "\n", "\r", "\t", "\u{0}", "\u{1F}", "\u{7F}", "\u{2028}", "\u{2029}", "é",
                    "e\u{301}", "😀", "\u{80}", "\u{2027}", "\u{202A}", "/", ":"]
    for _ in 0..<Self.cases {
      let value = Self.text(alphabet, 0...40, &generator)
      #expect(JSONOutput.string(value).rendered() == Self.referenceJSONString(value), "\(value.debugDescription)")
    }
    let pretty = JSONOutput.object([("a", .array([1, "x", .null, .object([])])), ("b", .bool(true))]).rendered(pretty: true)
    #expect(pretty == "{\n  \"a\": [\n    1,\n    \"x\",\n    null,\n    {}\n  ],\n  \"b\": true\n}")
  }

  @Test func asciiActionsCompileAsTheGeneralPath() {
    var generator = Generator(state: 2)
    let alphabet = ["s", "3", "E", "c", "2", ":", "*", "?", "$", "{", "}", "-", "_", " ", ".", "Get", "ec2:", "${x}"]
    var valid = 0
    for _ in 0..<Self.cases {
      let action = Self.text(alphabet, 0...8, &generator)
      guard action != "*", let fast = ActionPattern.compileASCII(action) else { continue }
      #expect(fast == ActionPattern.compileGeneral(action), "\(action)")
      if case .success = fast { valid += 1 }
    }
    #expect(valid > 500, "valid actions are reached (\(valid))")
    #expect(ActionPattern.compileASCII("s3:Gét") == nil, "non-ASCII takes the general path")
  }

  @Test func dottedQuadsReadAsTheGeneralParser() {
    var generator = Generator(state: 3)
    let alphabet = ["0", "1", "2", "5", "9", "25", "255", "256", "010", ".", ".", "/", "3", "+", "-", ":", "a", " "]
    var read = 0
    for _ in 0..<Self.cases {
      let address = Bool.random(using: &generator)
        ? Self.text(alphabet, 0...10, &generator)
        : (0..<4).map { _ in Self.text(["0", "1", "2", "5", "9", "25", "255", "256", "010"], 1...2, &generator) }
          .joined(separator: ".") + (Bool.random(using: &generator) ? "/" + Self.text(["0", "3", "2", "+"], 1...3, &generator) : "")
      guard let fast = IPAddressRange.dottedQuad(address) else { continue }
      read += 1
      let general = IPAddressRange(parsing: address)
      #expect(general != nil, "\(address)")
      #expect(general?.isIPv6 == false && general?.low == UInt64(fast.address) && general?.prefixLength == fast.prefixLength,
              "\(address)")
    }
    #expect(read > 1_000, "addresses are reached (\(read))")
  }

  /// Random ARN templates: mostly six parts built from pieces that names share, some with fewer parts,
  /// with wildcards, variables (with and without defaults, values holding colons), escapes and non-ASCII.
  static func template(_ generator: inout Generator) -> String {
    func pick(_ items: [String]) -> String { items.randomElement(using: &generator)! }
    if Int.random(in: 0..<6, using: &generator) == 0 {
      return pick(["arn:aws:s3*", "arn:*", "arn:aws:${aws:username}*", "arn:aws", "ar*:aws:s3:::b", "arn:aws:s3:::",
                   "arn:aws:s3::${aws:username}:b", "*"])
    }
    let parts = [pick(["arn", "ar*", "a?n", "*", "arn"]), pick(["aws", "*", "a?s", "aws"]), pick(["s3", "*", "s?", "s3"]),
                 pick(["", "*", "us-*", "us-east-1"]), pick(["", "111122223333", "*"])]
    let resource = Self.text(["b/", "${aws:username}", "/", "*", "?", "${aws:PrincipalTag/team}", "${*}", "${?}", "${$}",
                              "${missing}", "${aws:username, 'd'}", "x:", "y", "é", "k"], 0...5, &generator)
    return parts.joined(separator: ":") + ":" + resource
  }

  static func name(_ generator: inout Generator) -> ResourceName {
    func pick(_ items: [String]) -> String { items.randomElement(using: &generator)! }
    if Int.random(in: 0..<8, using: &generator) == 0 { return ResourceName(pick(["*", "arn:aws:s3", "b/alice", ""])) }
    let resource = pick(["b/alice/k", "b/*/?/$", "x:y/z", "x:yz", "b/d/k", "b", "alice", "b/alice/é", "b/é/k", "x:y*/k", ""])
    return ResourceName(
      [pick(["arn", "arx"]), pick(["aws", "aws-cn"]), pick(["s3", "ec2"]), pick(["", "us-east-1"]),
       pick(["", "111122223333"]), resource].joined(separator: ":"))
  }

  static let values: [String: String] = ["aws:username": "alice", "aws:principaltag/team": "x:y*"]

  @Test func templatesMatchARNsAsBuildingThePattern() throws {
    var generator = Generator(state: 4)
    var matched = 0
    for _ in 0..<Self.cases {
      let text = Self.template(&generator)
      guard let template = try? VariableTemplate(text, substitutes: true) else { continue }
      let name = Self.name(&generator)
      let values = Bool.random(using: &generator) ? Self.values : [:]
      let reference = template.resolvedPieces { values[$0] }.flatMap(ARNPattern.init(pieces:))?.matches(name) ?? false
      #expect(template.matchesARN(name, value: { values[$0.text] }) == reference, "\(text) \(name)")
      let pattern = ResourcePattern(source: text, matcher: .template(template))
      #expect(pattern.matches(name, value: { values[$0] }) == reference, "\(text) \(name)")
      if reference { matched += 1 }
    }
    #expect(matched > 200, "the inputs reach matching patterns (\(matched))")
  }

  @Test func resolvedGlobsMatchAsWildcardPatternsOfThePieces() {
    var generator = Generator(state: 5)
    let alphabet = ["a", "b", "*", "?", "${aws:username}", "${*}", "${?}", "${$}", "é", "${x, 'a*'}"]
    var matches = 0
    for _ in 0..<Self.cases {
      let text = Self.text(alphabet, 0...6, &generator)
      guard let template = try? VariableTemplate(text, substitutes: true) else { continue }
      let value = Self.text(["a", "b", "*", "?", "é", "alice", "$"], 0...6, &generator)
      let values = Self.values
      let reference = template.resolvedPieces { values[$0] }.map { WildcardPattern(pieces: $0).matches(value) }
      let fast = template.withResolvedBytes({ values[$0.text] }, wildcards: true) { pattern, _ -> Bool? in
        WildcardPattern.matches(encoded: pattern, value)
      }
      if reference == true { matches += 1 }
      switch fast {
      case .resolved(let matched): #expect(matched == reference, "\(text) \(value)")
      case .unresolved: #expect(reference == nil, "\(text)")
      case .tooLong: Issue.record("short text reported too long: \(text)")
      }
      let plain = template.withResolvedBytes({ values[$0.text] }, wildcards: false) { bytes, _ -> Bool? in
        String(decoding: bytes, as: UTF8.self) == template.resolvedText { values[$0] }
      }
      if case .resolved(let equal) = plain { #expect(equal == true, "\(text)") }
    }
    #expect(matches > 500, "matching globs are reached (\(matches))")
  }

  @Test func resourceNamesSplitAtTheirFirstFiveColons() {
    var generator = Generator(state: 6)
    for _ in 0..<Self.cases {
      let name = Self.name(&generator)
      let fields = name.text.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
      #expect(name.isARN == (fields.count == 6 && name.text.hasPrefix("arn:")), "\(name)")
      guard name.isARN else { continue }
      for index in 0..<6 {
        #expect(String(decoding: name.bytes[name.partRange(index)], as: UTF8.self) == String(fields[index]), "\(name)")
      }
      #expect(name.account == String(fields[4]))
    }
  }

  /// `namesAccount(otherThan:)` compares the ARN's account with the caller's where both are written; it must answer
  /// as comparing the strings does (`owningAccount?.account != account`), including text that is canonically
  /// equivalent but spelt with other bytes (the Kelvin sign is `K`; `é` is `e` and a combining accent).
  @Test func anARNsAccountIsComparedAsItsString() {
    var generator = Generator(state: 9)
    let accounts = ["111122223333", "111122223334", "", "aws", "AWS", "K", "\u{212A}", "é", "e\u{301}", "11112222333"]
    for _ in 0..<Self.cases {
      let owner = accounts.randomElement(using: &generator)!
      let caller = accounts.randomElement(using: &generator)!
      let prefixes = ["arn:aws:s3:us-east-1:", "arn:aws:s3::", "arx:aws:s3::", "arn:aws:s3"]
      let name = ResourceName(prefixes.randomElement(using: &generator)! + owner + ":b/k")
      #expect(
        name.namesAccount(otherThan: caller) == (name.owningAccount.map { $0.account != caller } ?? false),
        "\(name) against \(caller)")
    }
    #expect(!ResourceName("arn:aws:iam::\u{212A}:role/r").namesAccount(otherThan: "K"))
    #expect(ResourceName("arn:aws:iam::111122223333:role/r").namesAccount(otherThan: "444455556666"))
  }
}
