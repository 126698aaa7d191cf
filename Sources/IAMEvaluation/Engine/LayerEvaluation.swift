import IAMPolicy

/// What the statements of one layer made of a request, with the detail a response needs.
struct LayerEvaluation {
  let layer: Layer
  var hasDeny = false
  var hasAllow = false
  /// For the resource layer: the strongest way an applying Allow named the caller.
  var bestAllowPrincipal: PrincipalMatch?
  /// The Deny statements that applied.
  var denies: [StatementReference] = []
  /// The Allow statements that applied.
  var allows: [StatementReference] = []
  /// What few evaluations have: each statement consulted, values that could not be read, notes. Held apart so that
  /// the common evaluation carries one empty reference instead of three arrays, each retained with every copy.
  private(set) var extras: Extras?
  /// The layer's result alone in an array, made once, while no statement or a single one decides the layer: the
  /// step's (no statement) or the statement's, made when it was compiled.
  private(set) var soleResult: [LayerResult]?

  /// What only some evaluations record.
  final class Extras {
    /// Every statement consulted with its mismatch (explanations only).
    var statements: [StatementExplanation] = []
    /// Statements that met a request value they could not read.
    var problems: [Diagnostic] = []
    /// Why a statement applied where a reader might not expect it.
    var notes: [Diagnostic] = []
  }

  /// Every statement consulted with its mismatch (explanations only).
  var statements: [StatementExplanation] { extras?.statements ?? [] }
  /// Statements that met a request value they could not read, and why a statement applied where a reader might
  /// not expect it.
  var problemsAndNotes: [Diagnostic] { extras.map { $0.problems + $0.notes } ?? [] }

  private mutating func extra() -> Extras {
    if let extras { return extras }
    let made = Extras()
    extras = made
    return made
  }

  /// Evaluates a layer's policies in detail (the matcher's detail is `.detailed` or `.explain`), in place: an
  /// evaluation built elsewhere and then stored was copied (retaining each of its arrays).
  ///
  /// - Complexity: O(s) in the number of candidate statements (all statements when explaining).
  mutating func evaluate(_ step: EvaluationPlan.Step, matcher: inout StatementMatcher) {
    let service = matcher.request.serviceKey
    let explain = matcher.detail == .explain
    let name = matcher.request.lowercasedName
    // The plan holds its policies for as long as the evaluation runs: each is visited without retaining it.
    for index in step.policies.indices {
      Unmanaged.passUnretained(step.policies[index])._withUnsafeGuaranteedRef { policy in
        if explain {
          for statement in policy.statements { record(statement, of: policy, actionMatched: false, &matcher) }
        } else {
          // The evaluation is handed to each statement as an argument, never captured.
          _ = policy.forEachCandidate(service: service, lowercasedName: name, into: &self) {
            evaluation, statement, actionMatched in
            evaluation.record(statement, of: policy, actionMatched: actionMatched, &matcher)
            return true
          }
        }
      }
    }
    // No statement applied: the step's result, set only now, so that a layer a statement decides never takes it.
    if !hasDeny && !hasAllow { soleResult = step.noMatch }
    // Sorting makes an array unique: a shared one-statement array is left as it is.
    if denies.count > 1 { denies.sort() }
    if allows.count > 1 { allows.sort() }
  }

  /// What the layer made of the request, as the evaluation flow reads it.
  var summary: LayerSummary {
    LayerSummary(hasDeny: hasDeny, hasAllow: hasAllow, bestAllowPrincipal: bestAllowPrincipal)
  }

  /// What the layer made of the request, as a response reports it.
  var result: LayerResult { LayerResult(layer: layer, verdict: verdict, statements: hasDeny ? denies : allows) }

  private mutating func record(
    _ compiled: CompiledStatement, of policy: CompiledPolicy, actionMatched: Bool, _ matcher: inout StatementMatcher
  ) {
    let statement = compiled.statement
    let outcome = matcher.evaluate(compiled, actionMatched: actionMatched)
    if let problem = outcome.problem {
      extra().problems.append(
        Diagnostic(
          "evaluation.unreadable-value", .warning,
          "\(compiled.reference): \(problem); the statement fails closed (\(statement.effect == .deny ? "the Deny applies" : "the Allow does not apply"))",
          file: policy.document.name, path: statement.path, position: statement.position))
    }
    if matcher.detail == .explain {
      extra().statements.append(
        StatementExplanation(
          statement: compiled.reference, mismatch: outcome.applies ? nil : outcome.mismatch,
          matchedAction: outcome.matchedAction))
    }
    if let why = outcome.setAside {
      extra().notes.append(
        Diagnostic(
          "evaluation.block-public-access", .note, "\(compiled.reference) names the caller but is set aside: \(why)",
          file: policy.document.name, path: statement.path, position: statement.position))
    }
    guard outcome.applies else { return }
    if outcome.deniedByNotPrincipalBoundary {
      extra().notes.append(
        Diagnostic(
          "evaluation.notprincipal-boundary", .note,
          "\(compiled.reference): a Deny with NotPrincipal always denies a principal that has a permissions boundary, whatever NotPrincipal lists (AWS's NotPrincipal page)",
          file: policy.document.name, path: statement.path, position: statement.position))
    }
    switch statement.effect {
    case .deny:
      soleResult = !hasDeny ? compiled.soleResult : nil
      hasDeny = true
      if denies.isEmpty { denies = compiled.references } else { denies.append(compiled.reference) }
    case .allow:
      if !hasDeny { soleResult = !hasAllow ? compiled.soleResult : nil }
      hasAllow = true
      if let match = outcome.principalMatch, bestAllowPrincipal.map({ match > $0 }) ?? true {
        bestAllowPrincipal = match
      }
      if allows.isEmpty { allows = compiled.references } else { allows.append(compiled.reference) }
    }
  }

  /// The layer's verdict.
  var verdict: LayerResult.Verdict { hasDeny ? .deny : hasAllow ? .allow : .noMatch }
}

extension LayerEvaluation {
  /// An evaluation of a step's layer before any statement is recorded: ``evaluate(_:matcher:)`` evaluates it where it
  /// is kept. It holds no reference yet, so that putting it in place copies nothing. It calls the memberwise
  /// initializer, which builds the value in place.
  init(step: EvaluationPlan.Step) {
    self.init(layer: step.layer)
  }
}

/// What one layer says, as far as the decision needs it.
struct LayerSummary {
  var hasDeny = false
  var hasAllow = false
  /// For the resource layer: the strongest way an applying Allow named the caller.
  var bestAllowPrincipal: PrincipalMatch?

  /// Evaluates a layer for a decision only. It stops at the first Deny that applies; once the layer allows, only
  /// Deny statements can still change the decision, so Allow statements are skipped (in the resource layer, once an
  /// Allow names the caller directly, the strongest match there is). An RCP level's Allow statements are never
  /// read: RCPs only ever deny.
  init(step: EvaluationPlan.Step, matcher: inout StatementMatcher, lowercasedName name: UnsafeBufferPointer<UInt8>) {
    let service = matcher.request.serviceKey
    let isResourceLayer = step.layer == .resource
    var onlyDenies = false
    if case .resourceControl = step.layer { onlyDenies = true }
    // Each policy is visited without retaining it, as in `LayerEvaluation.evaluate(_:matcher:)`.
    for index in step.policies.indices {
      let finished = Unmanaged.passUnretained(step.policies[index])._withUnsafeGuaranteedRef { policy in
        policy.forEachCandidate(service: service, lowercasedName: name, into: &self) {
          summary, statement, actionMatched in
          if statement.effect == .allow
            && (onlyDenies || (summary.hasAllow && (!isResourceLayer || summary.bestAllowPrincipal == .direct)))
          {
            return true
          }
          let outcome = matcher.evaluate(statement, actionMatched: actionMatched)
          guard outcome.applies else { return true }
          if statement.effect == .deny {
            summary.hasDeny = true
            return false
          }
          summary.hasAllow = true
          if let match = outcome.principalMatch, summary.bestAllowPrincipal.map({ match > $0 }) ?? true {
            summary.bestAllowPrincipal = match
          }
          return true
        }
      }
      if !finished { return }
    }
  }

  init(hasDeny: Bool, hasAllow: Bool, bestAllowPrincipal: PrincipalMatch?) {
    self.hasDeny = hasDeny
    self.hasAllow = hasAllow
    self.bestAllowPrincipal = bestAllowPrincipal
  }
}
