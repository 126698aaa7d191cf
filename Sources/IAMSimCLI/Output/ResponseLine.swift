import Foundation
import IAMEvaluation
import IAMPolicy

/// Writes the compact JSON line `eval --requests` writes for each response.
///
/// The bytes are those of `JSONOutput.response(_:for:)` rendered compact (pinned by `ResponseLineTests`), written
/// straight into bytes: building that tree first costs more than deciding the request. A writer builds a chunk's lines
/// in a buffer of its own (``take()`` hands them on at once), and keeps the bytes of each statement reference it wrote
/// (a stream shows the same few statements again and again), and which of the long strings it wrote need no escaping
/// (``PlainStrings``). One worker uses a writer at a time.
final class ResponseLine {
  /// The most statement references a writer keeps: past that, references are written anew each time.
  static let statementCapacity = 4_096

  private var base: UnsafeMutablePointer<UInt8>
  private var capacity = 1_024
  private var count = 0
  private var statements: [StatementKey: [UInt8]] = [:]
  private let plain = PlainStrings()

  init() {
    base = .allocate(capacity: capacity)
  }

  deinit {
    base.deallocate()
  }

  /// Texts of a request written as they are, without being looked at again: the action and resource as a scanned line
  /// spelled them (``RequestLineReader``: printable ASCII without `"` or `\`, which JSON output copies as it is), and
  /// the caller's ARN as a JSON string (quotes included), rendered once for a stream. Each must be the request's own.
  struct Spelled {
    var action: UnsafeBufferPointer<UInt8>?
    var resource: UnsafeBufferPointer<UInt8>?
    var principal: [UInt8]?
  }

  /// Appends the response to `request`, without a line feed.
  func write(_ response: Response, for request: AuthorizationRequest, spelled: Spelled = Spelled(), to bytes: inout [UInt8]) {
    let start = count
    write(response, for: request, spelled: spelled)
    bytes.append(contentsOf: UnsafeBufferPointer(start: base + start, count: count - start))
    count = start
  }

  /// The bytes written since the last call, as text (they are UTF-8), handed on; the writer starts again empty.
  func take() -> String {
    let text = String(unsafeUninitializedCapacity: count) { buffer in
      if count > 0 { UnsafeMutableRawPointer(buffer.baseAddress!).copyMemory(from: base, byteCount: count) }
      return count
    }
    count = 0
    return text
  }

  /// How many bytes were written since ``take()``.
  var written: Int { count }

  /// Appends bytes as they are.
  func append(_ bytes: [UInt8]) {
    put(bytes)
  }

  /// Appends a line feed.
  func newline() {
    byte(UInt8(ascii: "\n"))
  }

  /// Appends the response to `request`, without a line feed, to the writer's bytes.
  func write(_ response: Response, for request: AuthorizationRequest, spelled: Spelled = Spelled()) {
    raw("{\"action\":")
    if let action = spelled.action { quoted(action) } else { string(request.action) }
    raw(",\"resource\":")
    if let resource = spelled.resource { quoted(resource) } else { string(request.resource) }
    raw(",\"principal\":")
    if let principal = spelled.principal { put(principal) } else { string(request.principal.arn) }
    raw(",\"decision\":")
    raw(Self.json(response.decision))
    raw(",\"decidingLayer\":")
    layer(response.decidingLayer)
    raw(",\"rule\":")
    raw(Self.json(response.rule))
    raw(",\"reason\":")
    string(response.reason)
    raw(",\"determiningStatements\":[")
    statements(response.determiningStatements)
    raw("],\"layers\":[")
    for (offset, layer) in response.layers.enumerated() {
      raw(offset > 0 ? ",{\"layer\":" : "{\"layer\":")
      self.layer(layer.layer)
      raw(",\"verdict\":")
      raw(Self.json(layer.verdict))
      raw(",\"statements\":[")
      statements(layer.statements)
      raw("]}")
    }
    raw("],\"missingContextKeys\":[")
    for (offset, key) in response.missingContextKeys.enumerated() {
      if offset > 0 { byte(UInt8(ascii: ",")) }
      string(key)
    }
    raw("],\"diagnostics\":[")
    if !response.diagnostics.isEmpty {
      var rendered: [UInt8] = []
      for (offset, diagnostic) in response.diagnostics.enumerated() {
        if offset > 0 { rendered.append(UInt8(ascii: ",")) }
        JSONOutput.diagnostic(diagnostic).render(appendingTo: &rendered)
      }
      put(rendered)
    }
    raw("]}")
  }

  /// A statement reference as a key: equal only when every field is, the texts byte for byte (two texts that
  /// `String` calls equal may be spelled differently, and the line must show each one's own bytes).
  private struct StatementKey: Hashable {
    let reference: StatementReference

    static func == (lhs: StatementKey, rhs: StatementKey) -> Bool {
      let l = lhs.reference, r = rhs.reference
      return l.index == r.index && l.position == r.position && l.layer == r.layer && l.effect == r.effect
        && sameBytes(l.policy, r.policy) && sameBytes(l.sid, r.sid) && l.path == r.path
    }

    private static func sameBytes(_ lhs: String?, _ rhs: String?) -> Bool {
      switch (lhs, rhs) {
      case (nil, nil): true
      case (var l?, var r?):
        l.withUTF8 { l in r.withUTF8 { r in l.count == r.count && (l.count == 0 || memcmp(l.baseAddress!, r.baseAddress!, l.count) == 0) } }
      default: false
      }
    }

    func hash(into hasher: inout Hasher) {
      hasher.combine(reference.index)
      hasher.combine(reference.position.line)
      hasher.combine(reference.position.column)
    }
  }

  private func statements(_ references: [StatementReference]) {
    for (offset, reference) in references.enumerated() {
      if offset > 0 { byte(UInt8(ascii: ",")) }
      let key = StatementKey(reference: reference)
      if let known = statements[key] {
        put(known)
        continue
      }
      let start = count
      statement(reference)
      if statements.count < Self.statementCapacity {
        statements[key] = Array(UnsafeBufferPointer(start: base + start, count: count - start))
      }
    }
  }

  private func statement(_ reference: StatementReference) {
    raw("{\"policy\":")
    string(reference.policy)
    raw(",\"layer\":")
    layer(reference.layer)
    raw(",\"sid\":")
    if let sid = reference.sid { string(sid) } else { raw("null") }
    raw(",\"index\":")
    int(reference.index)
    raw(",\"effect\":")
    identifier(reference.effect.rawValue)
    raw(",\"path\":")
    string(reference.path.description)
    raw(",\"line\":")
    int(reference.position.line)
    raw(",\"column\":")
    int(reference.position.column)
    byte(UInt8(ascii: "}"))
  }

  /// A layer's name (`Layer.name`) in quotes, without building it.
  private func layer(_ layer: Layer) {
    switch layer {
    case .serviceControl(let level):
      raw("\"scp[")
      int(level)
      raw("]\"")
    case .resourceControl(let level):
      raw("\"rcp[")
      int(level)
      raw("]\"")
    default:
      // Every other layer has a fixed name.
      raw(Self.json(fixedName: layer)!)
    }
  }

  // The names iamsim spells in its code, in quotes, as static text: written without making a string and scanning
  // it. Each is the value's raw value or name (pinned for every value by `RequestStreamCacheTests`).

  static func json(_ decision: Decision) -> StaticString {
    switch decision {
    case .allowed: "\"allowed\""
    case .explicitDeny: "\"explicitDeny\""
    case .implicitDeny: "\"implicitDeny\""
    }
  }

  static func json(_ verdict: LayerResult.Verdict) -> StaticString {
    switch verdict {
    case .deny: "\"deny\""
    case .allow: "\"allow\""
    case .noMatch: "\"noMatch\""
    }
  }

  static func json(_ rule: DecisionRule) -> StaticString {
    switch rule {
    case .noPermissionRequired: "\"noPermissionRequired\""
    case .explicitDeny: "\"explicitDeny\""
    case .serviceControlLevelWithoutAllow: "\"serviceControlLevelWithoutAllow\""
    case .crossAccountWithoutResourceAllow: "\"crossAccountWithoutResourceAllow\""
    case .resourcePolicyMissing: "\"resourcePolicyMissing\""
    case .resourcePolicyMustAllow: "\"resourcePolicyMustAllow\""
    case .resourceGrantsDirectly: "\"resourceGrantsDirectly\""
    case .resourceGrantsToRole: "\"resourceGrantsToRole\""
    case .identityWithoutAllow: "\"identityWithoutAllow\""
    case .boundaryWithoutAllow: "\"boundaryWithoutAllow\""
    case .sessionWithoutAllow: "\"sessionWithoutAllow\""
    case .federatedWithoutSessionPolicy: "\"federatedWithoutSessionPolicy\""
    case .rootUser: "\"rootUser\""
    case .identityAllows: "\"identityAllows\""
    case .vpcEndpointWithoutAllow: "\"vpcEndpointWithoutAllow\""
    case .anonymousWithoutPublicAllow: "\"anonymousWithoutPublicAllow\""
    case .resourceGrantsAnonymous: "\"resourceGrantsAnonymous\""
    }
  }

  /// A layer's name, for the layers without a level.
  static func json(fixedName layer: Layer) -> StaticString? {
    switch layer {
    case .serviceControl, .resourceControl: nil
    case .resource: "\"resource\""
    case .vpcEndpoint: "\"vpc-endpoint\""
    case .identity: "\"identity\""
    case .permissionsBoundary: "\"boundary\""
    case .session: "\"session\""
    }
  }

  /// Appends a name iamsim spells in its code (the raw value of one of its enumerations, such as `Decision`, or a
  /// layer's name), in ASCII letters and digits that never need escaping, in quotes.
  private func identifier(_ text: String) {
    text.withUTF8InPlace { quoted($0) }
  }

  /// Appends text in quotes as it is.
  @inline(__always)
  private func quoted(_ utf8: UnsafeBufferPointer<UInt8>) {
    reserve(utf8.count + 2)
    base[count] = UInt8(ascii: "\"")
    if let source = utf8.baseAddress { (base + count + 1).initialize(from: source, count: utf8.count) }
    base[count + 1 + utf8.count] = UInt8(ascii: "\"")
    count += utf8.count + 2
  }

  /// Appends a string in quotes, as `JSONOutput.appendString` writes it: ASCII text without a byte that JSON output
  /// escapes (control characters, `"`, `\\`, U+007F) is copied whole, after one scan of eight bytes at a time (or
  /// none, for a long string met before: ``PlainStrings``); other text (including any text that is not ASCII) goes to
  /// `JSONOutput.appendString`.
  private func string(_ text: String) {
    let copied = text.utf8.withContiguousStorageIfAvailable { utf8 -> Bool in
      guard plain.isPlain(text, utf8) else { return false }
      quoted(utf8)
      return true
    }
    if copied == true { return }
    if copied == nil {
      var text = text
      if text.withUTF8({ utf8 -> Bool in
        guard Self.isPlain(utf8) else { return false }
        quoted(utf8)
        return true
      }) { return }
    }
    var escaped: [UInt8] = []
    JSONOutput.appendString(text, to: &escaped)
    put(escaped)
  }

  /// Whether every byte is ASCII that JSON output copies as it is.
  static func isPlain(_ utf8: UnsafeBufferPointer<UInt8>) -> Bool {
    guard let base = utf8.baseAddress else { return true }
    let raw = UnsafeRawPointer(base)
    let count = utf8.count
    guard count >= 8 else {
      // Padded with `A`s, which are plain.
      var word: UInt64 = 0x4141_4141_4141_4141
      withUnsafeMutableBytes(of: &word) { $0.baseAddress!.copyMemory(from: raw, byteCount: count) }
      return escapeBits(word) == 0
    }
    var bits: UInt64 = 0
    var offset = 0
    while offset + 16 <= count {
      bits |= escapeBits(raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
        | escapeBits(raw.loadUnaligned(fromByteOffset: offset + 8, as: UInt64.self))
      offset += 16
    }
    if offset + 8 <= count {
      bits |= escapeBits(raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }
    // The last eight bytes, some of them seen already.
    bits |= escapeBits(raw.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self))
    return bits == 0
  }

  /// Not zero when one of eight bytes is below 0x20, `"`, `\\`, or 0x7F and above (may report more, never less):
  /// a byte's high bit is set when the byte is one of those, and only bytes above such a byte may be set wrongly.
  @inline(__always)
  static func escapeBits(_ word: UInt64) -> UInt64 {
    let ones: UInt64 = 0x0101_0101_0101_0101
    let highs: UInt64 = 0x8080_8080_8080_8080
    let quote = word ^ (ones &* 0x22)
    let backslash = word ^ (ones &* 0x5C)
    let below0x20 = (word &- ones &* 0x20) & ~word
    let from0x7F = word | (word &+ ones)
    return (below0x20 | from0x7F | ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash)) & highs
  }

  /// Makes room for `extra` more bytes.
  @inline(__always)
  private func reserve(_ extra: Int) {
    if count + extra > capacity { grow(to: count + extra) }
  }

  private func grow(to needed: Int) {
    let larger = max(needed, capacity * 2)
    let moved = UnsafeMutablePointer<UInt8>.allocate(capacity: larger)
    moved.initialize(from: base, count: count)
    base.deallocate()
    base = moved
    capacity = larger
  }

  @inline(__always)
  private func byte(_ value: UInt8) {
    reserve(1)
    base[count] = value
    count += 1
  }

  private func put(_ bytes: [UInt8]) {
    bytes.withUnsafeBufferPointer { source in
      guard let start = source.baseAddress else { return }
      reserve(source.count)
      (base + count).initialize(from: start, count: source.count)
      count += source.count
    }
  }

  /// Appends ASCII text.
  @inline(__always)
  private func raw(_ text: StaticString) {
    reserve(text.utf8CodeUnitCount)
    (base + count).initialize(from: text.utf8Start, count: text.utf8CodeUnitCount)
    count += text.utf8CodeUnitCount
  }

  /// Appends an integer's decimal digits, as `String(value)` spells them.
  private func int(_ value: Int) {
    guard value >= 0 else { return put(Array(String(value).utf8)) }
    if value >= 10 { int(value / 10) }
    byte(UInt8(ascii: "0") + UInt8(truncatingIfNeeded: value % 10))
  }
}

/// Which long strings a writer met need no escaping, by the address of their UTF-8 bytes: a stream writes the same
/// action, resource, principal and reason strings again and again, and scanning them each time costs more than
/// deciding nothing.
///
/// A string is known by the address and length of its bytes, and the memo keeps the string itself, so that its bytes
/// stay where they are and no other string's can be there while it is kept: the same address and length are then
/// the same bytes. Only strings longer than 15 bytes are kept: shorter ones may be held inside the `String` value,
/// whose bytes have no lasting address; and only strings of at most ``longest`` bytes, so that the strings kept
/// alive stay small whatever the lines hold. The memo has ``size`` places, by address; a string replaces the one in
/// its place.
final class PlainStrings {
  private struct Known {
    var address: UnsafeRawPointer?
    var count = 0
    var string = ""
    var plain = false
  }

  static let size = 1_024
  static let longest = 1_024
  private let known: UnsafeMutablePointer<Known>

  init() {
    known = .allocate(capacity: Self.size)
    known.initialize(repeating: Known(), count: Self.size)
  }

  deinit {
    known.deinitialize(count: Self.size)
    known.deallocate()
  }

  /// Whether `utf8`, the contiguous bytes of `text`, are all ASCII that JSON output copies as it is.
  @inline(__always)
  func isPlain(_ text: String, _ utf8: UnsafeBufferPointer<UInt8>) -> Bool {
    guard utf8.count > 15, utf8.count <= Self.longest, let address = utf8.baseAddress else {
      return ResponseLine.isPlain(utf8)
    }
    let bits = UInt(bitPattern: address)
    let place = known + Int((bits >> 4) ^ (bits >> 14)) & (Self.size - 1)
    if place.pointee.address == UnsafeRawPointer(address) && place.pointee.count == utf8.count { return place.pointee.plain }
    let plain = ResponseLine.isPlain(utf8)
    place.pointee = Known(address: UnsafeRawPointer(address), count: utf8.count, string: text, plain: plain)
    return plain
  }
}
