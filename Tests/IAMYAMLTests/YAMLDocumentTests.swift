import IAMPolicy
import Testing

@testable import IAMYAML

@Suite struct YAMLDocumentMarkerTests {
  @Test func markersAndTheYAMLDirective() throws {
    #expect(try yamlJSON("---\na: 1\n...\n") == #"{"a":1}"#)
    #expect(try yamlJSON("%YAML 1.2\n---\na: 1\n") == #"{"a":1}"#)
    #expect(try yamlJSON("%YAML 1.1\n# comment\n--- # comment\na: 1\n... # end\n# trailing comment\n") == #"{"a":1}"#)
    #expect(try yamlJSON("--- text") == #""text""#)
    #expect(try yamlJSON("--- [a, b]") == #"["a","b"]"#)
    #expect(try yamlJSON("---\n") == "null")
    #expect(try yamlJSON("---a: 1") == #"{"---a":1}"#)
  }

  @Test(arguments: [
    ("a: 1\n---\nb: 2\n", "second document", 2, 1),
    ("---\na: 1\n--- \nb: 2\n", "second document", 3, 1),
    ("a: 1\n...\nb: 2\n", "after the end of the document", 3, 1),
    ("%YAML 1.2\na: 1\n", "must be followed by `---`", 2, 1),
    ("%YAML 2.0\n---\n", "unsupported YAML version", 1, 7),
    ("%TAG ! tag:example.com:\n---\n", "`%TAG` directives are not supported", 1, 1),
    ("%FOO\n---\n", "unknown directive", 1, 1),
    ("--- a: 1\n", "mapping cannot start on the same line", 1, 5),
    ("--- - a\n", "block sequence cannot start", 1, 5),
  ])
  func refusesWhatIsNotOneDocument(text: String, message: String, line: Int, column: Int) throws {
    let error = try #require(yamlError(text))
    #expect(error.message.contains(message), "\(error)")
    #expect(error.position == SourcePosition(line: line, column: column), "\(error)")
  }
}

@Suite struct YAMLAnchorTests {
  @Test func aliasesCopyTheAnchoredNode() throws {
    let node = try YAMLReader().read("base: &b {Effect: Allow, Action: 's3:Get*'}\nfirst: *b\nsecond:\n  - *b\n")
    #expect(try node.json().output.rendered()
      == #"{"base":{"Effect":"Allow","Action":"s3:Get*"},"first":{"Effect":"Allow","Action":"s3:Get*"},"second":[{"Effect":"Allow","Action":"s3:Get*"}]}"#)
    #expect(node["base"]?.anchor == "b")
    #expect(node["base"]?.position == SourcePosition(line: 1, column: 7))
    let first = try #require(node["first"])
    #expect(first.alias == "b")
    #expect(first.anchor == nil)
    #expect(first.position == SourcePosition(line: 2, column: 8))
    // The copied members keep the anchored node's positions.
    #expect(first.members?[0].keyPosition == SourcePosition(line: 1, column: 11))
  }

  @Test func anchorsOnScalarsBlockCollectionsAndEmptyNodes() throws {
    #expect(try yamlJSON("a: &x hello\nb: *x\nc: &m\n  k: v\nd: *m\ne: &n\nf: *n") == #"{"a":"hello","b":"hello","c":{"k":"v"},"d":{"k":"v"},"e":null,"f":null}"#)
    #expect(try yamlJSON("- &t !!str 1\n- *t") == #"["1","1"]"#)
    #expect(try yamlJSON("[&a x, *a, {k: *a}]") == #"["x","x",{"k":"x"}]"#)
  }

  @Test func anUnquotedWildcardIsAnAliasAndSaysSo() throws {
    let bare = try #require(yamlError("Resource: *\n"))
    #expect(bare.message.contains("quote it (`'*'`)"))
    #expect(bare.position == SourcePosition(line: 1, column: 11))
    let flow = try #require(yamlError("Action: [s3:GetObject, *]"))
    #expect(flow.message.contains("quote it"))
    #expect(flow.position == SourcePosition(line: 1, column: 24))
    #expect(try yamlJSON("Resource: '*'\nAction: s3:*") == #"{"Resource":"*","Action":"s3:*"}"#)
  }

  @Test func aLaterAnchorReplacesAnEarlierOne() throws {
    #expect(try yamlJSON("- &a 1\n- &a 2\n- *a") == "[1,2,2]")
  }

  @Test func refusesUndefinedAndRecursiveAliases() throws {
    let undefined = try #require(yamlError("a: *nowhere"))
    #expect(undefined.message.contains("refers to no anchor"))
    #expect(undefined.position == SourcePosition(line: 1, column: 4))
    // The anchor is defined when its node ends, so a node cannot contain itself.
    let recursive = try #require(yamlError("a: &r [1, *r]"))
    #expect(recursive.message.contains("refers to no anchor"))
    #expect(recursive.position == SourcePosition(line: 1, column: 11))
  }

  @Test func refusesMergeKeys() throws {
    let error = try #require(yamlError("base: &b {a: 1}\nderived:\n  <<: *b\n  c: 2\n"))
    #expect(error.message.contains("merge keys"))
    #expect(error.position == SourcePosition(line: 3, column: 3))
    let flow = try #require(yamlError("d: {<<: *b}"))
    #expect(flow.message.contains("merge keys"))
    // A quoted `<<` is an ordinary key.
    #expect(try yamlJSON("'<<': 1") == #"{"<<":1}"#)
  }

  @Test func refusesABillionLaughs() throws {
    var text = "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    for level in 1...9 {
      let previous = "*a\(level - 1)"
      text += "a\(level): &a\(level) [\(Array(repeating: previous, count: 10).joined(separator: ", "))]\n"
    }
    let clock = ContinuousClock()
    var error: YAMLSyntaxError?
    let elapsed = clock.measure { error = yamlError(text) }
    let refused = try #require(error)
    #expect(refused.message.contains("billion laughs"))
    #expect(refused.position.line <= 7)
    #expect(elapsed < .seconds(1))
    // The same shape within the limit reads.
    let small = "a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n"
    #expect(try yamlJSON(small) == #"{"a":["x","x"],"b":[["x","x"],["x","x"]],"c":[[["x","x"],["x","x"]],[["x","x"],["x","x"]]]}"#)
    #expect(throws: YAMLSyntaxError.self) { try YAMLReader(maximumAliasExpansion: 10).read(small) }
  }
}

@Suite struct YAMLLimitTests {
  @Test func depthIsLimitedInFlowAndBlockCollections() throws {
    let reader = YAMLReader()
    let flowOK = String(repeating: "[", count: 256) + String(repeating: "]", count: 256)
    #expect(throws: Never.self) { try reader.read(flowOK) }
    let flowDeep = String(repeating: "[", count: 257) + String(repeating: "]", count: 257)
    let flowError = try #require(yamlError(flowDeep))
    #expect(flowError.message.contains("deeper than 256"))
    #expect(flowError.position == SourcePosition(line: 1, column: 257))

    var block = ""
    for level in 0..<300 { block += String(repeating: " ", count: level) + "k:\n" }
    let blockError = try #require(yamlError(block))
    #expect(blockError.message.contains("deeper than 256"))
    #expect(blockError.position == SourcePosition(line: 257, column: 257))

    let dashes = String(repeating: "- ", count: 300) + "x"
    #expect(try #require(yamlError(dashes)).message.contains("deeper than 256"))
    #expect(throws: YAMLSyntaxError.self) { try YAMLReader(maximumDepth: 3).read("a:\n b:\n  c:\n   d: 1") }
    #expect(throws: Never.self) { try YAMLReader(maximumDepth: 4).read("a:\n b:\n  c:\n   d: 1") }
  }

  @Test func anAliasCannotNestACopyBeyondTheLimit() throws {
    func nested(_ levels: Int, around inner: String) -> String {
      String(repeating: "[", count: levels) + inner + String(repeating: "]", count: levels)
    }
    let deep = "a: &a \(nested(200, around: "x"))\nb: \(nested(100, around: "*a"))\n"
    let error = try #require(yamlError(deep))
    #expect(error.message.contains("deeper than 256"))
    #expect(error.position == SourcePosition(line: 2, column: 104))
    // 200 levels copied inside 50 stay within the limit (the mapping adds one: 1 + 50 + 200 = 251).
    #expect(throws: Never.self) { try YAMLReader().read("a: &a \(nested(200, around: "x"))\nb: \(nested(50, around: "*a"))\n") }
  }

  @Test func deepNestingWithinTheLimitConvertsWithoutExhaustingTheStack() throws {
    var nested = ""
    for level in 0..<255 { nested += String(repeating: " ", count: level) + "k:\n" }
    nested += String(repeating: " ", count: 255) + "k: leaf\n"
    let value = try YAMLReader().read(nested).json()
    var depth = 0
    var current: JSONValue? = value
    while let node = current, let members = node.members {
      depth += 1
      current = members.first?.value
    }
    #expect(depth == 256)
    #expect(current?.stringValue == "leaf")
  }
}

@Suite struct YAMLErrorTests {
  @Test(arguments: [
    ("a: b: c", "mapping cannot start on the same line", 1, 4),
    ("a: 1\n  b: 2", "`: ` inside a plain scalar", 2, 4),
    ("a:\n  b: 1\n c: 2", "indented more than the mapping's keys", 3, 2),
    ("- a\nb: 1", "does not continue the document's root", 2, 1),
    ("a: 1\n- b", "sequence entry where a mapping key was expected", 2, 1),
    ("? a\n: b", "explicit mapping keys", 1, 1),
    ("&x a: 1", "tag or anchor on a mapping key", 1, 1),
    ("!t a: 1", "tag or anchor on a mapping key", 1, 1),
    ("x: &a k\n*a : 1", "alias as a mapping key", 2, 1),
    ("a: @x", "reserves", 1, 4),
    ("a: `x`", "reserves", 1, 4),
    ("a: %x", "cannot start with `%`", 1, 4),
    ("a: |0\n x", "1 to 9", 1, 5),
    ("a: !<tag:yaml.org,2002:str> x", "verbatim tags", 1, 5),
    ("a: !e!x y", "named tag handles", 1, 6),
    ("a: !!str !!int 1", "only one tag", 1, 10),
    ("a: &x &y 1", "only one anchor", 1, 7),
    ("a: !Ref\n  !Sub x", "one tag and one anchor", 2, 3),
    ("a: - b", "block sequence cannot start", 1, 4),
    ("a:\n  - b\n  c: d", "indented more than the mapping's keys", 3, 3),
    ("key\nother: 1", "`: ` inside a plain scalar", 2, 6),
    ("a: 'x'\n  b: 1", "indented more than the mapping's keys", 2, 3),
    (": x", "without a key", 1, 1),
    ("a: ]", "outside a flow collection", 1, 4),
    ("a: [b]]", "unexpected `]`", 1, 7),
  ])
  func errorsNameTheirPosition(text: String, message: String, line: Int, column: Int) throws {
    let error = try #require(yamlError(text), "\(text) was accepted")
    #expect(error.message.contains(message), "\(error)")
    #expect(error.position == SourcePosition(line: line, column: column), "\(error)")
    #expect(error.description.hasPrefix("\(error.position.line):\(error.position.column): "))
  }

  @Test func refusesBytesYAMLDoesNotAllow() throws {
    let invalid = try #require(yamlErrorBytes([0x61, 0x3A, 0x20, 0x0A, 0x62, 0x3A, 0x20, 0xFF]))
    #expect(invalid.message.contains("not valid UTF-8"))
    #expect(invalid.position == SourcePosition(line: 2, column: 4))
    let nul = try #require(yamlErrorBytes(Array("a: x".utf8) + [0] + Array("y".utf8)))
    #expect(nul.message.contains("NUL"))
    #expect(nul.position == SourcePosition(line: 1, column: 5))
    let control = try #require(yamlErrorBytes(Array("a: é".utf8) + [0x07]))
    #expect(control.message.contains("control character"))
    #expect(control.position == SourcePosition(line: 1, column: 5))
    let carriageReturn = try #require(yamlErrorBytes(Array("a: 1\rb: 2".utf8)))
    #expect(carriageReturn.message.contains("carriage return"))
    let surrogate = try #require(yamlErrorBytes([0x61, 0x3A, 0x20, 0xED, 0xA0, 0x80]))
    #expect(surrogate.message.contains("not valid UTF-8"))
  }

  @Test func columnsCountCharactersNotBytes() throws {
    let error = try #require(yamlError("é: ü: x"))
    #expect(error.position == SourcePosition(line: 1, column: 4))
    let node = try YAMLReader().read("ééé: [ü, ö]")
    #expect(node["ééé"]?.elements?[1].position == SourcePosition(line: 1, column: 10))
  }
}

func yamlErrorBytes(_ bytes: [UInt8]) -> YAMLSyntaxError? {
  do {
    _ = try YAMLReader().read(bytes)
    return nil
  } catch {
    return error
  }
}
