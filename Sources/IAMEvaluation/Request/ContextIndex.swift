import IAMPolicy

/// A request context's entries in an open-addressing table probed with the keys' precomputed hashes, built
/// once per prepared request: looking up a condition's key or a variable hashes nothing.
struct ContextIndex: Sendable {
  private let keys: [ContextKey]
  /// The keys' hashes, compared before the keys themselves.
  private let hashes: [Int]
  private let entries: [RequestContext.Entry]
  /// Indices into `keys` and `entries`, -1 for an empty slot; the count is a power of two, at least twice
  /// the number of entries, so that a probe always ends at an empty slot.
  private let slots: [Int32]

  init(_ context: RequestContext) {
    var keys: [ContextKey] = []
    var entries: [RequestContext.Entry] = []
    keys.reserveCapacity(context.count)
    entries.reserveCapacity(context.count)
    var capacity = 8
    while capacity < 2 * context.count { capacity *= 2 }
    var slots = [Int32](repeating: -1, count: capacity)
    context.forEachEntry { key, entry in
      var slot = key.hash & (capacity - 1)
      while slots[slot] >= 0 { slot = (slot + 1) & (capacity - 1) }
      slots[slot] = Int32(keys.count)
      keys.append(key)
      entries.append(entry)
    }
    self.keys = keys
    hashes = keys.map(\.hash)
    self.entries = entries
    self.slots = slots
  }

  /// The entry for a key.
  func entry(_ key: ContextKey) -> RequestContext.Entry? {
    index(of: key).map { entries[$0] }
  }

  /// The value of a single-valued key, as policy variables read it; `nil` when missing or multivalued (rule V-1).
  func singleValue(_ key: ContextKey) -> String? {
    guard let index = index(of: key), !entries[index].isMultivalued else { return nil }
    return entries[index].values.first
  }

  private func index(of key: ContextKey) -> Int? {
    let mask = slots.count - 1
    var slot = key.hash & mask
    while true {
      let index = Int(slots[slot])
      if index < 0 { return nil }
      if hashes[index] == key.hash && keys[index].text == key.text { return index }
      slot = (slot + 1) & mask
    }
  }
}
