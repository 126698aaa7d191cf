import IAMPolicy

/// Names one statement of one policy, for explanations and output.
public struct StatementReference: Sendable, Hashable, Comparable, CustomStringConvertible {
  /// The policy's name: a file, an ARN or `inline`.
  public var policy: String
  /// The layer the policy belongs to.
  public var layer: Layer
  /// The statement's Sid, if it has one.
  public var sid: String?
  /// The statement's index in its policy.
  public var index: Int
  /// The statement's effect.
  public var effect: Statement.Effect
  /// The statement's JSON path in its policy.
  public var path: JSONPath
  /// Where the statement starts in its policy's text.
  public var position: SourcePosition

  init(_ statement: Statement, in document: PolicyDocument, layer: Layer) {
    policy = document.name
    self.layer = layer
    sid = statement.sid
    index = statement.index
    effect = statement.effect
    path = statement.path
    position = statement.position
  }

  public static func < (lhs: StatementReference, rhs: StatementReference) -> Bool {
    (lhs.policy, lhs.index) < (rhs.policy, rhs.index)
  }

  /// `policy statement "Sid" ($.Statement[0], line 3:5)`.
  public var description: String {
    let label = sid.map { "\"\($0)\"" } ?? "#\(index)"
    return "\(policy) statement \(label) (\(path), line \(position))"
  }
}
