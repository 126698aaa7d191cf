import Foundation
import IAMEvaluation

/// Reads the usual shape of an `eval --requests` line without building a JSON tree: one object whose members are
/// `action`, `resource` and `resourceAccount` strings and a `context` object of strings, booleans and arrays of
/// them, all of it printable ASCII without escapes.
///
/// It answers only when it is sure: anything else (an escape, non-ASCII text, a number, a duplicate or unknown
/// member, a syntax error) returns `nil`, and the line is read by the general JSON reader, which takes every
/// valid line and reports every invalid one with its position. Where this reader answers, it answers as that
/// reader would (pinned by `RequestLineReaderTests`).
///
/// Reading is in two steps: ``scan(_:)`` checks the line's shape and finds where its members are, making no string;
/// ``RequestTexts`` then makes the strings and context, from what it kept of earlier lines when it can.
struct RequestLineReader {
  /// A line's members: what it sets of the request.
  struct Line: Equatable {
    var action: String
    var resource: String?
    var resourceAccount: String?
    var context = RequestContext()

    /// `template` with what the line sets: the line's context replaces the template's.
    func applied(to template: AuthorizationRequest) -> AuthorizationRequest {
      var request = template
      request.action = action
      if let resource { request.resource = resource }
      if let resourceAccount { request.resourceAccount = resourceAccount }
      request.context = context
      return request
    }
  }

  /// Where a line's members are in its bytes: the strings without their quotes, the context object with its braces.
  struct Fields {
    var action: Range<Int>
    var resource: Range<Int>?
    var resourceAccount: Range<Int>?
    var context: Range<Int>?
  }

  private let bytes: UnsafeBufferPointer<UInt8>
  private var offset = 0

  private init(_ bytes: UnsafeBufferPointer<UInt8>) {
    self.bytes = bytes
  }

  /// The line's members, or `nil` when the general reader must read it.
  static func read(_ line: UnsafeBufferPointer<UInt8>) -> Line? {
    guard let fields = scan(line) else { return nil }
    var context = RequestContext()
    if let range = fields.context {
      guard let read = self.context(UnsafeBufferPointer(rebasing: line[range])) else { return nil }
      context = read
    }
    func text(_ range: Range<Int>) -> String { String(decoding: UnsafeBufferPointer(rebasing: line[range]), as: UTF8.self) }
    return Line(
      action: text(fields.action), resource: fields.resource.map(text), resourceAccount: fields.resourceAccount.map(text),
      context: context)
  }

  /// Where the line's members are, or `nil` when the general reader must read it. A context object found here may
  /// still need that reader (``context(_:)`` says).
  static func scan(_ line: UnsafeBufferPointer<UInt8>) -> Fields? {
    var reader = RequestLineReader(line)
    return reader.fields()
  }

  /// The context of a `context` object that ``scan(_:)`` found, or `nil` when the general reader must read it (two
  /// keys equal regardless of case).
  static func context(_ object: UnsafeBufferPointer<UInt8>) -> RequestContext? {
    var reader = RequestLineReader(object)
    return reader.contextObject()
  }

  private mutating func fields() -> Fields? {
    guard take(UInt8(ascii: "{")) else { return nil }
    var action: Range<Int>?
    var resource: Range<Int>?
    var resourceAccount: Range<Int>?
    var context: Range<Int>?
    var first = true
    while !take(UInt8(ascii: "}")) {
      guard first || take(UInt8(ascii: ",")) else { return nil }
      first = false
      skipSpace()
      // A known member's name and its colon, written without space, are compared whole; else the name is read.
      var key = knownMember()
      if key == nil {
        guard let name = string(), take(UInt8(ascii: ":")) else { return nil }
        key = name
      }
      switch key!.count {
      case 6 where same(key!, "action") && action == nil:
        guard let value = string() else { return nil }
        action = value
      case 8 where same(key!, "resource") && resource == nil:
        guard let value = string() else { return nil }
        resource = value
      case 15 where same(key!, "resourceAccount") && resourceAccount == nil:
        guard let value = string() else { return nil }
        resourceAccount = value
      case 7 where same(key!, "context") && context == nil:
        skipSpace()
        let start = offset
        guard skipContextObject() else { return nil }
        context = start..<offset
      default: return nil
      }
    }
    skipSpace()
    guard offset == bytes.count, let action else { return nil }
    return Fields(action: action, resource: resource, resourceAccount: resourceAccount, context: context)
  }

  /// When the bytes at the offset are `"action":`, `"resource":`, `"context":` or `"resourceAccount":`, takes them
  /// and returns where the name is; else takes nothing.
  @inline(__always)
  private mutating func knownMember() -> Range<Int>? {
    let left = bytes.count - offset
    guard left >= 10, bytes[offset] == UInt8(ascii: "\"") else { return nil }
    let member: StaticString
    switch bytes[offset + 1] {
    case UInt8(ascii: "a"): member = "\"action\":"
    case UInt8(ascii: "c"): member = "\"context\":"
    case UInt8(ascii: "r"): member = left >= 18 && bytes[offset + 9] == UInt8(ascii: "A") ? "\"resourceAccount\":" : "\"resource\":"
    default: return nil
    }
    let count = member.utf8CodeUnitCount
    guard left >= count, memcmp(bytes.baseAddress! + offset, member.utf8Start, count) == 0 else { return nil }
    defer { offset += count }
    return offset + 1..<offset + count - 2
  }

  /// Whether the bytes in `range` are `word`'s.
  @inline(__always)
  private func same(_ range: Range<Int>, _ word: StaticString) -> Bool {
    memcmp(bytes.baseAddress! + range.lowerBound, word.utf8Start, range.count) == 0
  }

  /// Passes over a `context` object as ``contextObject()`` reads it, but for its keys: `false` on a number, a nested
  /// object or anything else that reader refuses.
  private mutating func skipContextObject() -> Bool {
    guard take(UInt8(ascii: "{")) else { return false }
    var first = true
    while !take(UInt8(ascii: "}")) {
      guard first || take(UInt8(ascii: ",")), string() != nil, take(UInt8(ascii: ":")) else { return false }
      first = false
      if take(UInt8(ascii: "[")) {
        var empty = true
        while !take(UInt8(ascii: "]")) {
          guard empty || take(UInt8(ascii: ",")), skipScalar() else { return false }
          empty = false
        }
      } else {
        guard skipScalar() else { return false }
      }
    }
    return true
  }

  /// A `context` object; `nil` on a number, a nested object, or two keys equal regardless of case.
  private mutating func contextObject() -> RequestContext? {
    guard take(UInt8(ascii: "{")) else { return nil }
    var context = RequestContext()
    var first = true
    while !take(UInt8(ascii: "}")) {
      guard first || take(UInt8(ascii: ",")), let key = string().map(text), take(UInt8(ascii: ":")) else { return nil }
      first = false
      // A key equal to an earlier one regardless of case replaces it and leaves the count as it was.
      let count = context.count
      if take(UInt8(ascii: "[")) {
        var values: [String] = []
        while !take(UInt8(ascii: "]")) {
          guard values.isEmpty || take(UInt8(ascii: ",")), let value = scalar() else { return nil }
          values.append(value)
        }
        context.set(key, values: values)
      } else {
        guard let value = scalar() else { return nil }
        context.set(key, value)
      }
      guard context.count > count else { return nil }
    }
    skipSpace()
    guard offset == bytes.count else { return nil }
    return context
  }

  /// A string, or `true` or `false` as the general reader's context reads them.
  private mutating func scalar() -> String? {
    skipSpace()
    if literal("true") { return "true" }
    if literal("false") { return "false" }
    return string().map(text)
  }

  /// Passes over what ``scalar()`` reads.
  private mutating func skipScalar() -> Bool {
    skipSpace()
    return literal("true") || literal("false") || string() != nil
  }

  private func text(_ range: Range<Int>) -> String {
    String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
  }

  /// Where the text of a string of printable ASCII without escapes is, without its quotes.
  private mutating func string() -> Range<Int>? {
    guard take(UInt8(ascii: "\"")) else { return nil }
    let start = offset
    guard let end = Self.stringEnd(bytes, from: start) else { return nil }
    offset = end + 1
    return start..<end
  }

  /// The offset of the `"` that ends a string whose text starts at `start`, or `nil` when a byte before it is not
  /// printable ASCII, or is `\\`, or there is no `"`. Eight bytes at a time: the first byte that JSON output would
  /// escape (``ResponseLine/escapeBits(_:)``: a control character, `"`, `\\`, or 0x7F and above) is the end or the
  /// reason to refuse.
  @inline(__always)
  static func stringEnd(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
    guard let base = bytes.baseAddress else { return nil }
    let raw = UnsafeRawPointer(base)
    var offset = start
    while offset + 8 <= bytes.count {
      let bits = ResponseLine.escapeBits(raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
      if bits != 0 {
        let found = offset + bits.trailingZeroBitCount / 8
        return base[found] == UInt8(ascii: "\"") ? found : nil
      }
      offset += 8
    }
    while offset < bytes.count {
      let byte = base[offset]
      if byte == UInt8(ascii: "\"") { return offset }
      guard byte >= 0x20 && byte < 0x7F && byte != UInt8(ascii: "\\") else { return nil }
      offset += 1
    }
    return nil
  }

  private mutating func literal(_ word: StaticString) -> Bool {
    let count = word.utf8CodeUnitCount
    guard bytes.count - offset >= count else { return false }
    for index in 0..<count where bytes[offset + index] != word.utf8Start[index] { return false }
    // What follows (`trueX`, say) is checked by the caller, which needs `,`, `]` or `}` next.
    offset += count
    return true
  }

  /// Skips white space, then takes `byte` if it comes next.
  @inline(__always)
  private mutating func take(_ byte: UInt8) -> Bool {
    skipSpace()
    guard offset < bytes.count, bytes[offset] == byte else { return false }
    offset += 1
    return true
  }

  @inline(__always)
  private mutating func skipSpace() {
    while offset < bytes.count,
      case let byte = bytes[offset], byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A
    {
      offset += 1
    }
  }
}

/// What one worker of a stream keeps of the lines it read: resources prepared (``PreparedResource``), the strings of
/// accounts and the contexts of `context` objects, each by its bytes (``ByteTable``), so that a text met again costs
/// a lookup, not a new string or a new split. One worker uses it at a time.
struct RequestTexts {
  private var strings = ByteTable<String>(capacity: 16_384, byteCapacity: 2 << 20)
  private var resources = ByteTable<PreparedResource>(capacity: 16_384, byteCapacity: 2 << 20)
  private var contexts = ByteTable<RequestContext>(capacity: 4_096, byteCapacity: 1 << 20)

  /// The bytes (printable ASCII, as ``RequestLineReader/scan(_:)`` found them) as a string.
  mutating func string(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
    let hash = ByteTable<String>.hash(bytes)
    if let known = strings.value(bytes, hash: hash) { return known }
    let text = String(decoding: bytes, as: UTF8.self)
    strings.insert(bytes, hash: hash, text)
    return text
  }

  /// The resource these bytes (printable ASCII) spell, prepared (split) once.
  mutating func resource(_ bytes: UnsafeBufferPointer<UInt8>) -> PreparedResource {
    let hash = ByteTable<PreparedResource>.hash(bytes)
    if let known = resources.value(bytes, hash: hash) { return known }
    let resource = PreparedResource(String(decoding: bytes, as: UTF8.self))
    resources.insert(bytes, hash: hash, resource)
    return resource
  }

  /// The context of a `context` object ``RequestLineReader/scan(_:)`` found, or `nil` when the general reader must
  /// read it.
  mutating func context(_ object: UnsafeBufferPointer<UInt8>) -> RequestContext? {
    let hash = ByteTable<RequestContext>.hash(object)
    if let known = contexts.value(object, hash: hash) { return known }
    // Kept with each key's looked-up form made, so that every line that names it lays it under its request as it is.
    guard let context = RequestLineReader.context(object)?.prepared() else { return nil }
    contexts.insert(object, hash: hash, context)
    return context
  }

  /// Sets `request`'s members to what a scanned line sets, its action `action`, and to `template`'s where the line
  /// sets none (the template's principal must be `request`'s already), and returns the request's resource prepared
  /// (`templateResource` when the line names none); `nil` when the general reader must read the line. The line's
  /// context replaces the template's.
  mutating func read(
    _ fields: RequestLineReader.Fields, in line: UnsafeBufferPointer<UInt8>, action: String,
    into request: inout AuthorizationRequest, template: AuthorizationRequest, templateResource: PreparedResource
  ) -> PreparedResource? {
    if let range = fields.context {
      guard let context = context(UnsafeBufferPointer(rebasing: line[range])) else { return nil }
      request.context = context
    } else if !request.context.isEmpty {
      request.context = RequestContext()
    }
    request.action = action
    let resource = fields.resource.map { self.resource(UnsafeBufferPointer(rebasing: line[$0])) } ?? templateResource
    request.resource = resource.resource
    request.resourceAccount =
      fields.resourceAccount.map { string(UnsafeBufferPointer(rebasing: line[$0])) } ?? template.resourceAccount
    return resource
  }
}
