import IAMPolicy

/// The authorizer's answer: the decision, why, and what the policies needed from the request.
///
/// The authorizer never throws; problems met while evaluating are ``diagnostics``.
public struct Response: Sendable, Hashable {
  /// The decision.
  public var decision: Decision
  /// The layer whose statements or missing allow decided it.
  public var decidingLayer: Layer
  /// The rule of AWS's evaluation flow that decided it: the stable, machine-readable form of ``reason``.
  public var rule: DecisionRule
  /// One sentence saying why.
  public var reason: String
  /// The statements that decided: only the Deny statements for an explicit deny (as AWS's simulator).
  public var determiningStatements: [StatementReference]
  /// What each layer consulted made of the request.
  public var layers: [LayerResult]
  /// Context keys that a relevant statement tested and the request lacked, as spelled in the policies.
  public var missingContextKeys: [String]
  /// Problems and notes: values that could not be read (the statement failed closed), service-specific caveats.
  public var diagnostics: [Diagnostic]
  /// Per-statement detail, filled when explanation was asked for.
  public var explanation: Explanation? {
    get { explained?.explanation }
    set { explained = newValue.map(Explained.init) }
  }
  /// The explanation, held by reference: most responses have none, and a response moved or copied with its
  /// explanation inline moved some 160 bytes more.
  var explained: Explained?
  /// The context the request lacked under which the decision would change, when it was asked for
  /// (``Authorizer/decisionCondition(for:response:)``).
  public var changesIf: DecisionCondition? = nil

  /// Whether the request is allowed, or would be under ``changesIf``.
  public var allowedOrConditionally: Bool { decision == .allowed || changesIf?.allowed == true }
}

/// What one layer made of a request.
public struct LayerResult: Sendable, Hashable {
  /// What the layer's statements said.
  public enum Verdict: String, Sendable, Hashable {
    /// A Deny statement applied.
    case deny
    /// An Allow statement applied and no Deny did.
    case allow
    /// No statement applied.
    case noMatch
  }

  /// The layer.
  public var layer: Layer
  /// Its verdict.
  public var verdict: Verdict
  /// The statements that applied: the Deny ones for `deny`, the Allow ones for `allow`.
  public var statements: [StatementReference]
}

/// A response's explanation, held by reference and compared by value.
final class Explained: Sendable, Hashable {
  let explanation: Explanation

  init(_ explanation: Explanation) { self.explanation = explanation }

  static func == (lhs: Explained, rhs: Explained) -> Bool { lhs.explanation == rhs.explanation }

  func hash(into hasher: inout Hasher) { hasher.combine(explanation) }
}
