/// The context keys of a request and their values; keys compare regardless of case (rule G-10).
public struct RequestContext: Sendable, Hashable {
  /// One key and its values.
  public struct Entry: Sendable, Hashable {
    /// The key as it was given.
    public var key: String
    /// The values, as strings (AWS compares every type as a string read by the operator).
    public var values: [String]
    /// Whether the key was given as an array, which makes it a multivalued key (rule C-12).
    public var isMultivalued: Bool
  }

  private var entries: [String: Entry] = [:]

  /// Creates an empty context.
  public init() {}

  /// The entry for a key, looked up regardless of case.
  public subscript(key: String) -> Entry? {
    entries[key.lowercased()]
  }

  /// The entry for a key that is already lower-cased.
  ///
  /// - Complexity: O(1) on average.
  public func entry(lowercased key: String) -> Entry? {
    entries[key]
  }

  /// Sets a single-valued key, replacing any value it had under any capitalisation.
  public mutating func set(_ key: String, _ value: String) {
    entries[key.lowercased()] = Entry(key: key, values: [value], isMultivalued: false)
  }

  /// Sets a multivalued key.
  public mutating func set(_ key: String, values: [String]) {
    entries[key.lowercased()] = Entry(key: key, values: values, isMultivalued: true)
  }

  /// Sets an entry as given.
  public mutating func set(_ entry: Entry) {
    entries[entry.key.lowercased()] = entry
  }

  /// Removes a key.
  public mutating func remove(_ key: String) {
    entries[key.lowercased()] = nil
  }

  /// This context with the entries of `other` laid over it.
  public func merging(_ other: RequestContext) -> RequestContext {
    var result = self
    result.entries.merge(other.entries) { _, new in new }
    return result
  }

  /// The value of a single-valued key, as policy variables read it; `nil` when missing or multivalued (rule V-1).
  public func singleValue(lowercased key: String) -> String? {
    guard let entry = entries[key], !entry.isMultivalued, let value = entry.values.first else { return nil }
    return value
  }

  /// Every entry, sorted by key.
  public var sortedEntries: [Entry] {
    entries.values.sorted { $0.key.lowercased() < $1.key.lowercased() }
  }
}
