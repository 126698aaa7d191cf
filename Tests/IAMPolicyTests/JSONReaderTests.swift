import Testing

@testable import IAMPolicy

@Suite struct JSONReaderTests {
  let reader = JSONReader()

  @Test func readsNestedValuesWithPositions() throws {
    let value = try reader.read("{\n  \"a\": [1, \"x\"],\n  \"b\": true\n}")
    let members = try #require(value.members)
    #expect(members.map(\.key) == ["a", "b"])
    #expect(members[0].keyPosition == SourcePosition(line: 2, column: 3))
    let elements = try #require(members[0].value.elements)
    #expect(elements[0].kind == .number("1"))
    #expect(elements[1].position == SourcePosition(line: 2, column: 12))
    #expect(members[1].value.kind == .bool(true))
  }

  @Test func keepsDuplicateKeysInOrder() throws {
    let value = try reader.read(#"{"Effect":"Allow","Effect":"Deny"}"#)
    #expect(value.members?.map(\.key) == ["Effect", "Effect"])
    #expect(value["Effect"]?.stringValue == "Allow")
  }

  @Test func decodesEscapesAndSurrogatePairs() throws {
    let value = try reader.read(#"["a\"b\\c\/\n\u00e9\ud83d\ude00"]"#)
    #expect(value.elements?.first?.stringValue == "a\"b\\c/\né😀")
  }

  @Test(arguments: [
    ("\u{FEFF}{}", "byte-order mark", 1, 1),
    ("{\"a\":1,}", "expected a quoted member name", 1, 8),
    ("[1,]", "unexpected `]` where a value was expected", 1, 4),
    ("{\"a\" 1}", "expected `:`", 1, 6),
    ("[01]", "leading zeros", 1, 3),
    ("\"a\u{01}\"", "control character", 1, 3),
    ("[\"x\"] [", "after the end of the document", 1, 7),
    ("", "empty", 1, 1),
    ("{\"a\":\n  tru}", "where a value was expected", 2, 3),
    ("[\"\\q\"]", "invalid escape", 1, 3),
    ("[\"\\ud800\"]", "low surrogate", 1, 9),
  ])
  func rejectsMalformedInputWithPosition(input: String, message: String, line: Int, column: Int) {
    #expect {
      _ = try reader.read(input)
    } throws: { error in
      guard let error = error as? JSONSyntaxError else { return false }
      return error.message.contains(message) && error.position == SourcePosition(line: line, column: column)
    }
  }

  @Test func rejectsInvalidUTF8() {
    #expect(throws: JSONSyntaxError.self) { try reader.read([0x5B, 0x22, 0xC3, 0x28, 0x22, 0x5D]) }
  }

  @Test func refusesDeepNestingWithoutExhaustingTheStack() {
    let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
    #expect {
      _ = try reader.read(deep)
    } throws: { error in
      (error as? JSONSyntaxError)?.message.contains("deeper than 256") == true
    }
  }

  @Test func keepsNumbersAsTheirSourceText() throws {
    let value = try reader.read("[123456789012345678901234567890, -0.5e10]")
    #expect(value.elements?.map(\.kind) == [.number("123456789012345678901234567890"), .number("-0.5e10")])
  }
}

/// Found by the `policy-parser` fuzz target: every value's column was counted from the start of its line, so a
/// long one-line document took quadratic time (50,000 numbers on one line: over a minute).
@Suite struct JSONReaderLongLineTests {
  @Test func aMillionElementsOnOneLineReadInLinearTime() throws {
    let text = "[" + Array(repeating: "1", count: 1_000_000).joined(separator: ",") + "]"
    let clock = ContinuousClock()
    let start = clock.now
    let value = try JSONReader().read(text)
    #expect(clock.now - start < .seconds(10))
    let elements = try #require(value.elements)
    #expect(elements.count == 1_000_000)
    #expect(elements[999_999].position == SourcePosition(line: 1, column: 2_000_000))
  }

  @Test func columnsAlongALongLineStillCountScalars() throws {
    let value = try JSONReader().read("[\"é\", \"😀\", 1,\n  \"é\",2]")
    let elements = try #require(value.elements)
    #expect(elements.map(\.position) == [
      SourcePosition(line: 1, column: 2), SourcePosition(line: 1, column: 7), SourcePosition(line: 1, column: 12),
      SourcePosition(line: 2, column: 3), SourcePosition(line: 2, column: 7),
    ])
  }
}

@Suite struct JSONOutputTests {
  @Test func rendersMembersInTheGivenOrderAndEscapes() {
    let output: JSONOutput = .object([("b", 1), ("a", .string("x\"\n\u{01}")), ("c", .array([true, .null]))])
    #expect(output.rendered() == #"{"b":1,"a":"x\"\n\u0001","c":[true,null]}"#)
  }

  @Test func roundTripsThroughTheReader() throws {
    let output: JSONOutput = .object([("k", .array(["é", "😀", "\\"]))])
    let back = try JSONReader().read(output.rendered(pretty: true))
    #expect(back["k"]?.elements?.compactMap(\.stringValue) == ["é", "😀", "\\"])
  }
}

@Suite struct JSONReaderScalingTests {
  /// A one-line document of a million elements reads in linear time (positions are not recounted from the line start).
  @Test func longSingleLineDocumentsReadInLinearTime() throws {
    let text = "[" + Array(repeating: "\"é\"", count: 1_000_000).joined(separator: ",") + "]"
    let clock = ContinuousClock()
    var value: JSONValue?
    let elapsed = try clock.measure { value = try JSONReader().read(text) }
    #expect(value?.elements?.count == 1_000_000)
    #expect(value?.elements?.last?.position == SourcePosition(line: 1, column: 1 + 4 * 999_999 + 1))
    #expect(elapsed < .seconds(20), "took \(elapsed)")
  }
}
