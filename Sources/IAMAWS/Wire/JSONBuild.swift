import IAMPolicy

/// Builds ``JSONValue``s for responses (positions are meaningless there: every value is at 1:1).
enum JSONBuild {
  static func object(_ members: [(String, JSONValue)]) -> JSONValue {
    JSONValue(.object(members.map { JSONValue.Member(key: $0.0, keyPosition: SourcePosition(line: 1, column: 1), value: $0.1) }))
  }

  static func array(_ elements: [JSONValue]) -> JSONValue { JSONValue(.array(elements)) }
  static func string(_ text: String) -> JSONValue { JSONValue(.string(text)) }
  static func number(_ text: String) -> JSONValue { JSONValue(.number(text)) }
  static func bool(_ value: Bool) -> JSONValue { JSONValue(.bool(value)) }

  /// The value as Python's `json.loads` leaves it: in each object, a repeated key keeps its first place and its
  /// last value.
  static func pythonDict(_ value: JSONValue) -> JSONValue {
    switch value.kind {
    case .array(let elements): return JSONValue(.array(elements.map(pythonDict)), at: value.position)
    case .object(let members):
      var order: [String] = []
      var latest: [String: JSONValue.Member] = [:]
      for member in members {
        if latest[member.key] == nil { order.append(member.key) }
        var kept = member
        kept.value = pythonDict(member.value)
        if let first = latest[member.key] { kept.keyPosition = first.keyPosition }
        latest[member.key] = kept
      }
      return JSONValue(.object(order.map { latest[$0]! }), at: value.position)
    default: return value
    }
  }
}

extension JSONOutput {
  /// The members, if this is an object.
  var objectMembers: [(String, JSONOutput)]? {
    if case .object(let members) = self { return members }
    return nil
  }

  /// The value of the first member with this key, if this is an object that has one.
  subscript(member key: String) -> JSONOutput? { objectMembers?.first { $0.0 == key }?.1 }

  /// A string, number or boolean as its text; `nil` for anything else.
  var scalarText: String? {
    switch self {
    case .string(let text), .number(let text): text
    case .bool(let value): value ? "true" : "false"
    default: nil
    }
  }
}
