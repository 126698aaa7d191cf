import IAMPolicy
import Testing

@testable import IAMYAML

/// Reads `text` and returns its JSON form under the core schema, as compact JSON text.
func yamlJSON(_ text: String) throws -> String {
  try YAMLReader().read(text).json().output.rendered()
}

/// The error a text gives.
func yamlError(_ text: String) -> YAMLSyntaxError? {
  do {
    _ = try YAMLReader().read(text)
    return nil
  } catch {
    return error
  }
}

@Suite struct YAMLBlockCollectionTests {
  @Test func readsNestedBlockMappingsAndSequencesWithPositions() throws {
    let node = try YAMLReader().read("a:\n  b: 1\n  c:\n    - x\n    - y: 2\n      z: 3\nd: e\n")
    let members = try #require(node.members)
    #expect(members.map(\.key) == ["a", "d"])
    #expect(members[0].keyPosition == SourcePosition(line: 1, column: 1))
    #expect(members[1].keyPosition == SourcePosition(line: 7, column: 1))
    let inner = try #require(members[0].value.members)
    #expect(inner.map(\.key) == ["b", "c"])
    #expect(inner[0].value.position == SourcePosition(line: 2, column: 6))
    let sequence = try #require(inner[1].value.elements)
    #expect(sequence.count == 2)
    #expect(sequence[0].position == SourcePosition(line: 4, column: 7))
    #expect(sequence[1].members?.map(\.key) == ["y", "z"])
    #expect(sequence[1].members?[1].keyPosition == SourcePosition(line: 6, column: 7))
    #expect(try yamlJSON("a:\n  b: 1\n  c:\n    - x\n    - y: 2\n      z: 3\nd: e\n")
      == #"{"a":{"b":1,"c":["x",{"y":2,"z":3}]},"d":"e"}"#)
  }

  @Test func aSequenceMayStartAtItsKeysIndentation() throws {
    #expect(try yamlJSON("a:\n- 1\n- 2\nb: 3") == #"{"a":[1,2],"b":3}"#)
  }

  @Test func compactNestedSequencesAndMappings() throws {
    #expect(try yamlJSON("- - a\n  - b\n- - c\n-   d: 1\n    e: 2\n") == #"[["a","b"],["c"],{"d":1,"e":2}]"#)
  }

  @Test func emptyValuesAreNull() throws {
    #expect(try yamlJSON("a:\nb: # comment\nc: ~\n") == #"{"a":null,"b":null,"c":null}"#)
    #expect(try yamlJSON("- \n-\n- x") == #"[null,null,"x"]"#)
    #expect(try yamlJSON("") == "null")
    #expect(try yamlJSON("# only a comment\n") == "null")
  }

  @Test func commentsAreIgnoredEverywhere() throws {
    let text = """
      # heading
      a: 1 # trailing
        # indented comment
      b: # before the value
        - x # in a sequence
        # between entries
        - y
      c: "q # not a comment" # but this is
      d: a#b
      """
    #expect(try yamlJSON(text) == #"{"a":1,"b":["x","y"],"c":"q # not a comment","d":"a#b"}"#)
  }

  @Test func keepsDuplicateKeysInOrder() throws {
    let node = try YAMLReader().read("Effect: Allow\nEffect: Deny\n")
    #expect(node.members?.map(\.key) == ["Effect", "Effect"])
    #expect(node.members?.map { $0.value.scalarText } == ["Allow", "Deny"])
    #expect(node.members?[1].keyPosition == SourcePosition(line: 2, column: 1))
  }

  @Test func keysMayBeQuotedAndHoldSpacesAndColons() throws {
    #expect(try yamlJSON("'a b': 1\n\"c:d\": 2\ne:f: 3\nhttp://x: 4") == #"{"a b":1,"c:d":2,"e:f":3,"http://x":4}"#)
    let node = try YAMLReader().read("'1': x\n2: y")
    #expect(node.members?.map(\.keyStyle) == [.singleQuoted, .plain])
    #expect(node.members?.map(\.key) == ["1", "2"])
  }

  @Test func tabsSeparateButDoNotIndent() throws {
    #expect(try yamlJSON("a:\t1\nb: [1,\t2]") == #"{"a":1,"b":[1,2]}"#)
    let error = try #require(yamlError("a:\n\tb: 1\n"))
    #expect(error.position == SourcePosition(line: 2, column: 1))
    #expect(error.message.contains("tab in indentation"))
    let nested = try #require(yamlError("a:\n  b:\n  \t- 1\n"))
    #expect(nested.position == SourcePosition(line: 3, column: 3))
    #expect(try #require(yamlError("\ta: 1")).position == SourcePosition(line: 1, column: 1))
    #expect(try #require(yamlError("- a\n\t- b")).position == SourcePosition(line: 2, column: 1))
    #expect(try #require(yamlError("a: 1\n\tb: 2")).message.contains("tab in indentation"))
  }

  /// A tab after the spaces that indent a node separates (YAML's `s-separate-in-line`); at the root no indentation
  /// is needed at all. Found by the `yaml-reader` fuzz target: `\t11` is JSON that was refused.
  @Test func tabsBeforeAFlowNodeOrAScalarSeparate() throws {
    #expect(try yamlJSON("\t11\n") == "11")
    #expect(try YAMLReader().read("\t11\n").json() == JSONReader().read("\t11\n"))
    #expect(try yamlJSON("\t{\"a\": [1,\n\t\t2]}") == #"{"a":[1,2]}"#)
    #expect(try yamlJSON("a:\n  \tb") == #"{"a":"b"}"#)
    #expect(try yamlJSON("a: b\n  \tc") == #"{"a":"b c"}"#)
  }

  @Test func byteOrderMarkIsTolerated() throws {
    let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("a: 1\nb: x y".utf8)
    let node = try YAMLReader().read(bytes)
    #expect(try node.json().output.rendered() == #"{"a":1,"b":"x y"}"#)
    #expect(node.members?[0].keyPosition == SourcePosition(line: 1, column: 1))
    #expect(node.members?[1].value.position == SourcePosition(line: 2, column: 4))
  }

  @Test func crlfLineBreaks() throws {
    #expect(try yamlJSON("a: 1\r\nb:\r\n  - x\r\n  - |\r\n    l1\r\n    l2\r\n") == #"{"a":1,"b":["x","l1\nl2\n"]}"#)
  }
}

@Suite struct YAMLFlowCollectionTests {
  @Test func readsFlowCollections() throws {
    #expect(try yamlJSON("[a, b, {c: d, 'e': [1, 2.5]}, []]") == #"["a","b",{"c":"d","e":[1,2.5]},[]]"#)
    #expect(try yamlJSON("{a: 1, b, c: }") == #"{"a":1,"b":null,"c":null}"#)
    #expect(try yamlJSON("[a, b, ]") == #"["a","b"]"#)
  }

  @Test func flowCollectionsSpanLinesAndHoldComments() throws {
    let text = """
      key: [
        a,   # first
        b c,
        {x: y,
         z: w}
      ]
      """
    #expect(try yamlJSON(text) == #"{"key":["a","b c",{"x":"y","z":"w"}]}"#)
  }

  @Test func plainScalarsInFlowMayHoldColonsNotFollowedBySpace() throws {
    #expect(try yamlJSON("[arn:aws:s3:::b/*, a:1]") == #"["arn:aws:s3:::b/*","a:1"]"#)
    #expect(try yamlJSON("{a:1}") == #"{"a:1":null}"#)
    #expect(try yamlJSON(#"{"a":1}"#) == #"{"a":1}"#)
  }

  @Test func positionsInFlow() throws {
    let node = try YAMLReader().read("x: {a: [1, 'b'], c: d}")
    let flow = try #require(node["x"])
    #expect(flow.position == SourcePosition(line: 1, column: 4))
    #expect(flow.members?[1].keyPosition == SourcePosition(line: 1, column: 18))
    #expect(flow["a"]?.elements?[1].position == SourcePosition(line: 1, column: 12))
  }

  @Test(arguments: [
    ("[a, b", "ends inside the flow sequence", 1, 1),
    ("{a: 1", "ends inside the flow mapping", 1, 1),
    ("[a, , b]", "empty entry", 1, 5),
    ("[a b: c]", "inside a flow sequence is not supported", 1, 5),
    ("[a] : b", "flow collection as a mapping key", 1, 1),
    ("{[a]: b}", "flow collection as a mapping key", 1, 2),
    ("[a, b] c", "unexpected", 1, 8),
    ("{a: 1 b: 2}", "expected `,` or `}`", 1, 8),
    ("[|\n  x]", "block scalar", 1, 2),
    ("[\n---\n]", "document marker inside a flow", 2, 1),
  ])
  func refusesMalformedFlow(text: String, message: String, line: Int, column: Int) throws {
    let error = try #require(yamlError(text))
    #expect(error.message.contains(message), "\(error)")
    #expect(error.position == SourcePosition(line: line, column: column), "\(error)")
  }
}
