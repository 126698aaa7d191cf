import IAMPolicy

/// A request context's entries in an open-addressing table probed with the keys' precomputed hashes, built
/// once per prepared request: looking up a condition's key or a variable hashes nothing.
struct ContextIndex: Sendable {
  private struct Slot: Sendable {
    let key: ContextKey
    let entry: RequestContext.Entry
  }

  /// A power of two, at least twice the number of entries, so that a probe always ends at an empty slot.
  private let slots: [Slot?]
  /// The UTF-8 bytes of all the values together: what matching every value of every key against one pattern reads.
  let valueBytes: Int

  init(_ context: RequestContext) {
    var capacity = 8
    while capacity < 2 * context.count { capacity *= 2 }
    var slots = [Slot?](repeating: nil, count: capacity)
    var valueBytes = 0
    context.forEachEntry { key, entry in
      for value in entry.values { valueBytes += value.utf8.count }
      var index = key.hash & (capacity - 1)
      while slots[index] != nil { index = (index + 1) & (capacity - 1) }
      slots[index] = Slot(key: key, entry: entry)
    }
    self.slots = slots
    self.valueBytes = valueBytes
  }

  /// The entry for a key.
  func entry(_ key: ContextKey) -> RequestContext.Entry? {
    slots.withUnsafeBufferPointer { slots in index(of: key, in: slots).map { slots[$0]!.entry } }
  }

  /// The value of a single-valued key, as policy variables read it; `nil` when missing or multivalued (rule V-1).
  func singleValue(_ key: ContextKey) -> String? {
    slots.withUnsafeBufferPointer { slots in
      guard let index = index(of: key, in: slots), !slots[index]!.entry.isMultivalued else { return nil }
      return slots[index]!.entry.values.first
    }
  }

  private func index(of key: ContextKey, in slots: UnsafeBufferPointer<Slot?>) -> Int? {
    let mask = slots.count - 1
    var index = key.hash & mask
    while let slot = slots[index] {
      if slot.key.hash == key.hash && slot.key.text == key.text { return index }
      index = (index + 1) & mask
    }
    return nil
  }
}
