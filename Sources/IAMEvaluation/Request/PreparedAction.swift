import IAMPolicy
import Synchronization

/// An action read once for evaluation: split at its first `:`, lower-cased, its service hashed.
///
/// A stream of requests names the same actions again and again: preparing each distinct action once and passing
/// it to ``PreparedRequest/init(_:caller:action:)`` spares every request the splitting, lower-casing and hashing.
/// Sharing one between threads is safe: nothing in it changes after it is made (its name's bytes are written once,
/// in its initialiser, and freed when it is).
public final class PreparedAction: @unchecked Sendable {
  /// The action as given.
  public let action: String
  /// The lower-cased service prefix.
  let service: String
  /// The lower-cased service prefix with its hash computed once.
  let serviceKey: HashedKey
  /// The lower-cased action name, as UTF-8, in memory this action owns: read in place by evaluations of requests
  /// that hold the action (a closure that lends an array's bytes made the evaluation it returned a copy).
  let lowercasedName: UnsafeBufferPointer<UInt8>
  /// Whether the action is one AWS answers without any permission (`sts:GetCallerIdentity`).
  let needsNoPermission: Bool
  /// Whether the action is KMS's, whose keys' own policies must allow (rule E-3 4).
  let isKMS: Bool
  /// Whether the action assumes a role (`sts:AssumeRole…`), whose trust policy must allow (rule E-3 4).
  let assumesRole: Bool
  /// Whether the action is IAM's (a response notes calls on Identity Center's protected roles).
  let isIAM: Bool

  /// Prepares an action.
  public init(_ action: String) {
    self.action = action
    let name: [UInt8]
    (service, name) = PreparedAction.split(action)
    let bytes = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(name.count, 1))
    _ = bytes.initialize(from: name)
    lowercasedName = UnsafeBufferPointer(rebasing: bytes[..<name.count])
    serviceKey = HashedKey(service)
    needsNoPermission = service == "sts" && lowercasedName.elementsEqual("getcalleridentity".utf8)
    isKMS = service == "kms"
    isIAM = service == "iam"
    assumesRole = service == "sts" && String(decoding: lowercasedName, as: UTF8.self).hasPrefix("assumerole")
  }

  deinit {
    // The base of the memory allocated in the initialiser (a name with no bytes still has one).
    lowercasedName.baseAddress.map { UnsafeMutableRawPointer(mutating: $0).deallocate() }
  }

  /// The action prepared, shared with every request of this process that names the same ASCII action: a fresh
  /// request (``PreparedRequest/init(_:)``) splits, lower-cases and hashes nothing that an earlier one named.
  ///
  /// Only ASCII actions are shared: two ASCII strings are equal exactly when their bytes are (other text compares
  /// by canonical equivalence, and `K` equals the Kelvin sign), so a shared action is always the request's own bytes.
  /// At most ``SharedActions/capacity`` actions are kept; past that, actions are prepared anew.
  static func shared(_ action: String) -> PreparedAction { sharedActions.action(action) }

  /// The actions ``shared(_:)`` keeps.
  static let sharedActions = SharedActions(capacity: 16_384)

  /// The lower-cased service prefix and action name: the text before and after the first `:`.
  static func split(_ action: String) -> (service: String, name: [UInt8]) {
    var action = action
    // ASCII text byte by byte; other text keeps the Character-based split and Unicode lower-casing.
    let ascii = action.withUTF8 { bytes -> (String, [UInt8])? in
      guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
      guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")) else { return ("", bytes.map(asciiLowercase)) }
      let service = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: colon) { buffer in
        for offset in 0..<colon { buffer[offset] = asciiLowercase(bytes[offset]) }
        return String(decoding: buffer, as: UTF8.self)
      }
      return (service, bytes[(colon + 1)...].map(asciiLowercase))
    }
    if let ascii { return ascii }
    let parts = action.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
    return parts.count == 2
      ? (parts[0].lowercased(), Array(parts[1].lowercased().utf8)) : ("", Array(action.lowercased().utf8))
  }
}

/// Actions prepared once and shared between threads (``PreparedAction/shared(_:)``), found by their fold
/// (``ASCIIFold``) with open addressing: cheaper to look up than a `Dictionary` of `String`, which hashes with SipHash
/// and compares by canonical equivalence.
///
/// A lookup reads the last published table without taking the lock: in a profile of `iamsim bench --scenario
/// authorize`, about half the samples of finding an action fell on the lock's two atomic instructions. An action not
/// published yet is looked up, or added, under the lock. A table is published after each of the first 64 actions
/// and then each time their number doubles, so that copying the slots costs O(1) per action; every table published
/// is kept until the shared actions are freed.
final class SharedActions: Sendable {
  /// The most actions kept; past that, actions are prepared anew.
  let capacity: Int
  private let state = Mutex(State())
  /// The address of the table last published, or 0 before the first.
  private let published = Atomic<Int>(0)

  init(capacity: Int) { self.capacity = capacity }

  /// How many actions are kept.
  var count: Int { state.withLock { $0.count } }

  /// `action` prepared: the kept one when the text is ASCII and was prepared before, otherwise prepared now (and
  /// kept when ASCII and there is room).
  func action(_ action: String) -> PreparedAction {
    // Actions that differ only in case share a fold, and are told apart by their text.
    let fold = ASCIIFold(action)
    guard fold.isASCII else { return PreparedAction(action) }
    let hash = fold.hash
    let address = published.load(ordering: .acquiring)
    if address != 0,
      let known = Unmanaged<Table>.fromOpaque(UnsafeRawPointer(bitPattern: address)!)
        ._withUnsafeGuaranteedRef({ Table.find(action, hash: hash, in: $0.slots) })
    {
      return known
    }
    return state.withLock { state in
      if let known = Table.find(action, hash: hash, in: state.slots) { return known }
      let prepared = PreparedAction(action)
      if let table = state.insert(prepared, hash: hash, capacity: capacity) {
        published.store(Int(bitPattern: Unmanaged.passUnretained(table).toOpaque()), ordering: .releasing)
      }
      return prepared
    }
  }

  private typealias Slots = [(hash: Int, action: PreparedAction)?]

  /// A table as it was when published, never changed afterwards.
  private final class Table: Sendable {
    let slots: Slots

    init(_ slots: Slots) { self.slots = slots }

    static func find(_ action: String, hash: Int, in slots: Slots) -> PreparedAction? {
      let mask = slots.count - 1
      var index = hash & mask
      while let slot = slots[index] {
        if slot.hash == hash && slot.action.action == action { return slot.action }
        index = (index + 1) & mask
      }
      return nil
    }
  }

  /// Every action kept, changed under the lock.
  private struct State: ~Copyable {
    /// A power of two, at least twice `count`: it doubles as actions are added.
    var slots = Slots(repeating: nil, count: 64)
    var count = 0
    /// Every table published, kept so that a lookup that read one of them never reads freed memory.
    var published: [Table] = []

    /// Adds an action that is not kept yet; returns the table to publish, if it is time to publish one.
    mutating func insert(_ prepared: PreparedAction, hash: Int, capacity: Int) -> Table? {
      guard count < capacity else { return nil }
      if 2 * (count + 1) > slots.count {
        let old = slots
        slots = Slots(repeating: nil, count: 2 * old.count)
        for case let slot? in old { place(slot) }
      }
      place((hash, prepared))
      count += 1
      guard count <= 64 || count & (count - 1) == 0 else { return nil }
      let table = Table(slots)
      published.append(table)
      return table
    }

    private mutating func place(_ slot: (hash: Int, action: PreparedAction)) {
      let mask = slots.count - 1
      var index = slot.hash & mask
      while slots[index] != nil { index = (index + 1) & mask }
      slots[index] = slot
    }
  }
}
