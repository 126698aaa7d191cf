import IAMPolicy
import Testing

@testable import IAMYAML

/// The single scalar a document holds (the value of its key `v`), with its style.
func scalar(_ text: String) throws -> (String, YAMLNode.ScalarStyle) {
  let node = try YAMLReader().read(text)
  let value = try #require(node["v"])
  guard case .scalar(let content, let style) = value.kind else { throw YAMLSyntaxError("not a scalar", at: value.position) }
  return (content, style)
}

@Suite struct YAMLPlainScalarTests {
  @Test func multiLinePlainScalarsFoldLines() throws {
    #expect(try scalar("v: a\n  b\n\n  c\n\n\n  d\nw: 1") == ("a b\nc\n\nd", .plain))
    #expect(try scalar("v: trailing   \n   spaces   \n") == ("trailing spaces", .plain))
    #expect(try yamlJSON("- a\n  b\n- c") == #"["a b","c"]"#)
    #expect(try yamlJSON("top\nlevel") == #""top level""#)
  }

  @Test func aCommentEndsAPlainScalar() throws {
    #expect(try yamlJSON("v: a # note\n") == #"{"v":"a"}"#)
    let error = try #require(yamlError("v: a\n  # comment\n  b\n"))
    #expect(error.position == SourcePosition(line: 3, column: 3))
  }

  @Test func plainScalarsMayHoldIndicatorsInside() throws {
    #expect(try yamlJSON("v: arn:aws:iam::111122223333:role/a-b_c*?") == #"{"v":"arn:aws:iam::111122223333:role/a-b_c*?"}"#)
    #expect(try yamlJSON("v: -x\nw: ?y\nu: :z") == #"{"v":"-x","w":"?y","u":":z"}"#)
    #expect(try yamlJSON("v: a - b, [c] {d}") == #"{"v":"a - b, [c] {d}"}"#)
  }

  @Test func coreSchemaResolution() throws {
    let cases: [(String, YAMLCoreValue)] = [
      ("", .null), ("~", .null), ("null", .null), ("Null", .null), ("NULL", .null),
      ("true", .bool(true)), ("True", .bool(true)), ("FALSE", .bool(false)),
      ("0", .integer("0")), ("-12", .integer("-12")), ("+7", .integer("+7")), ("0o17", .integer("0o17")),
      ("0x1F", .integer("0x1F")), ("1.5", .float("1.5")), ("-2e3", .float("-2e3")), (".5", .float(".5")),
      ("1.", .float("1.")), (".inf", .float(".inf")), ("-.Inf", .float("-.Inf")), (".NaN", .float(".NaN")),
      // YAML 1.2 strings that YAML 1.1 would have read otherwise.
      ("yes", .string("yes")), ("off", .string("off")), ("1_000", .string("1_000")), ("1:30", .string("1:30")),
      ("2010-09-09", .string("2010-09-09")), ("nULL", .string("nULL")), ("0x", .string("0x")), ("e5", .string("e5")),
      ("1.2.3", .string("1.2.3")), ("-", .string("-")),
    ]
    for (text, expected) in cases {
      #expect(YAMLNode.resolvePlain(text) == expected, "\(text)")
    }
  }

  @Test func onlyPlainScalarsAreResolved() throws {
    #expect(try yamlJSON("a: 'true'\nb: \"1\"\nc: |\n  null\nd: ! 12\ne: true\nf: 12") == #"{"a":"true","b":"1","c":"null\n","d":"12","e":true,"f":12}"#)
  }

  @Test func numbersKeepTheirTextAndRefuseWhatJSONCannotWrite() throws {
    #expect(try yamlJSON("[1, -0, 2.50, 1e10, -1.5E-3, 12345678901234567890]") == "[1,-0,2.50,1e10,-1.5E-3,12345678901234567890]")
    for text in ["+1", "0x1F", "0o17", ".5", "1.", ".inf", ".nan"] {
      #expect(throws: YAMLSyntaxError.self, "\(text)") { try YAMLReader().read("v: \(text)").json() }
    }
    do {
      _ = try YAMLReader().read("Account: 012345678901").json()
      Issue.record("a leading zero was accepted")
    } catch {
      #expect(error.message.contains("leading zero"))
      #expect(error.message.contains("account ID"))
      #expect(error.position == SourcePosition(line: 1, column: 10))
      #expect(error.path?.description == "$.Account")
    }
  }

  @Test func standardTags() throws {
    #expect(try yamlJSON("[!!str 12, !!int 12, !!float 1, !!bool true, !!null ~, !!str, !!seq [a], !!map {a: b}]")
      == #"["12",12,1,true,null,"",["a"],{"a":"b"}]"#)
    #expect(throws: YAMLSyntaxError.self) { try YAMLReader().read("!!int x").json() }
    #expect(throws: YAMLSyntaxError.self) { try YAMLReader().read("!!bool yes").json() }
    #expect(throws: YAMLSyntaxError.self) { try YAMLReader().read("!!binary aGk=").json() }
    #expect(throws: YAMLSyntaxError.self) { try YAMLReader().read("!!map [a]").json() }
    #expect(throws: YAMLSyntaxError.self) { try YAMLReader().read("!Custom x").json() }
  }
}

@Suite struct YAMLQuotedScalarTests {
  @Test func singleQuoted() throws {
    #expect(try scalar("v: 'it''s # not a comment'") == ("it's # not a comment", .singleQuoted))
    #expect(try scalar("v: 'a  \n   b\n\n   c'") == ("a b\nc", .singleQuoted))
    #expect(try scalar("v: ''") == ("", .singleQuoted))
    #expect(try scalar("v: '\\n is not an escape'") == ("\\n is not an escape", .singleQuoted))
  }

  @Test func doubleQuotedEscapes() throws {
    let text = #"v: "\x41\u00e9\U0001F600\t\n\\\"\/\0\a\b\v\f\r\e\ \N\_\L\P\"# + "\t" + #"end""#
    let expected = "Aé😀\t\n\\\"/\u{0}\u{07}\u{08}\u{0B}\u{0C}\r\u{1B} \u{85}\u{A0}\u{2028}\u{2029}\tend"
    #expect(try scalar(text) == (expected, .doubleQuoted))
  }

  @Test func doubleQuotedSurrogatePairsAsJSONWritesThem() throws {
    #expect(try scalar(#"v: "\ud83d\ude00""#).0 == "😀")
    let lone = try #require(yamlError(#"v: "ab\ud83d""#))
    #expect(lone.position == SourcePosition(line: 1, column: 7))
    #expect(lone.message.contains("surrogate"))
  }

  @Test func doubleQuotedLineFolding() throws {
    #expect(try scalar("v: \"a\n   b\n\n   c\"") == ("a b\nc", .doubleQuoted))
    #expect(try scalar("v: \"joined\\\n   here\"") == ("joinedhere", .doubleQuoted))
    #expect(try scalar("v: \"kept \\\n   space\"") == ("kept space", .doubleQuoted))
    #expect(try scalar("v: \"escaped\\\n\n  break\"") == ("escaped\nbreak", .doubleQuoted))
    #expect(try scalar("v: \"tab\\t  \n  x\"") == ("tab\t x", .doubleQuoted))
  }

  @Test(arguments: [
    ("v: 'abc", "ends inside a single-quoted scalar", 1, 4),
    ("v: \"abc\n", "ends inside", 1, 4),
    (#"v: "\q""#, "invalid escape", 1, 5),
    (#"v: "\x4""#, "2 hexadecimal digits", 1, 5),
    (#"v: "\U00110000""#, "names no character", 1, 5),
    ("v: \"a\n---\n\"", "document marker inside a quoted scalar", 2, 1),
    ("v: 'a'b", "unexpected `b` after the quoted scalar", 1, 7),
    ("v: 'a'#c", "comment must be separated", 1, 7),
  ])
  func refusesMalformedQuotedScalars(text: String, message: String, line: Int, column: Int) throws {
    let error = try #require(yamlError(text))
    #expect(error.message.contains(message), "\(error)")
    #expect(error.position == SourcePosition(line: line, column: column), "\(error)")
  }
}

@Suite struct YAMLBlockScalarTests {
  @Test func literalWithEachChomping() throws {
    #expect(try scalar("v: |\n  a\n   b\n\n\nw: 1") == ("a\n b\n", .literal))
    #expect(try scalar("v: |-\n  a\n   b\n\n\nw: 1") == ("a\n b", .literal))
    #expect(try scalar("v: |+\n  a\n   b\n\n\nw: 1") == ("a\n b\n\n\n", .literal))
    #expect(try scalar("v: |\n  no final break") == ("no final break", .literal))
    #expect(try scalar("v: |+\n  x\n\n") == ("x\n\n", .literal))
    #expect(try scalar("v: |-\nw: 1") == ("", .literal))
  }

  @Test func literalKeepsCommentsAndIndicatorsAsText() throws {
    #expect(try scalar("v: | # header comment\n  # not a comment\n  key: value\n  - item\n") == ("# not a comment\nkey: value\n- item\n", .literal))
  }

  @Test func leadingEmptyLinesAreKept() throws {
    #expect(try scalar("v: |\n\n  \n  text\n") == ("\n\ntext\n", .literal))
    let error = try #require(yamlError("v: |\n    \n  text\n"))
    #expect(error.message.contains("more spaces than its first line"))
    #expect(error.position == SourcePosition(line: 2, column: 1))
  }

  @Test func indentationIndicator() throws {
    #expect(try scalar("v: |2\n    indented\n  base\n") == ("  indented\nbase\n", .literal))
    #expect(try yamlJSON("- |1\n  x\n- >2-\n    y\n   z") == #"[" x\n","  y\n z"]"#)
    #expect(try scalar("v: >-2\n   a\n  b\n") == (" a\nb", .folded))
    let zero = try #require(yamlError("v: |0\n  x"))
    #expect(zero.message.contains("1 to 9"))
  }

  @Test func foldedFoldsOnlyLinesThatAreNotMoreIndented() throws {
    // YAML 1.2 specification, example 8.10 ("Folded Lines"), written here with a key.
    let text = "v: >\n\n  folded\n  line\n\n  next\n  line\n    * bullet\n\n    * list\n    * lines\n\n  last\n  line\n\n# Comment\n"
    #expect(try scalar(text) == ("\nfolded line\nnext line\n  * bullet\n\n  * list\n  * lines\n\nlast line\n", .folded))
    #expect(try scalar("v: >+\n  a\n  b\n\n") == ("a b\n\n", .folded))
  }

  @Test func blockScalarsAtTheRootAndAfterTags() throws {
    #expect(try yamlJSON("--- |\n  root\n") == #""root\n""#)
    #expect(try yamlJSON("|\n text\n") == #""text\n""#)
    let node = try YAMLReader().read("v: !Sub |\n  echo ${AWS::Region}\n")
    #expect(node["v"]?.tag == "!Sub")
    #expect(node["v"]?.scalarText == "echo ${AWS::Region}\n")
  }

  @Test func aLessIndentedLineEndsTheScalar() throws {
    #expect(try yamlJSON("a:\n  b: |\n    x\n  c: 1\nd: >\n  y\n") == #"{"a":{"b":"x\n","c":1},"d":"y\n"}"#)
    #expect(try yamlJSON("- >\n  x\n-  y") == #"["x\n","y"]"#)
  }

  @Test func tabsInsideBlockScalarContentAreText() throws {
    #expect(try scalar("v: |\n  \tx\n  y\n") == ("\tx\ny\n", .literal))
  }

  @Test func refusesBadHeaders() throws {
    let error = try #require(yamlError("v: |x\n  a"))
    #expect(error.message.contains("block scalar header"))
    #expect(error.position == SourcePosition(line: 1, column: 5))
  }
}
