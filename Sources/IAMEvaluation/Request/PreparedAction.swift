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
  /// At most ``sharedCapacity`` actions are kept; past that, actions are prepared anew.
  ///
  /// A lookup reads the last published table without taking the lock (two atomic operations per request, a fifth
  /// of the time spent finding the action); an action not published yet is looked up, or added, under the lock.
  static func shared(_ action: String) -> PreparedAction {
    // The fold hashes eight bytes at a time; actions that differ only in case share a hash and are told apart by
    // their text.
    let fold = ASCIIFold(action)
    guard fold.isASCII else { return PreparedAction(action) }
    let hash = fold.hash
    let published = publishedActions.load(ordering: .acquiring)
    if published != 0,
      let known = Unmanaged<ActionTable>.fromOpaque(UnsafeRawPointer(bitPattern: published)!)
        ._withUnsafeGuaranteedRef({ ActionTable.find(action, hash: hash, in: $0.slots) })
    {
      return known
    }
    return sharedActions.withLock { actions in
      if let known = actions.find(action, hash: hash) { return known }
      let prepared = PreparedAction(action)
      actions.insert(prepared, hash: hash)
      return prepared
    }
  }

  /// How many actions ``shared(_:)`` keeps.
  static let sharedCapacity = 16_384
  /// How many actions ``shared(_:)`` keeps now.
  static var sharedCount: Int { sharedActions.withLock { $0.count } }
  private static let sharedActions = Mutex(SharedActions())
  /// The address of the table last published by ``SharedActions/insert(_:hash:)`` (which keeps every table it
  /// publishes alive for the life of the process), or 0 before the first.
  private static let publishedActions = Atomic<Int>(0)

  /// A table of shared actions as it was when published, never changed afterwards.
  private final class ActionTable: Sendable {
    let slots: [(hash: Int, action: PreparedAction)?]

    init(_ slots: [(hash: Int, action: PreparedAction)?]) { self.slots = slots }

    /// The action in `slots`: open addressing on the action's fold (``ASCIIFold``), cheaper to look up than a
    /// `Dictionary` of `String` (which hashes with SipHash and compares by canonical equivalence).
    static func find(_ action: String, hash: Int, in slots: [(hash: Int, action: PreparedAction)?]) -> PreparedAction? {
      let mask = slots.count - 1
      var index = hash & mask
      while let slot = slots[index] {
        if slot.hash == hash && slot.action.action == action { return slot.action }
        index = (index + 1) & mask
      }
      return nil
    }
  }

  /// Every shared action, changed under the lock. A table is published after each of the first 64 actions and then
  /// each time their number doubles, so that copying the slots costs O(1) per action; an action added since the
  /// last is found here.
  private struct SharedActions: ~Copyable {
    /// A power of two, at least twice `count`: it doubles as actions are added.
    private var slots = [(hash: Int, action: PreparedAction)?](repeating: nil, count: 64)
    private(set) var count = 0
    /// Every table published, kept so that a lookup that read one of them never reads freed memory.
    private var published: [ActionTable] = []

    func find(_ action: String, hash: Int) -> PreparedAction? { ActionTable.find(action, hash: hash, in: slots) }

    mutating func insert(_ prepared: PreparedAction, hash: Int) {
      guard count < PreparedAction.sharedCapacity else { return }
      if 2 * (count + 1) > slots.count {
        let old = slots
        slots = [(hash: Int, action: PreparedAction)?](repeating: nil, count: 2 * old.count)
        for case let slot? in old { place(slot) }
      }
      place((hash, prepared))
      count += 1
      if count <= 64 || count & (count - 1) == 0 {
        let table = ActionTable(slots)
        published.append(table)
        PreparedAction.publishedActions.store(
          Int(bitPattern: Unmanaged.passUnretained(table).toOpaque()), ordering: .releasing)
      }
    }

    private mutating func place(_ slot: (hash: Int, action: PreparedAction)) {
      let mask = slots.count - 1
      var index = slot.hash & mask
      while slots[index] != nil { index = (index + 1) & mask }
      slots[index] = slot
    }
  }

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
