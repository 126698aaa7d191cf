import Foundation

/// A bounded table from byte strings to values, for the texts a stream of lines meets again and again (actions,
/// resources, context objects): looking bytes up here costs less than making a `String` of them, and hands out the
/// same value each time.
///
/// Keys are compared byte for byte. The table holds at most `capacity` keys and `byteCapacity` key bytes; past that,
/// nothing more is added, so that a stream of ever new texts cannot grow it. A key is looked for in at most
/// ``maximumProbes`` slots: bytes that collide with many keys (crafted, say) are simply not kept, so that no lookup
/// costs more than that many comparisons.
struct ByteTable<Value> {
  private struct Entry {
    let hash: UInt64
    let start: Int
    let count: Int
    let value: Value
  }

  static var maximumProbes: Int { 8 }

  private let capacity: Int
  private let byteCapacity: Int
  /// Twice as many slots as keys at most, a power of two; each is an index in `entries` plus one, or 0 when empty.
  private var slots: [Int32]
  private var entries: [Entry] = []
  private var bytes: [UInt8] = []

  init(capacity: Int, byteCapacity: Int) {
    self.capacity = capacity
    self.byteCapacity = byteCapacity
    var slotCount = 16
    while slotCount < 2 * capacity { slotCount *= 2 }
    slots = Array(repeating: 0, count: slotCount)
  }

  /// The number of keys held.
  var count: Int { entries.count }

  /// The value kept for `key`, or `nil` when there is none.
  @inline(__always)
  func value(_ key: UnsafeBufferPointer<UInt8>, hash: UInt64) -> Value? {
    let mask = slots.count - 1
    var slot = Int(truncatingIfNeeded: hash) & mask
    for _ in 0..<Self.maximumProbes {
      let index = Int(slots[slot])
      if index == 0 { return nil }
      let entry = entries[index - 1]
      if entry.hash == hash && entry.count == key.count && same(entry.start, key) { return entry.value }
      slot = (slot + 1) & mask
    }
    return nil
  }

  /// Keeps `value` for `key`, which the table must not have, when there is room for it.
  mutating func insert(_ key: UnsafeBufferPointer<UInt8>, hash: UInt64, _ value: Value) {
    guard entries.count < capacity, bytes.count + key.count <= byteCapacity else { return }
    let mask = slots.count - 1
    var slot = Int(truncatingIfNeeded: hash) & mask
    for _ in 0..<Self.maximumProbes {
      if slots[slot] == 0 {
        entries.append(Entry(hash: hash, start: bytes.count, count: key.count, value: value))
        bytes.append(contentsOf: key)
        slots[slot] = Int32(entries.count)
        return
      }
      slot = (slot + 1) & mask
    }
  }

  private func same(_ start: Int, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
    guard let keyBase = key.baseAddress else { return true }
    return bytes.withUnsafeBufferPointer { memcmp($0.baseAddress! + start, keyBase, key.count) == 0 }
  }

  /// A hash of bytes, eight at a time: quick, not meant to resist crafted collisions (``maximumProbes`` bounds what
  /// those cost).
  @inline(__always)
  static func hash(_ key: UnsafeBufferPointer<UInt8>) -> UInt64 {
    let multiplier: UInt64 = 0x9E37_79B9_7F4A_7C15
    var hash = 0x243F_6A88_85A3_08D3 ^ UInt64(key.count)
    guard let base = key.baseAddress else { return hash }
    let raw = UnsafeRawPointer(base)
    var offset = 0
    while offset + 8 <= key.count {
      hash = (hash ^ raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) &* multiplier
      hash ^= hash >> 29
      offset += 8
    }
    if offset < key.count {
      var word: UInt64 = 0
      withUnsafeMutableBytes(of: &word) { $0.baseAddress!.copyMemory(from: raw + offset, byteCount: key.count - offset) }
      hash = (hash ^ word) &* multiplier
      hash ^= hash >> 29
    }
    return hash ^ (hash >> 32)
  }
}
