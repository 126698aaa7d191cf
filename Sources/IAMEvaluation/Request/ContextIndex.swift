import IAMPolicy

/// A request context's entries for lookups by precomputed key hashes: looking up a condition's key or a variable
/// hashes nothing.
///
/// It has two layers. The caller's keys (the derived keys and a context its requests share, or the whole context of
/// a request prepared alone) sit in an open-addressing table built once per prepared caller; a request's own context
/// is laid over them as it is, without merging or rebuilding anything, so that preparing a request of a prepared
/// caller costs nothing for its context.
struct ContextIndex: Sendable {
  private struct Slot: Sendable {
    let key: ContextKey
    let entry: Entry
  }

  /// Entries are handed out by reference (see ``ContextEntry``).
  typealias Entry = ContextEntry

  /// The caller's table: a power of two, at least twice the number of entries, so that a probe always ends at an
  /// empty slot; empty when the caller has no key.
  private let slots: [Slot?]
  /// The request's own context, looked up first; empty when the request has none (or it is in `slots`).
  private let own: RequestContext
  /// `aws:ResourceAccount`, which AWS derives from the request's resource rather than from the caller, laid under the
  /// own context and the table (a key either gives hides it) without rebuilding the table, so that requests of one
  /// caller keep sharing the caller's table. An account ID is a small string: copying the index copies no reference
  /// for it.
  private var resourceAccount: String?
  /// The UTF-8 bytes of the values in `slots`.
  private let slotValueBytes: Int
}

extension ContextIndex {
  /// Indexes a context.
  init(_ context: RequestContext) {
    guard !context.isEmpty else {
      // No table: an empty array is one object shared by the whole process, which is never counted.
      self.init(slots: [], own: RequestContext(), resourceAccount: nil, slotValueBytes: 0)
      return
    }
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
    self.init(slots: slots, own: RequestContext(), resourceAccount: nil, slotValueBytes: valueBytes)
  }

  /// A request's index: its own context laid over the caller's table (`caller`, or no table), as it is, and
  /// `aws:ResourceAccount` set to `resourceAccount` under both. With `preparing`, the looked-up form
  /// of each own key is made now (``RequestContext/prepared()``), for policies that look keys up; without, a lookup
  /// compares the own keys as given and makes the entry of the one it finds.
  init(laying own: RequestContext, over caller: PreparedCaller?, preparing: Bool, resourceAccount: String?) {
    // `resourceAccount` is kept even when the own context or the table gives the key: lookups read both first, so
    // it is found only when neither has the key, and nothing is looked up here.
    self.init(
      slots: caller?.contextIndex.slots ?? [], own: preparing ? own.prepared() : own, resourceAccount: resourceAccount,
      slotValueBytes: caller?.contextIndex.slotValueBytes ?? 0)
  }
}

extension ContextIndex {
  /// The UTF-8 bytes of all the values together: what matching every value of every key against one pattern reads.
  ///
  /// - Complexity: O(k) in the keys of the request's own context.
  var valueBytes: Int {
    var bytes = slotValueBytes
    own.forEachEntry { key, entry in
      for value in entry.values { bytes += value.utf8.count }
      // An own key hides the caller's.
      if let hidden = slots.withUnsafeBufferPointer({ Self.index(of: key, in: $0) }).map({ slots[$0]!.entry }) {
        for value in hidden.values { bytes -= value.utf8.count }
      }
    }
    // The derived account counts only when neither the own context nor the table hides it.
    if let resourceAccount, !own.contains(Self.resourceAccountKey),
      slots.withUnsafeBufferPointer({ Self.index(of: Self.resourceAccountKey, in: $0) }) == nil
    {
      bytes += resourceAccount.utf8.count
    }
    return bytes
  }

  private static let resourceAccountKey = ContextKey("aws:resourceaccount")

  /// The entry for a key.
  @inline(__always)
  func entry(_ key: ContextKey) -> Entry? {
    if !own.isEmpty, let entry = own.stored(key) { return entry }
    // No two entries alive at once: a pair of them costs a generic tuple destroy on every lookup.
    if let index = slots.withUnsafeBufferPointer({ Self.index(of: key, in: $0) }) { return slots[index]!.entry }
    guard let resourceAccount, key.hash == Self.resourceAccountKey.hash, key.text == Self.resourceAccountKey.text else {
      return nil
    }
    return Entry(key: "aws:ResourceAccount", value: resourceAccount)
  }

  /// Whether the index has a key, without making its entry.
  func contains(_ key: ContextKey) -> Bool {
    if !own.isEmpty && own.contains(key) { return true }
    if slots.withUnsafeBufferPointer({ Self.index(of: key, in: $0) }) != nil { return true }
    return resourceAccount != nil && key.hash == Self.resourceAccountKey.hash && key.text == Self.resourceAccountKey.text
  }

  /// The value of a single-valued key, as policy variables read it; `nil` when missing or multivalued (rule V-1).
  @inline(__always)
  func singleValue(_ key: ContextKey) -> String? {
    if !own.isEmpty && own.contains(key) { return own.singleValue(key) }
    let found = slots.withUnsafeBufferPointer { slots -> String?? in
      guard let index = Self.index(of: key, in: slots) else { return .none }
      return .some(slots[index]!.entry.isMultivalued ? nil : slots[index]!.entry.values.first)
    }
    if let found { return found }
    if key.hash == Self.resourceAccountKey.hash && key.text == Self.resourceAccountKey.text { return resourceAccount }
    return nil
  }

  private static func index(of key: ContextKey, in slots: UnsafeBufferPointer<Slot?>) -> Int? {
    guard !slots.isEmpty else { return nil }
    let mask = slots.count - 1
    var index = key.hash & mask
    while let slot = slots[index] {
      if slot.key.hash == key.hash && slot.key.text == key.text { return index }
      index = (index + 1) & mask
    }
    return nil
  }
}
