import IAMEvaluation
import IAMPolicy

/// Renders responses as text for people.
enum ResponseText {
  /// The answer to one request, with its reason and deciding statements, and with `explain` every statement.
  static func render(
    _ response: Response, for request: AuthorizationRequest, explain: Bool, colour: Colour = .none
  ) -> String {
    var lines = ["\(request.action) on \(request.resource): \(colour.decision(response.decision))"]
    lines.append("  why: \(response.reason)")
    for statement in response.determiningStatements {
      lines.append("  decided by: \(statement.layer.name) \(statement)")
    }
    if !response.missingContextKeys.isEmpty {
      lines.append("  context keys tested but not in the request: \(response.missingContextKeys.joined(separator: ", "))")
    }
    if let condition = response.changesIf { lines.append("  would be \(condition.sentence)") }
    for diagnostic in response.diagnostics {
      lines.append("  \(diagnostic.severity.rawValue): \(diagnostic.message)")
    }
    if explain, let explanation = response.explanation {
      lines.append("  statements:")
      for item in explanation.statements {
        let verdict =
          item.mismatch.map { "does not apply: \($0)" }
          ?? "applies (\(item.statement.effect.rawValue)): \(item.matchedAction ?? "")"
        lines.append("    [\(item.statement.layer.name)] \(item.statement): \(verdict)")
      }
      if explanation.statements.isEmpty { lines.append("    (no statements)") }
      if let nearest = explanation.nearestAllow, let mismatch = nearest.mismatch, case .action = mismatch {
        lines.append("  nearest to allowing it: no Allow statement in \(response.decidingLayer) matches the action `\(request.action)`")
      } else if let nearest = explanation.nearestAllow, let mismatch = nearest.mismatch {
        lines.append("  nearest to allowing it: \(nearest.statement), which lacks: \(mismatch)")
      } else if response.decision == .implicitDeny {
        lines.append("  nearest to allowing it: no Allow statement in \(response.decidingLayer) came close")
      }
    }
    return lines.joined(separator: "\n")
  }
}
