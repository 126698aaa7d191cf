/// A parsed and validated policy document, ready to be evaluated.
public struct PolicyDocument: Sendable, Hashable {
  /// The policy language version a document declares.
  public enum Version: String, Sendable, Hashable {
    case v2012 = "2012-10-17"
    case v2008 = "2008-10-17"
    /// No `Version` element: variables are literal text (rule G-2).
    case absent = ""

    /// Whether `${…}` policy variables are substituted under this version.
    public var substitutesVariables: Bool { self == .v2012 }
  }

  /// What names the policy in explanations: a file path, an ARN, or `inline`.
  public private(set) var name: String
  /// The role the policy plays.
  public private(set) var kind: PolicyKind
  /// The declared version.
  public private(set) var version: Version
  /// The `Id` element, if any.
  public private(set) var id: String?
  /// The statements in document order.
  public private(set) var statements: [Statement]
  /// Warnings and suggestions found while reading it (never errors: a document with errors is not built).
  public private(set) var diagnostics: [Diagnostic]

  /// Assembles a document from statements that were already read and checked.
  public init(
    name: String, kind: PolicyKind, version: Version, id: String? = nil, statements: [Statement],
    diagnostics: [Diagnostic] = []
  ) {
    self.name = name
    self.kind = kind
    self.version = version
    self.id = id
    self.statements = statements
    self.diagnostics = diagnostics
  }
}

extension PolicyDocument {
  /// What a document says, wherever it was read from: its version, `Id` and statements, with file, JSON paths,
  /// line:column, name and warnings left out.
  public struct Content: Sendable, Hashable {
    public var version: Version
    public var id: String?
    public var statements: [Statement]
  }

  /// What the document says (``Content``).
  public var content: Content {
    Content(
      version: version, id: id,
      statements: statements.map { statement in
        var copy = statement
        copy.path = .root
        copy.position = SourcePosition(line: 0, column: 0)
        copy.conditions = copy.conditions.map { condition in
          var moved = condition
          moved.path = .root
          moved.position = SourcePosition(line: 0, column: 0)
          return moved
        }
        return copy
      })
  }

  /// Whether two documents say the same thing, wherever each was read from.
  public func says(theSameAs other: PolicyDocument) -> Bool { content == other.content }
}
