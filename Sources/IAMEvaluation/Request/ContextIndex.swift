import IAMPolicy

/// A request context's entries in an open-addressing table probed with the keys' precomputed hashes, built
/// once per prepared request: looking up a condition's key or a variable hashes nothing.
struct ContextIndex: Sendable {
  private struct Slot: Sendable {
    let key: ContextKey
    let entry: Entry
  }

  /// An entry held by reference: a lookup hands out one reference, which the matcher's hot loop releases simply,
  /// where an optional `RequestContext.Entry` (two arrays and a string) went through the runtime's generic
  /// destroy on every condition.
  final class Entry: Sendable {
    let values: [String]
    let isMultivalued: Bool

    init(_ entry: RequestContext.Entry) {
      values = entry.values
      isMultivalued = entry.isMultivalued
    }
  }

  /// A power of two, at least twice the number of entries, so that a probe always ends at an empty slot.
  private let slots: [Slot?]
  /// `aws:ResourceAccount`, which AWS derives from the request's resource rather than from the caller, laid over the
  /// table without rebuilding it, so that requests of one caller keep sharing the caller's table. An account ID is
  /// a small string: copying the index copies no reference for it.
  private var resourceAccount: String?
  /// The UTF-8 bytes of all the values together: what matching every value of every key against one pattern reads.
  private(set) var valueBytes: Int

  init(_ context: RequestContext) {
    var capacity = 8
    while capacity < 2 * context.count { capacity *= 2 }
    var slots = [Slot?](repeating: nil, count: capacity)
    var valueBytes = 0
    context.forEachEntry { key, entry in
      for value in entry.values { valueBytes += value.utf8.count }
      var index = key.hash & (capacity - 1)
      while slots[index] != nil { index = (index + 1) & (capacity - 1) }
      slots[index] = Slot(key: key, entry: Entry(entry))
    }
    self.slots = slots
    self.valueBytes = valueBytes
  }

  private static let resourceAccountKey = ContextKey("aws:resourceaccount")

  /// This index with `aws:ResourceAccount` set to `account`, unless the table holds the key already.
  func adding(resourceAccount account: String) -> ContextIndex {
    guard entry(Self.resourceAccountKey) == nil else { return self }
    var result = self
    result.resourceAccount = account
    result.valueBytes += account.utf8.count
    return result
  }

  /// The entry for a key.
  @inline(__always)
  func entry(_ key: ContextKey) -> Entry? {
    // No two entries alive at once: a pair of them costs a generic tuple destroy on every lookup.
    if let index = slots.withUnsafeBufferPointer({ index(of: key, in: $0) }) { return slots[index]!.entry }
    guard let resourceAccount, key.hash == Self.resourceAccountKey.hash, key.text == Self.resourceAccountKey.text else {
      return nil
    }
    return Entry(RequestContext.Entry(key: "aws:ResourceAccount", values: [resourceAccount], isMultivalued: false))
  }

  /// The value of a single-valued key, as policy variables read it; `nil` when missing or multivalued (rule V-1).
  @inline(__always)
  func singleValue(_ key: ContextKey) -> String? {
    let found = slots.withUnsafeBufferPointer { slots -> String?? in
      guard let index = index(of: key, in: slots) else { return .none }
      return .some(slots[index]!.entry.isMultivalued ? nil : slots[index]!.entry.values.first)
    }
    if let found { return found }
    if key.hash == Self.resourceAccountKey.hash && key.text == Self.resourceAccountKey.text { return resourceAccount }
    return nil
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
