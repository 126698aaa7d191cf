import Testing

@testable import IAMPolicy

/// Found by the `case-file` fuzz target (issue 6): a member name or value with an escaped line break (`"a\nb"`) was
/// quoted raw in the message, so one diagnostic printed as two lines, and input could forge a line of its own.
@Suite struct DiagnosticFormattingTests {
  @Test func aDiagnosticIsAlwaysOneLine() {
    let diagnostic = Diagnostic(
      .unknownElement, .error, "`a\nb.json:1:1: error: forged\r\u{1B}[2J\u{2028}\tx` is not valid", file: "dir\n/p.json",
      path: JSONPath.root.appending("a\nb"), position: SourcePosition(line: 2, column: 3))
    #expect(!diagnostic.formatted.contains("\n"))
    #expect(diagnostic.formatted == #"dir\n/p.json:2:3: error: `a\nb.json:1:1: error: forged\r\u{1B}[2J\u{2028}\tx` is not valid [policy.unknown-element] (at $["a\nb"])"#)
  }

  @Test func ordinaryTextIsUnchanged() {
    let diagnostic = Diagnostic(.unknownElement, .error, "the element `Fôo` is not valid", file: "p.json", path: .root,
                                position: SourcePosition(line: 1, column: 2))
    #expect(diagnostic.formatted == "p.json:1:2: error: the element `Fôo` is not valid [policy.unknown-element] (at $)")
  }
}
