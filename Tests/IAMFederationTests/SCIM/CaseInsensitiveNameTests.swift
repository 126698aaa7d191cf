import Testing

@testable import IAMFederation

/// SCIM attribute names compare regardless of case (RFC 7643 §2.1). `equalsIgnoringCase` compares ASCII names byte
/// by byte; its answer must be `lowercased() == other.lowercased()` for every text, ASCII or not.
@Suite struct CaseInsensitiveNameTests {
  static let pairs: [(String, String)] = [
    ("userName", "USERNAME"), ("userName", "userName"), ("userName", "userNames"), ("userNames", "userName"),
    ("", ""), ("", "a"), ("a", ""), ("id", "ID"), ("id", "di"), ("name@", "NAME`"), ("[", "{"), ("Z", "z"), ("@", "`"),
    // A non-ASCII scalar may lower-case to ASCII: the Kelvin sign is `k` lower-cased, and equals `K` as a String.
    ("K", "\u{212A}"), ("k", "\u{212A}"), ("userK", "user\u{212A}"), ("\u{212A}x", "ky"),
    ("İ", "i"), ("ß", "SS"), ("straße", "STRASSE"), ("Émile", "émile"), ("e\u{301}", "\u{E9}"), ("E\u{301}", "\u{E9}"),
    ("abc", "abc\u{301}"), ("abc\u{301}", "ABC\u{301}"), ("displayName", "displayName\u{0}"),
  ]

  @Test func equalsIgnoringCaseIsLowercasedEquality() {
    for (left, right) in Self.pairs {
      #expect(left.equalsIgnoringCase(right) == (left.lowercased() == right.lowercased()), "\(left) / \(right)")
      #expect(right.equalsIgnoringCase(left) == (right.lowercased() == left.lowercased()), "\(right) / \(left)")
    }
  }

  @Test func asciiNamesDifferingOnlyInCaseAreEqual() {
    #expect("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User".equalsIgnoringCase(
      "URN:IETF:PARAMS:SCIM:SCHEMAS:EXTENSION:ENTERPRISE:2.0:USER"))
    #expect(!"givenName".equalsIgnoringCase("familyName"))
  }
}
