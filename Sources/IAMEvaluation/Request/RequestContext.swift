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

  /// The keys and values. A context of up to ``smallLimit`` keys (a request's, usually two to ten) keeps them in one
  /// buffer of ``Slot``s (``SlotBuffer``), in the order first set, each key as it was given: setting a key neither
  /// lower-cases it nor makes an object for it, and freeing the context frees one buffer. An index (``ContextIndex``)
  /// makes the looked-up form of a key (``ContextEntry``) when it is built; a lookup in the buffer itself compares
  /// the given keys regardless of case. A larger context moves its keys into a dictionary by lower-cased key.
  ///
  /// One reference at most, so that copying a context (a request is copied and prepared) retains one object.
  private var storage = Storage.empty

  /// Sendable as an array is: a buffer is shared between contexts, and so between threads, only unchanged, since a
  /// context changes its buffer only while it holds the one reference to it (`isKnownUniquelyReferenced`).
  private enum Storage: @unchecked Sendable {
    /// No key: nothing allocated.
    case empty
    /// Up to ``smallLimit`` keys, in the order first set.
    case small(SlotBuffer)
    /// The entries by lower-cased key, once there are more than ``smallLimit``.
    case large([ContextKey: ContextEntry])
  }

  /// A small context's slots, in one allocation after their count and capacity. It is changed only while one context
  /// holds it (copy on write), and freeing it destroys its slots one by one in code made for them: an array of slots
  /// was grown by generic code and freed through the runtime's generic destroy (callgrind: setting two keys and
  /// freeing the context cost 1,192 instructions with the array, 1,002 with this buffer).
  final class SlotBuffer: ManagedBuffer<SlotBuffer.Header, Slot> {
    struct Header {
      var count: Int
      let capacity: Int
    }

    /// An empty buffer with room for `capacity` slots.
    static func make(capacity: Int) -> SlotBuffer {
      unsafeDowncast(
        SlotBuffer.create(minimumCapacity: capacity) { _ in Header(count: 0, capacity: capacity) }, to: SlotBuffer.self)
    }

    // The header and the slots are reached through their addresses, stable while the buffer lives: `header`, a
    // class's stored property, is checked for exclusive access at run time on every change.

    /// The header, in place.
    private var counts: UnsafeMutablePointer<Header> { withUnsafeMutablePointerToHeader { $0 } }

    /// The slots, in place: valid while the buffer is alive and unchanged.
    var slots: UnsafeMutableBufferPointer<Slot> {
      UnsafeMutableBufferPointer(start: withUnsafeMutablePointerToElements { $0 }, count: counts.pointee.count)
    }

    var count: Int { counts.pointee.count }
    /// The slots it has room for (`ManagedBuffer.capacity` asks the allocator).
    var room: Int { counts.pointee.capacity }
    var isFull: Bool { count == room }

    /// The index of the slot of a key (lower-cased), compared regardless of case with each key as given.
    func index(of key: ContextKey) -> Int? {
      let slots = self.slots
      for index in slots.indices where slots[index].holds(key) { return index }
      return nil
    }

    /// Adds a slot; the buffer must not be full.
    func append(_ slot: consuming Slot) {
      let counts = self.counts
      precondition(counts.pointee.count < counts.pointee.capacity, "SlotBuffer: appending to a full buffer")
      (withUnsafeMutablePointerToElements { $0 } + counts.pointee.count).initialize(to: slot)
      counts.pointee.count += 1
    }

    /// A buffer of its own with the same slots and room for `capacity`.
    func copy(capacity: Int) -> SlotBuffer {
      let copy = SlotBuffer.make(capacity: Swift.max(capacity, count))
      let slots = self.slots
      for index in slots.indices { copy.append(slots[index]) }
      return copy
    }

    deinit {
      let slots = self.slots
      // One at a time: moving each out destroys it in code made for `Slot`.
      for index in slots.indices { _ = (slots.baseAddress! + index).move() }
    }
  }

  /// One key of a small context, as it was set.
  struct Slot: Sendable {
    /// The key as it was given.
    let key: String
    let values: ContextValues
    let isMultivalued: Bool
    /// The key's looked-up form when it was set as one (the keys derived from a caller, shared by its requests).
    let made: ContextEntry?
    /// The key's fold, which tells most other keys apart without comparing bytes.
    let fold: ASCIIFold

    init(key: String, values: ContextValues, isMultivalued: Bool) {
      self.key = key
      self.values = values
      self.isMultivalued = isMultivalued
      made = nil
      fold = ASCIIFold(key)
    }

    init(_ entry: ContextEntry) {
      key = entry.key
      values = entry.values
      isMultivalued = entry.isMultivalued
      made = entry
      fold = ASCIIFold(entry.key)
    }

    /// The looked-up form, made now unless it was set as one.
    var entry: ContextEntry {
      made ?? ContextEntry(lookupKey: RequestContext.contextKey(key), key: key, values: values, isMultivalued: isMultivalued)
    }

    /// Whether this is the slot of `key` (lower-cased, as conditions and indexes look keys up): the given key's
    /// lower-cased form is `key`'s text. ASCII keys are compared byte by byte, ASCII-lower-cased; other text by its
    /// lower-cased string (which compares by canonical equivalence).
    @inline(__always)
    func holds(_ key: ContextKey) -> Bool {
      guard fold.isASCII && key.fold.isASCII else { return RequestContext.lowercasedKey(self.key) == key.text }
      return fold.hash == key.fold.hash && RequestContext.asciiEqualIgnoringCase(self.key, key.text)
    }

    /// Whether this slot's key is `other`'s, regardless of case.
    @inline(__always)
    func holdsKey(of other: borrowing Slot) -> Bool {
      guard fold.isASCII && other.fold.isASCII else {
        return RequestContext.lowercasedKey(key) == RequestContext.lowercasedKey(other.key)
      }
      return fold.hash == other.fold.hash && RequestContext.asciiEqualIgnoringCase(key, other.key)
    }
  }

  /// The most keys kept in the array.
  static let smallLimit = 16

  /// Creates an empty context.
  public init() {}

  /// The entry for a key, looked up regardless of case.
  public subscript(key: String) -> Entry? {
    stored(RequestContext.contextKey(key))?.entry
  }

  /// The entry for a key that is already lower-cased.
  ///
  /// - Complexity: O(1) on average.
  public func entry(lowercased key: String) -> Entry? {
    stored(ContextKey(key))?.entry
  }

  /// The entry for a key whose hash was computed once: a small context's slot that was not set as an entry makes
  /// one (an index makes each once, when it is built).
  func stored(_ key: ContextKey) -> ContextEntry? {
    switch storage {
    case .empty: return nil
    case .small(let buffer): return buffer.index(of: key).map { buffer.slots[$0].entry }
    case .large(let table): return table[key]
    }
  }

  /// Whether the context has a key, without making its entry.
  func contains(_ key: ContextKey) -> Bool {
    switch storage {
    case .empty: return false
    case .small(let buffer): return buffer.index(of: key) != nil
    case .large(let table): return table[key] != nil
    }
  }

  /// Sets `slot` under its key, replacing any slot the key had under any capitalisation.
  @inline(__always)
  private mutating func store(_ slot: consuming Slot) {
    switch storage {
    case .empty:
      // A request's context usually has several keys: room for a few at the first spares regrowing at the second.
      let buffer = SlotBuffer.make(capacity: 4)
      buffer.append(slot)
      storage = .small(buffer)
    case .small(var buffer):
      // Let go of the stored reference first, so that a buffer held by this context alone is changed in place.
      storage = .empty
      var found: Int?
      let slots = buffer.slots
      for index in slots.indices where slots[index].holdsKey(of: slot) {
        found = index
        break
      }
      if let index = found {
        if !isKnownUniquelyReferenced(&buffer) { buffer = buffer.copy(capacity: buffer.count) }
        buffer.slots[index] = consume slot
        storage = .small(buffer)
      } else if buffer.count < RequestContext.smallLimit {
        if !isKnownUniquelyReferenced(&buffer) || buffer.isFull {
          buffer = buffer.copy(capacity: Swift.min(RequestContext.smallLimit, Swift.max(4, buffer.count * 2)))
        }
        buffer.append(slot)
        storage = .small(buffer)
      } else {
        var table = RequestContext.table(buffer.slots, capacity: buffer.count + 1)
        let entry = slot.entry
        table[entry.lookupKey] = entry
        storage = .large(table)
      }
    case .large(var table):
      storage = .empty
      let entry = slot.entry
      table[entry.lookupKey] = entry
      storage = .large(table)
    }
  }

  private static func table(_ slots: UnsafeMutableBufferPointer<Slot>, capacity: Int) -> [ContextKey: ContextEntry] {
    var table = [ContextKey: ContextEntry](minimumCapacity: capacity)
    for slot in slots {
      let entry = slot.entry
      table[entry.lookupKey] = entry
    }
    return table
  }

  /// Sets a single-valued key, replacing any value it had under any capitalisation.
  public mutating func set(_ key: String, _ value: String) {
    store(Slot(key: key, values: ContextValues(value), isMultivalued: false))
  }

  /// The number of keys.
  public var count: Int {
    switch storage {
    case .empty: 0
    case .small(let buffer): buffer.count
    case .large(let table): table.count
    }
  }

  /// Whether the context has no key.
  public var isEmpty: Bool { count == 0 }

  /// Calls `body` with every key and its entry, in no particular order; a small context's slots make their entries.
  func forEachEntry(_ body: (ContextKey, ContextEntry) -> Void) {
    switch storage {
    case .empty: break
    case .small(let buffer):
      for slot in buffer.slots {
        let entry = slot.entry
        body(entry.lookupKey, entry)
      }
    case .large(let table): for (key, entry) in table { body(key, entry) }
    }
  }

  /// Makes room for `count` more keys.
  mutating func reserveCapacity(adding count: Int) {
    let total = self.count + count
    switch storage {
    case .empty:
      storage = total == 0 ? .empty
        : total <= RequestContext.smallLimit ? .small(SlotBuffer.make(capacity: total))
        : .large([ContextKey: ContextEntry](minimumCapacity: total))
    case .small(var buffer):
      storage = .empty
      if total > RequestContext.smallLimit {
        storage = .large(RequestContext.table(buffer.slots, capacity: total))
      } else {
        // A buffer shared with another context is copied now, with the room, rather than at the first key added.
        if total > buffer.room || !isKnownUniquelyReferenced(&buffer) { buffer = buffer.copy(capacity: total) }
        storage = .small(buffer)
      }
    case .large(var table):
      storage = .empty
      table.reserveCapacity(total)
      storage = .large(table)
    }
  }

  /// Sets a single-valued key given with its lower-cased form, unless the context has it already.
  mutating func setIfAbsent(_ key: String, lowercased: String, _ value: String) {
    let lowercased = ContextKey(lowercased)
    guard !contains(lowercased) else { return }
    store(Slot(ContextEntry(lookupKey: lowercased, key: key, values: ContextValues(value), isMultivalued: false)))
  }

  /// Sets an entry held once (a derived key's) under its hashed lower-cased key, unless the context has the key.
  mutating func setIfAbsent(_ entry: ContextEntry) {
    if !contains(entry.lookupKey) { store(Slot(entry)) }
  }

  /// Sets a multivalued key.
  public mutating func set(_ key: String, values: [String]) {
    store(Slot(key: key, values: ContextValues(values), isMultivalued: true))
  }

  /// Sets an entry as given.
  public mutating func set(_ entry: Entry) {
    store(Slot(key: entry.key, values: ContextValues(entry.values), isMultivalued: entry.isMultivalued))
  }

  /// Removes a key.
  public mutating func remove(_ key: String) {
    switch storage {
    case .empty: break
    case .small(let buffer):
      let removed = Slot(key: key, values: ContextValues([]), isMultivalued: false)
      let kept = buffer.slots.filter { !$0.holdsKey(of: removed) }
      guard kept.count < buffer.count else { return }
      if kept.isEmpty {
        storage = .empty
      } else {
        let copy = SlotBuffer.make(capacity: kept.count)
        for slot in kept { copy.append(slot) }
        storage = .small(copy)
      }
    case .large(var table):
      storage = .empty
      table[RequestContext.contextKey(key)] = nil
      storage = .large(table)
    }
  }

  /// This context with the entries of `other` laid over it.
  public func merging(_ other: RequestContext) -> RequestContext {
    if other.isEmpty { return self }
    if isEmpty { return other }
    var result = self
    result.reserveCapacity(adding: other.count)
    switch other.storage {
    case .empty: break
    case .small(let buffer): for slot in buffer.slots { result.store(slot) }
    case .large(let table): for entry in table.values { result.store(Slot(entry)) }
    }
    return result
  }

  /// The same context with the looked-up form of each key made now: a context kept and laid under many requests
  /// (``PreparedRequest/init(_:caller:action:resource:)``) is then looked up without making anything again.
  public func prepared() -> RequestContext {
    guard case .small(let buffer) = storage, buffer.slots.contains(where: { $0.made == nil }) else { return self }
    let made = SlotBuffer.make(capacity: buffer.count)
    for slot in buffer.slots { made.append(slot.made == nil ? Slot(slot.entry) : slot) }
    var copy = RequestContext()
    copy.storage = .small(made)
    return copy
  }

  /// The same keys and values in entries and string buffers of their own (see ``PreparedCaller/unsharedCopy()``).
  func unsharedCopy() -> RequestContext {
    var copy = RequestContext()
    copy.reserveCapacity(adding: count)
    forEachEntry { key, entry in
      copy.store(
        Slot(
          ContextEntry(
            lookupKey: ContextKey(key.text.unshared), key: entry.key.unshared,
            values: ContextValues(entry.values.map(\.unshared)), isMultivalued: entry.isMultivalued)))
    }
    return copy
  }

  /// The value of a single-valued key whose hash was computed once, as policy variables read it.
  func singleValue(_ key: ContextKey) -> String? {
    switch storage {
    case .empty: return nil
    case .small(let buffer):
      guard let index = buffer.index(of: key), !buffer.slots[index].isMultivalued else { return nil }
      return buffer.slots[index].values.first
    case .large(let table):
      guard let entry = table[key], !entry.isMultivalued else { return nil }
      return entry.values.first
    }
  }

  /// The value of a single-valued key, as policy variables read it; `nil` when missing or multivalued (rule V-1).
  public func singleValue(lowercased key: String) -> String? {
    singleValue(ContextKey(key))
  }

  /// Every entry, sorted by key.
  public var sortedEntries: [Entry] {
    var entries: [Entry] = []
    entries.reserveCapacity(count)
    switch storage {
    case .empty: break
    case .small(let buffer):
      for slot in buffer.slots { entries.append(Entry(key: slot.key, values: Array(slot.values), isMultivalued: slot.isMultivalued)) }
    case .large(let table): for entry in table.values { entries.append(entry.entry) }
    }
    return entries.sorted { $0.key.lowercased() < $1.key.lowercased() }
  }

  /// Two contexts are equal when they hold the same keys (regardless of case) with equal entries.
  public static func == (lhs: RequestContext, rhs: RequestContext) -> Bool {
    guard lhs.count == rhs.count else { return false }
    var equal = true
    lhs.forEachEntry { key, entry in
      if equal, rhs.stored(key) != entry { equal = false }
    }
    return equal
  }

  /// Hashes the entries in an order-independent way, as equal contexts in any order must hash alike.
  public func hash(into hasher: inout Hasher) {
    var combined = 0
    forEachEntry { key, entry in
      var element = Hasher()
      element.combine(key)
      element.combine(entry)
      combined ^= element.finalize()
    }
    hasher.combine(count)
    hasher.combine(combined)
  }

  /// Whether two ASCII texts are equal ASCII-lower-cased.
  @inline(__always)
  static func asciiEqualIgnoringCase(_ lhs: String, _ rhs: String) -> Bool {
    guard lhs.utf8.count == rhs.utf8.count else { return false }
    let compared = lhs.utf8.withContiguousStorageIfAvailable { l -> Bool? in
      rhs.utf8.withContiguousStorageIfAvailable { r -> Bool in
        for offset in 0..<l.count where asciiLowercase(l[offset]) != asciiLowercase(r[offset]) { return false }
        return true
      }
    }
    if let compared = compared ?? nil { return compared }
    return lhs.utf8.lazy.map(asciiLowercase).elementsEqual(rhs.utf8.lazy.map(asciiLowercase))
  }

  /// A given key lower-cased and hashed: a key AWS defines (``KnownContextKeys``) comes from a table made once, so
  /// that the keys requests usually carry are neither lower-cased nor hashed again; another is lower-cased and
  /// hashed here.
  static func contextKey(_ key: String) -> ContextKey {
    key.withUTF8InPlace { KnownContextKeys.lookup($0) } ?? ContextKey(lowercasedKey(key))
  }

  /// A key lower-cased as `String.lowercased()` does: ASCII text byte by byte, returned as it is when it has no
  /// capital letter (no new string); other text through `lowercased()`.
  static func lowercasedKey(_ key: String) -> String {
    let lowered = key.withUTF8InPlace { bytes -> String?? in
      var any: UInt8 = 0
      var upper = false
      for byte in bytes {
        any |= byte
        upper = upper || (byte &- UInt8(ascii: "A") < 26)
      }
      if any >= 0x80 { return .none }
      if !upper { return .some(nil) }
      return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: bytes.count) { buffer in
        for offset in 0..<bytes.count { buffer[offset] = asciiLowercase(bytes[offset]) }
        return .some(String(decoding: buffer, as: UTF8.self))
      }
    }
    switch lowered {
    case .some(.some(let lowered)): return lowered
    case .some(.none): return key
    case .none: return key.lowercased()
    }
  }
}

/// The condition keys AWS defines for every service (``GlobalConditionKeys``, from the global condition keys page),
/// lower-cased and hashed once: a request's context names them again and again, and ``RequestContext/contextKey(_:)`` finds them here with
/// a byte comparison instead of lower-casing the key into a new string and hashing it.
///
/// A given key matches an entry when its bytes, ASCII-lower-cased, are the entry's: it is then ASCII itself, so its
/// `lowercased()` is exactly the entry's text.
enum KnownContextKeys {
  /// The global keys validation knows (``GlobalConditionKeys/plain``), lower-cased, in a fixed order.
  static let names = GlobalConditionKeys.plain.sorted()

  /// The table, made once and kept for the life of the process in plain memory, so that a lookup reads it without
  /// retaining anything or checking bounds: for each slot, the offset of its name's lower-cased bytes in `bytes` and
  /// the name's length (0 when empty). Open addressing on ``slotHash(_:)``, a power of two at least twice the number
  /// of names.
  private struct Table: @unchecked Sendable {
    static let slotCount = 128
    let offsets: UnsafeMutablePointer<Int>
    let lengths: UnsafeMutablePointer<Int>
    /// The names' lower-cased bytes, one after another, and eight zero bytes after the last.
    let bytes: UnsafeMutablePointer<UInt8>
    let keys: UnsafeMutablePointer<ContextKey?>
    /// The shortest and longest name, in bytes: other lengths are not looked up.
    let shortest: Int
    let longest: Int

    init() {
      let count = Table.slotCount
      precondition(names.count * 2 <= count, "KnownContextKeys: the table needs at least twice as many slots as names")
      offsets = .allocate(capacity: count)
      offsets.initialize(repeating: 0, count: count)
      lengths = .allocate(capacity: count)
      lengths.initialize(repeating: 0, count: count)
      var keys = [ContextKey?](repeating: nil, count: count)
      var all: [UInt8] = []
      for name in names {
        let lowered = Array(name.lowercased().utf8)
        precondition(lowered.count >= 8, "KnownContextKeys: every name has at least eight bytes")
        var index = slotHash(lowered[...]) & (count - 1)
        while lengths[index] > 0 { index = (index + 1) & (count - 1) }
        offsets[index] = all.count
        lengths[index] = lowered.count
        keys[index] = ContextKey(String(decoding: lowered, as: UTF8.self))
        all += lowered
      }
      all += [UInt8](repeating: 0, count: 8)
      bytes = .allocate(capacity: all.count)
      bytes.initialize(from: all, count: all.count)
      self.keys = .allocate(capacity: count)
      self.keys.initialize(from: keys, count: count)
      shortest = names.map(\.utf8.count).min() ?? 0
      longest = names.map(\.utf8.count).max() ?? 0
    }
  }

  private static let table = Table()

  /// A cheap hash of a key's ASCII-lower-cased length and last bytes (every name starts with `aws:`).
  @inline(__always)
  private static func slotHash<Bytes: Collection>(_ bytes: Bytes) -> Int where Bytes.Element == UInt8, Bytes.Index == Int {
    let count = bytes.count
    guard count >= 3 else { return count }
    let end = bytes.startIndex + count
    return count &* 31 ^ Int(asciiLowercase(bytes[end - 1])) &* 7 ^ Int(asciiLowercase(bytes[end - 2])) &* 131
      ^ Int(asciiLowercase(bytes[end - 3])) &* 17
  }

  /// Eight bytes ASCII-lower-cased at once; `nil` when one of them is not ASCII (no name has such a byte).
  @inline(__always)
  private static func lowercasedWord(_ word: UInt64) -> UInt64? {
    word & 0x8080_8080_8080_8080 == 0 ? asciiLowercaseWord(word) : nil
  }

  /// The known key whose lower-cased text `bytes` spell regardless of ASCII case, if any.
  static func lookup(_ bytes: UnsafeBufferPointer<UInt8>) -> ContextKey? {
    let table = Self.table
    let count = bytes.count
    // Every name is at least eight bytes long (`aws:` and a name), so that whole words can be compared.
    guard count >= table.shortest, count <= table.longest, let base = bytes.baseAddress else { return nil }
    let mask = Table.slotCount - 1
    var index = slotHash(bytes) & mask
    while table.lengths[index] > 0 {
      if table.lengths[index] == count {
        let name = UnsafeRawPointer(table.bytes + table.offsets[index])
        // Whole words, then the last eight bytes (which may overlap the word before).
        var offset = 0
        var equal = true
        while equal && offset < count {
          let at = min(offset, count - 8)
          let given = UnsafeRawPointer(base + at).loadUnaligned(as: UInt64.self)
          equal = lowercasedWord(given) == name.loadUnaligned(fromByteOffset: at, as: UInt64.self)
          offset += 8
        }
        if equal { return table.keys[index] }
      }
      index = (index + 1) & mask
    }
    return nil
  }
}

/// Context keys are looked up by their lower-cased text with its hash computed once.
typealias ContextKey = HashedKey

/// A context entry held by reference, never changed once made: a context shares it with its copies and its index,
/// and a lookup hands out one reference, which the matcher's hot loop releases simply, where an optional
/// `RequestContext.Entry` (two arrays and a string) went through the runtime's generic destroy on every condition.
///
/// Its first value is held inline and only the values after it in an array, so that a single-valued key (nearly every
/// key of a request) costs one allocation, not two.
final class ContextEntry: Sendable, Hashable {
  /// The key lower-cased and hashed, as contexts and indexes look it up. Held here rather than beside the entry, so
  /// that a context is an array of references, which is freed with a plain release per entry.
  let lookupKey: ContextKey
  /// The key as it was given.
  let key: String
  let values: ContextValues
  let isMultivalued: Bool

  init(lookupKey: ContextKey, key: String, values: ContextValues, isMultivalued: Bool) {
    self.lookupKey = lookupKey
    self.key = key
    self.values = values
    self.isMultivalued = isMultivalued
  }

  convenience init(key: String, values: [String], isMultivalued: Bool) {
    self.init(
      lookupKey: RequestContext.contextKey(key), key: key, values: ContextValues(values), isMultivalued: isMultivalued)
  }

  /// A single-valued entry.
  convenience init(key: String, value: String) {
    self.init(lookupKey: RequestContext.contextKey(key), key: key, values: ContextValues(value), isMultivalued: false)
  }

  /// The entry as the public API gives it.
  var entry: RequestContext.Entry { RequestContext.Entry(key: key, values: Array(values), isMultivalued: isMultivalued) }

  static func == (lhs: ContextEntry, rhs: ContextEntry) -> Bool {
    lhs === rhs || (lhs.key == rhs.key && lhs.values == rhs.values && lhs.isMultivalued == rhs.isMultivalued)
  }

  func hash(into hasher: inout Hasher) {
    hasher.combine(key)
    hasher.combine(values)
    hasher.combine(isMultivalued)
  }
}

/// The values of a context entry: the first inline, the others in an array that is empty (and allocates nothing)
/// for a single value.
struct ContextValues: RandomAccessCollection, Sendable, Hashable {
  private let head: String?
  /// The values after the first; `nil` (nothing to release) for one value or none.
  private let tail: [String]?

  init(_ value: String) {
    head = value
    tail = nil
  }

  init(_ values: [String]) {
    head = values.first
    tail = values.count > 1 ? Array(values.dropFirst()) : nil
  }

  var startIndex: Int { 0 }
  var endIndex: Int { head == nil ? 0 : 1 + (tail?.count ?? 0) }

  subscript(position: Int) -> String {
    position == 0 ? head! : tail![position - 1]
  }
}
