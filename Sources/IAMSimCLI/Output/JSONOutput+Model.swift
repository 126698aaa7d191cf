import IAMEvaluation
import IAMPolicy

extension JSONOutput {
  /// A diagnostic as JSON.
  static func diagnostic(_ diagnostic: Diagnostic) -> JSONOutput {
    .object([
      ("code", .string(diagnostic.code.rawValue)),
      ("severity", .string(diagnostic.severity.rawValue)),
      ("message", .string(diagnostic.message)),
      ("file", .optional(diagnostic.file)),
      ("path", .string(diagnostic.path.description)),
      ("line", diagnostic.position.map { .int($0.line) } ?? .null),
      ("column", diagnostic.position.map { .int($0.column) } ?? .null),
    ])
  }

  /// A statement reference as JSON.
  static func statement(_ reference: StatementReference) -> JSONOutput {
    .object([
      ("policy", .string(reference.policy)),
      ("layer", .string(reference.layer.name)),
      ("sid", .optional(reference.sid)),
      ("index", .int(reference.index)),
      ("effect", .string(reference.effect.rawValue)),
      ("path", .string(reference.path.description)),
      ("line", .int(reference.position.line)),
      ("column", .int(reference.position.column)),
    ])
  }

  /// A mismatch as JSON.
  static func mismatch(_ mismatch: Mismatch) -> JSONOutput {
    var members: [(String, JSONOutput)] = [("element", .string(mismatch.kind)), ("message", .string(mismatch.description))]
    if case .condition(let operatorName, let key, let policyValues, let requestValues) = mismatch {
      members += [
        ("operator", .string(operatorName)), ("key", .string(key)), ("policyValues", .array(policyValues.map(JSONOutput.string))),
        ("requestValues", requestValues.map { .array($0.map(JSONOutput.string)) } ?? .null),
      ]
    }
    return .object(members)
  }

  /// A ``DecisionCondition``: `{"allowed", "alternatives": [[{"key", "in"|"like"|"notIn"}]], "truncated",
  /// "sentence"}`; `notIn: []` means any value.
  static func condition(_ condition: DecisionCondition) -> JSONOutput {
    let alternatives = condition.alternatives.map { terms in
      JSONOutput.array(terms.map { term in
        var members: [(String, JSONOutput)] = [("key", .string(term.key))]
        if let excluded = term.excluded {
          members.append(("notIn", .array(excluded.map(JSONOutput.string))))
        } else {
          if !term.values.isEmpty { members.append(("in", .array(term.values.map(JSONOutput.string)))) }
          if !term.patterns.isEmpty { members.append(("like", .array(term.patterns.map(JSONOutput.string)))) }
        }
        return .object(members)
      })
    }
    return .object([("allowed", .bool(condition.allowed)), ("alternatives", .array(alternatives)),
                    ("truncated", .bool(condition.truncated)), ("sentence", .string(condition.sentence))])
  }

  /// A response as JSON, with the request it answers.
  static func response(_ response: Response, for request: AuthorizationRequest) -> JSONOutput {
    var members: [(String, JSONOutput)] = [
      ("action", .string(request.action)),
      ("resource", .string(request.resource)),
      ("principal", .string(request.principal.arn)),
      ("decision", .string(response.decision.rawValue)),
      ("decidingLayer", .string(response.decidingLayer.name)),
      ("rule", .string(response.rule.rawValue)),
      ("reason", .string(response.reason)),
      ("determiningStatements", .array(response.determiningStatements.map(JSONOutput.statement))),
      ("layers", .array(response.layers.map { layer in
        .object([("layer", .string(layer.layer.name)), ("verdict", .string(layer.verdict.rawValue)),
                 ("statements", .array(layer.statements.map(JSONOutput.statement)))])
      })),
      ("missingContextKeys", .array(response.missingContextKeys.map(JSONOutput.string))),
      ("diagnostics", .array(response.diagnostics.map(JSONOutput.diagnostic))),
    ]
    if let condition = response.changesIf { members.append(("changesIf", .condition(condition))) }
    if let explanation = response.explanation {
      let statement = { (item: StatementExplanation) -> JSONOutput in
        .object([("statement", .statement(item.statement)), ("applies", .bool(item.mismatch == nil)),
                 ("matchedAction", .optional(item.matchedAction)),
                 ("mismatch", item.mismatch.map(JSONOutput.mismatch) ?? .null)])
      }
      members.append(("explanation", .object([
        ("statements", .array(explanation.statements.map(statement))),
        ("nearestAllow", explanation.nearestAllow.map(statement) ?? .null),
      ])))
    }
    return .object(members)
  }
}
