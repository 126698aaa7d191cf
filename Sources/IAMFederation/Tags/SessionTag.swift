import IAMPolicy

/// A session tag: a key and value that policies read as `aws:PrincipalTag/<key>`.
public struct SessionTag: Sendable, Hashable {
  /// The tag key, case preserved; keys compare without regard to case.
  public var key: String
  /// The tag value, compared with regard to case.
  public var value: String

  /// Creates a tag.
  public init(key: String, value: String) {
    self.key = key
    self.value = value
  }
}

/// A tag as a source proposes it, before the F-6 rules decide whether STS would accept it.
struct TagCandidate {
  /// The proposed key.
  var key: String
  /// Every value the source holds for the key; STS accepts exactly one.
  var values: [String]
  /// What proposed the tag, for messages: a SAML attribute name or an attribute mapping key.
  var origin: String
  /// Where the source is.
  var location: FindingLocation?
}
