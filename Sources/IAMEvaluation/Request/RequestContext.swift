import IAMPolicy

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

  /// The entries by lower-cased key, each held once by reference: an index of the context (``ContextIndex``)
  /// hands out the same objects instead of copying them.
  private var entries: [ContextKey: ContextEntry] = [:]

  /// Creates an empty context.
  public init() {}

  /// The entry for a key, looked up regardless of case.
  public subscript(key: String) -> Entry? {
    entries[ContextKey(key.lowercased())]?.entry
  }

  /// The entry for a key that is already lower-cased.
  ///
  /// - Complexity: O(1) on average.
  public func entry(lowercased key: String) -> Entry? {
    entries[ContextKey(key)]?.entry
  }

  /// The entry for a key whose hash was computed once, as held.
  func stored(_ key: ContextKey) -> ContextEntry? {
    entries[key]
  }

  /// Sets a single-valued key, replacing any value it had under any capitalisation.
  public mutating func set(_ key: String, _ value: String) {
    reserveForFirstKey()
    entries[ContextKey(key.lowercased())] = ContextEntry(key: key, values: [value], isMultivalued: false)
  }

  /// The number of keys.
  var count: Int { entries.count }

  /// Whether the context has no key.
  public var isEmpty: Bool { entries.isEmpty }

  /// Calls `body` with every key and its entry, in no particular order.
  func forEachEntry(_ body: (ContextKey, ContextEntry) -> Void) {
    for (key, entry) in entries { body(key, entry) }
  }

  /// Makes room for a few keys when the first is set: a request's context usually has several, and a dictionary
  /// made for one key is rebuilt at the second.
  private mutating func reserveForFirstKey() {
    if entries.isEmpty { entries.reserveCapacity(4) }
  }

  /// Makes room for `count` more keys.
  mutating func reserveCapacity(adding count: Int) {
    entries.reserveCapacity(entries.count + count)
  }

  /// Sets a single-valued key given with its lower-cased form, unless the context has it already.
  mutating func setIfAbsent(_ key: String, lowercased: String, _ value: String) {
    let lowercased = ContextKey(lowercased)
    if entries[lowercased] == nil { entries[lowercased] = ContextEntry(key: key, values: [value], isMultivalued: false) }
  }

  /// Sets an entry held once (a derived key's) under its hashed lower-cased key, unless the context has the key.
  mutating func setIfAbsent(_ key: ContextKey, _ entry: ContextEntry) {
    if entries[key] == nil { entries[key] = entry }
  }

  /// Sets a multivalued key.
  public mutating func set(_ key: String, values: [String]) {
    reserveForFirstKey()
    entries[ContextKey(key.lowercased())] = ContextEntry(key: key, values: values, isMultivalued: true)
  }

  /// Sets an entry as given.
  public mutating func set(_ entry: Entry) {
    entries[ContextKey(entry.key.lowercased())] = ContextEntry(key: entry.key, values: entry.values, isMultivalued: entry.isMultivalued)
  }

  /// Removes a key.
  public mutating func remove(_ key: String) {
    entries[ContextKey(key.lowercased())] = nil
  }

  /// This context with the entries of `other` laid over it.
  public func merging(_ other: RequestContext) -> RequestContext {
    if other.entries.isEmpty { return self }
    if entries.isEmpty { return other }
    var result = self
    result.entries.merge(other.entries) { _, new in new }
    return result
  }

  /// The value of a single-valued key whose hash was computed once, as policy variables read it.
  func singleValue(_ key: ContextKey) -> String? {
    guard let entry = entries[key], !entry.isMultivalued, let value = entry.values.first else { return nil }
    return value
  }

  /// The value of a single-valued key, as policy variables read it; `nil` when missing or multivalued (rule V-1).
  public func singleValue(lowercased key: String) -> String? {
    singleValue(ContextKey(key))
  }

  /// Every entry, sorted by key.
  public var sortedEntries: [Entry] {
    entries.values.map(\.entry).sorted { $0.key.lowercased() < $1.key.lowercased() }
  }
}

/// Context keys are looked up by their lower-cased text with its hash computed once.
typealias ContextKey = HashedKey

/// A context entry held by reference, never changed once made: a context shares it with its copies and its index,
/// and a lookup hands out one reference, which the matcher's hot loop releases simply, where an optional
/// `RequestContext.Entry` (two arrays and a string) went through the runtime's generic destroy on every condition.
final class ContextEntry: Sendable, Hashable {
  /// The key as it was given.
  let key: String
  let values: [String]
  let isMultivalued: Bool

  init(key: String, values: [String], isMultivalued: Bool) {
    self.key = key
    self.values = values
    self.isMultivalued = isMultivalued
  }

  /// The entry as the public API gives it.
  var entry: RequestContext.Entry { RequestContext.Entry(key: key, values: values, isMultivalued: isMultivalued) }

  static func == (lhs: ContextEntry, rhs: ContextEntry) -> Bool {
    lhs === rhs || (lhs.key == rhs.key && lhs.values == rhs.values && lhs.isMultivalued == rhs.isMultivalued)
  }

  func hash(into hasher: inout Hasher) {
    hasher.combine(key)
    hasher.combine(values)
    hasher.combine(isMultivalued)
  }
}
