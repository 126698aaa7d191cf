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

  /// The entries, each held once by reference: an index of the context (``ContextIndex``) hands out the same
  /// objects instead of copying them. A context of up to ``smallLimit`` keys (a request's, usually two to ten)
  /// keeps them in one array searched by hash, in the order first set; a larger one moves them into a dictionary.
  /// An array costs one allocation and a plain release per entry, where a dictionary cost a table and the
  /// runtime's generic destroy of every key and value, a large part of preparing a fresh request.
  ///
  /// One reference either way, so that copying a context (a request is copied and prepared) retains one object.
  private var storage = Storage.small([])

  private enum Storage: Sendable {
    /// Up to ``smallLimit`` entries, in the order first set.
    case small([ContextEntry])
    /// The entries by lower-cased key, once there are more than ``smallLimit``.
    case large([ContextKey: ContextEntry])
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

  /// The entry for a key whose hash was computed once, as held.
  @inline(__always)
  func stored(_ key: ContextKey) -> ContextEntry? {
    switch storage {
    case .small(let entries):
      for entry in entries where entry.lookupKey.hash == key.hash && entry.lookupKey.text == key.text { return entry }
      return nil
    case .large(let table): return table[key]
    }
  }

  /// Sets `entry` under its key, replacing any entry the key had.
  private mutating func store(_ entry: ContextEntry) {
    let key = entry.lookupKey
    switch storage {
    case .small(var entries):
      // Let go of the stored reference first, so that the array is changed in place.
      storage = .small([])
      if let index = entries.firstIndex(where: { $0.lookupKey.hash == key.hash && $0.lookupKey.text == key.text }) {
        entries[index] = entry
        storage = .small(entries)
      } else if entries.count < RequestContext.smallLimit {
        // A request's context usually has several keys: room for a few at the first spares regrowing at the second.
        if entries.isEmpty { entries.reserveCapacity(4) }
        entries.append(entry)
        storage = .small(entries)
      } else {
        var table = RequestContext.table(entries, capacity: entries.count + 1)
        table[key] = entry
        storage = .large(table)
      }
    case .large(var table):
      storage = .small([])
      table[key] = entry
      storage = .large(table)
    }
  }

  private static func table(_ entries: [ContextEntry], capacity: Int) -> [ContextKey: ContextEntry] {
    var table = [ContextKey: ContextEntry](minimumCapacity: capacity)
    for entry in entries { table[entry.lookupKey] = entry }
    return table
  }

  /// Sets a single-valued key, replacing any value it had under any capitalisation.
  public mutating func set(_ key: String, _ value: String) {
    store(ContextEntry(key: key, value: value))
  }

  /// The number of keys.
  public var count: Int {
    switch storage {
    case .small(let entries): entries.count
    case .large(let table): table.count
    }
  }

  /// Whether the context has no key.
  public var isEmpty: Bool { count == 0 }

  /// Calls `body` with every key and its entry, in no particular order.
  func forEachEntry(_ body: (ContextKey, ContextEntry) -> Void) {
    switch storage {
    case .small(let entries): for entry in entries { body(entry.lookupKey, entry) }
    case .large(let table): for (key, entry) in table { body(key, entry) }
    }
  }

  /// Makes room for `count` more keys.
  mutating func reserveCapacity(adding count: Int) {
    let total = self.count + count
    switch storage {
    case .small(var entries):
      storage = .small([])
      if total <= RequestContext.smallLimit {
        entries.reserveCapacity(total)
        storage = .small(entries)
      } else {
        storage = .large(RequestContext.table(entries, capacity: total))
      }
    case .large(var table):
      storage = .small([])
      table.reserveCapacity(total)
      storage = .large(table)
    }
  }

  /// Sets a single-valued key given with its lower-cased form, unless the context has it already.
  mutating func setIfAbsent(_ key: String, lowercased: String, _ value: String) {
    let lowercased = ContextKey(lowercased)
    guard stored(lowercased) == nil else { return }
    store(ContextEntry(lookupKey: lowercased, key: key, values: ContextValues(value), isMultivalued: false))
  }

  /// Sets an entry held once (a derived key's) under its hashed lower-cased key, unless the context has the key.
  mutating func setIfAbsent(_ entry: ContextEntry) {
    if stored(entry.lookupKey) == nil { store(entry) }
  }

  /// Sets a multivalued key.
  public mutating func set(_ key: String, values: [String]) {
    store(ContextEntry(key: key, values: values, isMultivalued: true))
  }

  /// Sets an entry as given.
  public mutating func set(_ entry: Entry) {
    store(ContextEntry(key: entry.key, values: entry.values, isMultivalued: entry.isMultivalued))
  }

  /// Removes a key.
  public mutating func remove(_ key: String) {
    let key = RequestContext.contextKey(key)
    switch storage {
    case .small(var entries):
      storage = .small([])
      entries.removeAll { $0.lookupKey.hash == key.hash && $0.lookupKey.text == key.text }
      storage = .small(entries)
    case .large(var table):
      storage = .small([])
      table[key] = nil
      storage = .large(table)
    }
  }

  /// The same keys and values in entries and string buffers of their own (see ``PreparedCaller/unsharedCopy()``).
  func unsharedCopy() -> RequestContext {
    var copy = RequestContext()
    copy.reserveCapacity(adding: count)
    forEachEntry { key, entry in
      copy.store(
        ContextEntry(
          lookupKey: ContextKey(key.text.unshared), key: entry.key.unshared,
          values: ContextValues(entry.values.map(\.unshared)), isMultivalued: entry.isMultivalued))
    }
    return copy
  }

  /// This context with the entries of `other` laid over it.
  public func merging(_ other: RequestContext) -> RequestContext {
    if other.isEmpty { return self }
    if isEmpty { return other }
    var result = self
    result.reserveCapacity(adding: other.count)
    other.forEachEntry { _, entry in result.store(entry) }
    return result
  }

  /// The value of a single-valued key whose hash was computed once, as policy variables read it.
  func singleValue(_ key: ContextKey) -> String? {
    guard let entry = stored(key), !entry.isMultivalued, let value = entry.values.first else { return nil }
    return value
  }

  /// The value of a single-valued key, as policy variables read it; `nil` when missing or multivalued (rule V-1).
  public func singleValue(lowercased key: String) -> String? {
    singleValue(ContextKey(key))
  }

  /// Every entry, sorted by key.
  public var sortedEntries: [Entry] {
    var entries: [Entry] = []
    entries.reserveCapacity(count)
    forEachEntry { _, entry in entries.append(entry.entry) }
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

  /// A given key lower-cased and hashed: a key AWS defines (``KnownContextKeys``) comes from a table made once, so
  /// that the keys requests usually carry are neither lower-cased nor hashed again; another is lower-cased and
  /// hashed here.
  static func contextKey(_ key: String) -> ContextKey {
    // The key's bytes read where they are (a copy of the string to call `withUTF8` on cost a retain and a release).
    let known = key.utf8.withContiguousStorageIfAvailable { KnownContextKeys.lookup($0) } ?? {
      var key = key
      return key.withUTF8 { KnownContextKeys.lookup($0) }
    }()
    return known ?? ContextKey(lowercasedKey(key))
  }

  /// A key lower-cased as `String.lowercased()` does: ASCII text byte by byte, returned as it is when it has no
  /// capital letter (no new string); other text through `lowercased()`.
  static func lowercasedKey(_ key: String) -> String {
    var key = key
    let lowered = key.withUTF8 { bytes -> String?? in
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
    let high: UInt64 = 0x8080_8080_8080_8080
    guard word & high == 0 else { return nil }
    // A byte is a capital letter when adding 0x3F carries it to 0x80 or more (>= "A") and adding 0x25 does not
    // (<= "Z"); no byte carries into the next, all being below 0x80.
    let upper = (word &+ 0x3F3F_3F3F_3F3F_3F3F) & ~(word &+ 0x2525_2525_2525_2525) & high
    return word | (upper >> 2)
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
  private let tail: [String]

  init(_ value: String) {
    head = value
    tail = []
  }

  init(_ values: [String]) {
    head = values.first
    tail = values.count > 1 ? Array(values.dropFirst()) : []
  }

  var startIndex: Int { 0 }
  var endIndex: Int { head == nil ? 0 : 1 + tail.count }

  subscript(position: Int) -> String {
    position == 0 ? head! : tail[position - 1]
  }
}
