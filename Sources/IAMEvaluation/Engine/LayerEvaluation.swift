import IAMPolicy

/// What the statements of one layer made of a request.
struct LayerEvaluation {
  let layer: Layer
  var hasDeny = false
  var hasAllow = false
  /// For the resource layer: the strongest way an applying Allow named the caller.
  var bestAllowPrincipal: PrincipalMatch?
  /// The Deny statements that applied (detailed evaluations only).
  var denies: [StatementReference] = []
  /// The Allow statements that applied (detailed evaluations only).
  var allows: [StatementReference] = []
  /// Every statement consulted with its mismatch (explanations only).
  var statements: [StatementExplanation] = []
  /// Statements that met a request value they could not read.
  var problems: [Diagnostic] = []

  init(layer: Layer) {
    self.layer = layer
  }

  /// Evaluates a layer's policies.
  ///
  /// - Parameters:
  ///   - detailed: record the applying statements.
  ///   - explain: record every statement with its mismatch (implies `detailed`).
  /// - Complexity: O(s) in the number of candidate statements (all statements when explaining).
  init(
    layer: Layer, policies: [CompiledPolicy], matcher: inout StatementMatcher, detailed: Bool, explain: Bool
  ) {
    self.layer = layer
    for policy in policies {
      let visit = { (statement: Statement, this: inout LayerEvaluation, matcher: inout StatementMatcher) in
        let outcome = matcher.evaluate(statement, explain: explain)
        if let problem = outcome.problem {
          let reference = StatementReference(statement, in: policy.document, layer: layer)
          this.problems.append(
            Diagnostic(
              "evaluation.unreadable-value", .warning,
              "\(reference): \(problem); the statement fails closed (\(statement.effect == .deny ? "the Deny applies" : "the Allow does not apply"))",
              file: policy.document.name, path: statement.path, position: statement.position))
        }
        if explain {
          this.statements.append(
            StatementExplanation(
              statement: StatementReference(statement, in: policy.document, layer: layer),
              mismatch: outcome.applies ? nil : outcome.mismatch, matchedAction: outcome.matchedAction))
        }
        guard outcome.applies else { return }
        switch statement.effect {
        case .deny:
          this.hasDeny = true
          if detailed || explain { this.denies.append(StatementReference(statement, in: policy.document, layer: layer)) }
        case .allow:
          this.hasAllow = true
          if let match = outcome.principalMatch, this.bestAllowPrincipal.map({ match > $0 }) ?? true {
            this.bestAllowPrincipal = match
          }
          if detailed || explain { this.allows.append(StatementReference(statement, in: policy.document, layer: layer)) }
        }
      }
      if explain {
        for statement in policy.document.statements { visit(statement, &self, &matcher) }
      } else {
        policy.forEachCandidate(service: matcher.request.service) { visit($0, &self, &matcher) }
      }
    }
    denies.sort()
    allows.sort()
  }

  /// The layer's verdict.
  var verdict: LayerResult.Verdict { hasDeny ? .deny : hasAllow ? .allow : .noMatch }
}
