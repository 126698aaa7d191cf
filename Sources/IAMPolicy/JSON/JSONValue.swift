/// A JSON value as read from a document, with the position of every element.
///
/// Objects keep their members in document order, duplicates included, so that readers
/// can report duplicate keys (AWS rejects them; most JSON libraries keep the last one).
public struct JSONValue: Sendable, Hashable {
  /// The kind of value and its content.
  public enum Kind: Sendable, Hashable {
    case null
    case bool(Bool)
    /// A number, kept as its source text so that no precision is lost.
    case number(String)
    case string(String)
    case array([JSONValue])
    case object([Member])
  }

  /// One member of an object.
  public struct Member: Sendable, Hashable {
    /// The member's key.
    public var key: String
    /// Where the key starts.
    public var keyPosition: SourcePosition
    /// The member's value.
    public var value: JSONValue

    /// Creates a member.
    public init(key: String, keyPosition: SourcePosition, value: JSONValue) {
      self.key = key
      self.keyPosition = keyPosition
      self.value = value
    }
  }

  /// The kind of value and its content.
  public var kind: Kind
  /// Where the value starts in the source.
  public var position: SourcePosition

  /// Creates a value.
  public init(_ kind: Kind, at position: SourcePosition = SourcePosition(line: 1, column: 1)) {
    self.kind = kind
    self.position = position
  }

  /// The string content, if this is a string.
  public var stringValue: String? {
    if case .string(let value) = kind { return value }
    return nil
  }

  /// The members, if this is an object.
  public var members: [Member]? {
    if case .object(let members) = kind { return members }
    return nil
  }

  /// The elements, if this is an array.
  public var elements: [JSONValue]? {
    if case .array(let elements) = kind { return elements }
    return nil
  }

  /// The value of the first member with this key, if this is an object that has one.
  public subscript(key: String) -> JSONValue? {
    members?.first(where: { $0.key == key })?.value
  }

  /// A short name of the value's type for messages: `string`, `number`, `object`, ...
  public var typeName: String {
    switch kind {
    case .null: "null"
    case .bool: "boolean"
    case .number: "number"
    case .string: "string"
    case .array: "array"
    case .object: "object"
    }
  }
}
