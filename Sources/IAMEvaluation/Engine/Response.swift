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
  public var missingContextKeys: [String] {
    get { details?.missingContextKeys ?? [] }
    set { details = Details.make(newValue, diagnostics, explanation, changesIf) }
  }
  /// Problems and notes: values that could not be read (the statement failed closed), service-specific caveats.
  public var diagnostics: [Diagnostic] {
    get { details?.diagnostics ?? [] }
    set { details = Details.make(missingContextKeys, newValue, explanation, changesIf) }
  }
  /// Per-statement detail, filled when explanation was asked for.
  public var explanation: Explanation? {
    get { details?.explanation }
    set { details = Details.make(missingContextKeys, diagnostics, newValue, changesIf) }
  }
  /// The context the request lacked under which the decision would change, when it was asked for
  /// (``Authorizer/decisionCondition(for:response:)``).
  public var changesIf: DecisionCondition? {
    get { details?.changesIf }
    set { details = Details.make(missingContextKeys, diagnostics, explanation, newValue) }
  }
  /// What few responses have, held by one reference: `nil` when there is none of it. A response moved or copied
  /// with these inline moved some 200 bytes more, and freeing one released each of them.
  var details: Details?

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

extension Response {
  /// A response's missing keys, diagnostics, explanation and decision condition, held by reference and compared by
  /// value; never made empty.
  final class Details: Sendable, Hashable {
    let missingContextKeys: [String]
    let diagnostics: [Diagnostic]
    let explanation: Explanation?
    let changesIf: DecisionCondition?

    private init(
      missingContextKeys: [String], diagnostics: [Diagnostic], explanation: Explanation?, changesIf: DecisionCondition?
    ) {
      self.missingContextKeys = missingContextKeys
      self.diagnostics = diagnostics
      self.explanation = explanation
      self.changesIf = changesIf
    }

    /// The details, or `nil` when there are none: a response without any compares equal however it was built.
    static func make(
      _ missingContextKeys: [String], _ diagnostics: [Diagnostic], _ explanation: Explanation?,
      _ changesIf: DecisionCondition?
    ) -> Details? {
      missingContextKeys.isEmpty && diagnostics.isEmpty && explanation == nil && changesIf == nil
        ? nil
        : Details(
          missingContextKeys: missingContextKeys, diagnostics: diagnostics, explanation: explanation,
          changesIf: changesIf)
    }

    static func == (lhs: Details, rhs: Details) -> Bool {
      lhs === rhs
        || (lhs.missingContextKeys == rhs.missingContextKeys && lhs.diagnostics == rhs.diagnostics
          && lhs.explanation == rhs.explanation && lhs.changesIf == rhs.changesIf)
    }

    func hash(into hasher: inout Hasher) {
      hasher.combine(missingContextKeys)
      hasher.combine(diagnostics)
      hasher.combine(explanation)
      hasher.combine(changesIf)
    }
  }
}
