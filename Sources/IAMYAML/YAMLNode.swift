import IAMPolicy

/// A YAML node as read from a document: its kind and content, its tag, its anchor, and where it starts.
///
/// Mappings keep their members in document order, duplicates included, so that callers can refuse duplicate keys
/// (the YAML specification forbids them; most YAML libraries keep the last one silently).
public struct YAMLNode: Sendable, Hashable {
  /// How a scalar was written.
  public enum ScalarStyle: Sendable, Hashable {
    /// Unquoted: the only style whose text is resolved to null, booleans and numbers.
    case plain
    /// `'text'`, where `''` is a quote.
    case singleQuoted
    /// `"text"`, with backslash escapes.
    case doubleQuoted
    /// A `|` block scalar: line breaks kept.
    case literal
    /// A `>` block scalar: line breaks folded into spaces.
    case folded
  }

  /// The kind of node and its content.
  public enum Kind: Sendable, Hashable {
    /// A scalar: its text (quotes removed, escapes decoded, lines folded) and how it was written.
    case scalar(String, ScalarStyle)
    /// A sequence (block `- a` or flow `[a]`).
    case sequence([YAMLNode])
    /// A mapping (block `a: b` or flow `{a: b}`), members in document order, duplicates kept.
    case mapping([Member])
  }

  /// One member of a mapping. Keys are scalars: the reader refuses collections, aliases, tags and anchors as keys.
  public struct Member: Sendable, Hashable {
    /// The key's text.
    public var key: String
    /// How the key was written (a plain key can look like a number or `null`; it stays text here).
    public var keyStyle: ScalarStyle
    /// Where the key starts.
    public var keyPosition: SourcePosition
    /// The member's value.
    public var value: YAMLNode

    /// Creates a member.
    public init(key: String, keyStyle: ScalarStyle = .plain, keyPosition: SourcePosition, value: YAMLNode) {
      self.key = key
      self.keyStyle = keyStyle
      self.keyPosition = keyPosition
      self.value = value
    }
  }

  /// The kind of node and its content.
  public var kind: Kind
  /// The tag as written: `!Ref`, `!GetAtt`, `!!str`, or `!` alone (the non-specific tag, which makes a plain
  /// scalar a string); `nil` when the node has none.
  public var tag: String?
  /// The anchor (`&name`) the node defines, if any.
  public var anchor: String?
  /// The alias (`*name`) this node was copied from, if it came from one. Its ``position`` is then the alias's;
  /// the nodes inside keep the positions of the anchored node they copy.
  public var alias: String?
  /// Where the node starts: its tag or anchor if it has one, else its first character. An empty node (a key with
  /// no value) is placed where its value would have started.
  public var position: SourcePosition

  /// Creates a node.
  public init(
    _ kind: Kind, tag: String? = nil, anchor: String? = nil, alias: String? = nil,
    at position: SourcePosition = SourcePosition(line: 1, column: 1)
  ) {
    self.kind = kind
    self.tag = tag
    self.anchor = anchor
    self.alias = alias
    self.position = position
  }

  /// The scalar's text, if this is a scalar.
  public var scalarText: String? {
    if case .scalar(let text, _) = kind { return text }
    return nil
  }

  /// The elements, if this is a sequence.
  public var elements: [YAMLNode]? {
    if case .sequence(let elements) = kind { return elements }
    return nil
  }

  /// The members, if this is a mapping.
  public var members: [Member]? {
    if case .mapping(let members) = kind { return members }
    return nil
  }

  /// The value of the first member with this key, if this is a mapping that has one.
  public subscript(key: String) -> YAMLNode? {
    members?.first(where: { $0.key == key })?.value
  }
}

/// A YAML error and where it is: a syntax error from ``YAMLReader``, or a value that a conversion to JSON refuses
/// (then ``path`` names the element).
public struct YAMLSyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
  /// What is wrong, lower-case and without a final period.
  public var message: String
  /// Where the problem is.
  public var position: SourcePosition
  /// The path of the element at fault, for errors found while converting a node to JSON.
  public var path: JSONPath?

  /// Creates an error.
  public init(_ message: String, at position: SourcePosition, path: JSONPath? = nil) {
    self.message = message
    self.position = position
    self.path = path
  }

  /// The error as `line:column: message`, or `line:column: $.path: message` when it names an element.
  public var description: String {
    if let path { return "\(position): \(path): \(message)" }
    return "\(position): \(message)"
  }
}
