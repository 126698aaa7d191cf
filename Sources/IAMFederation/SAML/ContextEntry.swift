/// A request-context key and its value(s), as a federated session supplies them to policy evaluation.
public struct ContextEntry: Sendable, Hashable {
  /// The key, such as `saml:sub` (condition keys compare without regard to case).
  public var key: String
  /// The value, or the values of a multivalued key.
  public var values: [String]
  /// Whether the key is multivalued (AWS marks these `[]`; test them with `ForAnyValue`/`ForAllValues`).
  public var isMultivalued: Bool

  /// Creates a single-valued entry.
  public init(_ key: String, _ value: String) {
    self.key = key
    self.values = [value]
    self.isMultivalued = false
  }

  /// Creates a multivalued entry.
  public init(_ key: String, values: [String]) {
    self.key = key
    self.values = values
    self.isMultivalued = true
  }
}
