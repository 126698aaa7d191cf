import IAMEvaluation

/// Reads the usual shape of an `eval --requests` line without building a JSON tree: one object whose members are
/// `action`, `resource` and `resourceAccount` strings and a `context` object of strings, booleans and arrays of
/// them, all of it printable ASCII without escapes.
///
/// It answers only when it is sure: anything else (an escape, non-ASCII text, a number, a duplicate or unknown
/// member, a syntax error) returns `nil`, and the line is read by the general JSON reader, which takes every
/// valid line and reports every invalid one with its position. Where this reader answers, it answers as that
/// reader would (pinned by `RequestLineReaderTests`).
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

  private let bytes: UnsafeBufferPointer<UInt8>
  private var offset = 0

  private init(_ bytes: UnsafeBufferPointer<UInt8>) {
    self.bytes = bytes
  }

  /// The line's members, or `nil` when the general reader must read it.
  static func read(_ line: UnsafeBufferPointer<UInt8>) -> Line? {
    var reader = RequestLineReader(line)
    return reader.line()
  }

  private mutating func line() -> Line? {
    guard take(UInt8(ascii: "{")) else { return nil }
    var action: String?
    var resource: String?
    var resourceAccount: String?
    var context: RequestContext?
    var first = true
    while !take(UInt8(ascii: "}")) {
      guard first || take(UInt8(ascii: ",")), let key = string(), take(UInt8(ascii: ":")) else { return nil }
      first = false
      switch key {
      case "action" where action == nil: action = string()
      case "resource" where resource == nil: resource = string()
      case "resourceAccount" where resourceAccount == nil: resourceAccount = string()
      case "context" where context == nil: context = contextObject()
      default: return nil
      }
      // The member just read must have been read whole.
      let read = switch key {
      case "action": action != nil
      case "resource": resource != nil
      case "resourceAccount": resourceAccount != nil
      default: context != nil
      }
      guard read else { return nil }
    }
    skipSpace()
    guard offset == bytes.count, let action else { return nil }
    return Line(action: action, resource: resource, resourceAccount: resourceAccount, context: context ?? RequestContext())
  }

  /// A `context` object; `nil` on a number, a nested object, or two keys equal regardless of case.
  private mutating func contextObject() -> RequestContext? {
    guard take(UInt8(ascii: "{")) else { return nil }
    var context = RequestContext()
    var first = true
    while !take(UInt8(ascii: "}")) {
      guard first || take(UInt8(ascii: ",")), let key = string(), take(UInt8(ascii: ":")) else { return nil }
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
    return context
  }

  /// A string, or `true` or `false` as the general reader's context reads them.
  private mutating func scalar() -> String? {
    skipSpace()
    if literal("true") { return "true" }
    if literal("false") { return "false" }
    return string()
  }

  /// A string of printable ASCII without escapes.
  private mutating func string() -> String? {
    guard take(UInt8(ascii: "\"")) else { return nil }
    let start = offset
    while offset < bytes.count {
      let byte = bytes[offset]
      if byte == UInt8(ascii: "\"") {
        offset += 1
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<offset - 1]), as: UTF8.self)
      }
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
  private mutating func take(_ byte: UInt8) -> Bool {
    skipSpace()
    guard offset < bytes.count, bytes[offset] == byte else { return false }
    offset += 1
    return true
  }

  private mutating func skipSpace() {
    while offset < bytes.count,
      case let byte = bytes[offset], byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A
    {
      offset += 1
    }
  }
}
