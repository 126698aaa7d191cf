extension JSONValue {
  /// The value as output JSON, members in document order, positions dropped.
  public var output: JSONOutput {
    switch kind {
    case .null: .null
    case .bool(let value): .bool(value)
    case .number(let text): .number(text)
    case .string(let text): .string(text)
    case .array(let elements): .array(elements.map(\.output))
    case .object(let members): .object(members.map { ($0.key, $0.value.output) })
    }
  }
}
