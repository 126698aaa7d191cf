import IAMPolicy

@testable import IAMEvaluation

/// A deliberately plain evaluator of rules E-3 and M-9 over the vocabulary of ``RandomStatement``:
/// no indexes, no compiled patterns, a recursive glob. The optimised ``Authorizer`` must agree with it.
enum ReferenceAuthorizer {
  static func decision(
    identity: [[RandomStatement]], boundary: [RandomStatement]?, scpLevels: [[RandomStatement]],
    request: AuthorizationRequest
  ) -> Decision {
    let context = request.principal.derivedContext.merging(request.context)
    func value(_ key: String) -> String? {
      guard let entry = context[key], !entry.isMultivalued else { return nil }
      return entry.values.first
    }
    func glob(_ pattern: [Character], _ text: [Character]) -> Bool {
      guard let first = pattern.first else { return text.isEmpty }
      if first == "*" { return (0...text.count).contains { glob(Array(pattern.dropFirst()), Array(text.dropFirst($0))) } }
      guard let head = text.first, first == "?" || first == head else { return false }
      return glob(Array(pattern.dropFirst()), Array(text.dropFirst()))
    }
    func actionMatches(_ pattern: String) -> Bool {
      if pattern == "*" { return true }
      let p = pattern.lowercased().split(separator: ":", maxSplits: 1).map(String.init)
      let a = request.action.lowercased().split(separator: ":", maxSplits: 1).map(String.init)
      return p[0] == a[0] && glob(Array(p[1]), Array(a[1]))
    }
    func resourceMatches(_ pattern: String) -> Bool {
      if pattern == "*" { return true }
      guard request.resource.hasPrefix("arn:") else { return false }
      var resolved = pattern
      if pattern.contains("${aws:PrincipalTag/team}") {
        guard let team = value("aws:PrincipalTag/team") else { return false }
        resolved = pattern.replacingOccurrences(of: "${aws:PrincipalTag/team}", with: team)
      }
      let p = resolved.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false).map { Array($0) }
      let r = request.resource.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false).map { Array($0) }
      return p.count == 6 && r.count == 6 && zip(p, r).allSatisfy { glob($0, $1) }
    }
    func conditionHolds(_ spec: RandomStatement.ConditionSpec) -> Bool {
      let present = value(spec.key)
      switch spec.op {
      case "Null": return (present == nil) == (spec.values[0] == "true")
      case "StringEquals", "StringEqualsIfExists":
        guard let present else { return spec.op.hasSuffix("IfExists") }
        return spec.values.contains { policyValue in
          if policyValue == "${aws:PrincipalTag/region}" { return value("aws:PrincipalTag/region") == present }
          return policyValue == present
        }
      case "StringNotEquals":
        guard let present else { return true }
        return !spec.values.contains(present)
      case "StringLike":
        guard let present else { return false }
        return spec.values.contains { glob(Array($0), Array(present)) }
      case "Bool", "BoolIfExists":
        guard let present else { return spec.op.hasSuffix("IfExists") }
        return spec.values.contains { $0 == present.lowercased() }
      default: preconditionFailure("unknown operator \(spec.op)")
      }
    }
    func applies(_ statement: RandomStatement) -> Bool {
      let action = statement.actions.contains(where: actionMatches) != statement.notAction
      let resource = statement.resources.contains(where: resourceMatches) != statement.notResource
      return action && resource && statement.conditions.allSatisfy(conditionHolds)
    }
    func verdict(_ statements: [RandomStatement]) -> (deny: Bool, allow: Bool) {
      let applying = statements.filter(applies)
      return (applying.contains { $0.effect == "Deny" }, applying.contains { $0.effect == "Allow" })
    }
    let identityVerdicts = identity.map(verdict)
    let boundaryVerdict = boundary.map(verdict)
    let scpVerdicts = scpLevels.map(verdict)
    if identityVerdicts.contains(where: \.deny) || boundaryVerdict?.deny == true || scpVerdicts.contains(where: \.deny) {
      return .explicitDeny
    }
    if scpVerdicts.contains(where: { !$0.allow }) { return .implicitDeny }
    guard identityVerdicts.contains(where: \.allow) else { return .implicitDeny }
    if let boundaryVerdict, !boundaryVerdict.allow { return .implicitDeny }
    return .allowed
  }
}
