import IAMTestSupport
import Testing

@testable import IAMPolicy

@Suite struct WildcardPatternTests {
  @Test(arguments: [
    ("*", "", true), ("*", "anything/at:all", true),
    ("Describe*", "DescribeVpcs", true), ("Describe*", "Describe", true), ("Describe*", "describeVpcs", false),
    ("file?.txt", "file1.txt", true), ("file?.txt", "file.txt", false), ("file?.txt", "file12.txt", false),
    ("file?.txt", "fileé.txt", true),
    ("*/test/*", "1/2/test/3/object.jpg", true), ("*/test/*", "1///test///object.jpg", true),
    ("*/test/*", "/test/object.jpg", true), ("*/test/*", "test/object.jpg", false),
    ("*/test/*", "1-test/object.jpg", false), ("*/test/*", "1/test/", true),
    ("a*b*c", "abc", true), ("a*b*c", "aXbYbZc", true), ("a*b*c", "aXbYbZ", false),
    ("exact", "exact", true), ("exact", "exac", false), ("**", "x", true), ("?*?", "ab", true), ("?*?", "a", false),
  ])
  func matchesLikeIAM(pattern: String, text: String, expected: Bool) {
    #expect(WildcardPattern(pattern).matches(text) == expected)
  }

  @Test func ignoresASCIICaseOnlyWhenAsked() {
    let pattern = WildcardPattern("*AccessKey*", ignoringASCIICase: true)
    #expect(pattern.matches("listaccesskeys"))
    #expect(!WildcardPattern("*AccessKey*").matches("listaccesskeys"))
  }

  /// The compiled matcher agrees with a naive recursive matcher on 100,000 seeded random inputs (issue 6).
  @Test func agreesWithReferenceBacktrackingMatcher() {
    var generator = SeededGenerator(seed: 0x1A3_5EED)
    let alphabet: [Character] = ["a", "b", "/", "é", "*", "?"]
    for _ in 0..<100_000 {
      let pattern = String((0..<Int.random(in: 0...6, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! })
      let text = String((0..<Int.random(in: 0...7, using: &generator)).map { _ in alphabet.dropLast(2).randomElement(using: &generator)! })
      #expect(
        WildcardPattern(pattern).matches(text) == referenceMatch(Array(pattern), Array(text)),
        "pattern \(pattern) text \(text)")
    }
  }

  private func referenceMatch(_ pattern: [Character], _ text: [Character]) -> Bool {
    guard let first = pattern.first else { return text.isEmpty }
    switch first {
    case "*":
      return (0...text.count).contains { referenceMatch(Array(pattern.dropFirst()), Array(text.dropFirst($0))) }
    case "?":
      return !text.isEmpty && referenceMatch(Array(pattern.dropFirst()), Array(text.dropFirst()))
    default:
      return text.first == first && referenceMatch(Array(pattern.dropFirst()), Array(text.dropFirst()))
    }
  }
}

@Suite struct LiteralPieceTests {
  @Test func literalStarMatchesOnlyAStar() {
    let pattern = WildcardPattern(pieces: [.pattern("b/"), .literal("*")])
    #expect(pattern.matches("b/*"))
    #expect(!pattern.matches("b/x"))
  }

  @Test func wildcardAfterLiteralStillWorks() {
    let pattern = WildcardPattern(pieces: [.literal("a?"), .pattern("*")])
    #expect(pattern.matches("a?anything"))
    #expect(!pattern.matches("ab"))
  }
}

@Suite struct WildcardWorstCaseTests {
  /// A literal tail longer than the text left fails at once (the fuzzer's `b/*aaaa…` timeout).
  @Test func aTailThatCannotFitFailsWithoutTryingEveryPosition() {
    let pattern = WildcardPattern("b/*" + String(repeating: "a", count: 40_000))
    let text = "b/" + String(repeating: "a", count: 8_000)
    let clock = ContinuousClock()
    var matched = true
    let elapsed = clock.measure { matched = pattern.matches(text) }
    #expect(!matched)
    #expect(elapsed < .milliseconds(200), "took \(elapsed)")
    #expect(WildcardPattern("b/*" + String(repeating: "a", count: 10)).matches("b/" + String(repeating: "a", count: 20)))
  }

  /// A pattern of many stars is matched in time linear in its length: what each `*` still needs is counted once,
  /// not again at every star (100,000 stars cost 5·10⁹ steps a match when it was).
  @Test func manyStarsCostNoMoreThanFew() {
    let pattern = WildcardPattern(String(repeating: "*", count: 100_000) + "b")
    let clock = ContinuousClock()
    var results: [Bool] = []
    let elapsed = clock.measure {
      results = [pattern.matches(String(repeating: "a", count: 8_000)), pattern.matches(String(repeating: "a", count: 8_000) + "b")]
    }
    #expect(results == [false, true])
    #expect(elapsed < .seconds(2), "took \(elapsed)")
  }

  /// The matching bound reads a template's retry weight before its variables are resolved: without variables it
  /// must never be below the weight of the pattern the text compiles to, or a costly match would pass the bound.
  @Test func aTemplatesRetryWeightBoundsItsPatterns() throws {
    var generator = SeededGenerator(seed: 7)
    for _ in 0..<5_000 {
      let text = (0..<Int.random(in: 0...10, using: &generator))
        .map { _ in ["a", "*", "?", "b/", "*a", "a*"].randomElement(using: &generator)! }.joined()
      let template = try VariableTemplate(text, substitutes: true)
      #expect(template.retryWeight.weight >= WildcardPattern(text).retryWeight, "\(text)")
      #expect(template.retryWeight.variablesAfterStar.isEmpty)
    }
    // A variable after a `*` is reported with its default's length; one before the first `*` is not.
    let template = try VariableTemplate("${aws:username}/*${aws:PrincipalTag/k, 'abc'}x", substitutes: true)
    #expect(template.retryWeight.weight == 2)
    #expect(template.retryWeight.variablesAfterStar.map(\.defaultLength) == [3])
  }
}
