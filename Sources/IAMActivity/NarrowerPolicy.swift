import IAMCatalog
import IAMPolicy

/// A narrower identity policy cut from a permission set's own statements.
///
/// Each Allow statement keeps its `Resource` (or `NotResource`) and `Condition` exactly, and its `Action` becomes the
/// actions to keep that it matched; so the result can never grant an action, a resource or a context the statement
/// did not. Each Deny statement that could apply to an action kept is carried over the same way (`NotAction`
/// becomes the kept actions it does not exclude), so that nothing the permission set denied becomes allowed.
/// Statements with the same effect, resources and conditions are merged. Only catalog action names are written.
public enum NarrowerPolicy {
  /// The policy's JSON text, or `nil` when no Allow statement of the documents grants any of the actions.
  ///
  /// - Parameters:
  ///   - documents: the permission set's identity policies (managed, customer managed, inline).
  ///   - actions: the catalog actions to keep.
  ///   - catalog: the catalog that expands the statements' action patterns.
  public static func build(from documents: [PolicyDocument], keeping actions: Set<String>, catalog: Catalog) -> String? {
    var expansions: [String: Set<String>] = [:]
    func matched(_ clause: ActionClause, among candidates: Set<String>) -> Set<String> {
      var named = Set<String>()
      for pattern in clause.patterns {
        if let known = expansions[pattern.source] {
          named.formUnion(known)
        } else {
          let expanded = Set(catalog.actions(matching: pattern.source).map(\.qualifiedName))
          expansions[pattern.source] = expanded
          named.formUnion(expanded)
        }
      }
      return clause.isNegated ? candidates.subtracting(named) : candidates.intersection(named)
    }
    var groups: [Group] = []
    func add(_ effect: Statement.Effect, _ actions: Set<String>, _ statement: Statement, escaping: Bool) {
      guard let resource = statement.resource else { return }
      let resourceKey = resource.isNegated ? "NotResource" : "Resource"
      let resourceValue = render(resource.patterns.map { escape($0.source, escaping) })
      let condition = renderCondition(statement.conditions, escaping: escaping)
      let key = effect.rawValue + "\u{0}" + resourceKey + "\u{0}" + resourceValue.rendered() + "\u{0}"
        + (condition?.rendered() ?? "")
      if let index = groups.firstIndex(where: { $0.key == key }) {
        groups[index].actions.formUnion(actions)
      } else {
        groups.append(Group(key: key, effect: effect, actions: actions, resourceKey: resourceKey,
                            resource: resourceValue, condition: condition))
      }
    }
    var allowed = Set<String>()
    for document in documents {
      let escaping = !document.version.substitutesVariables
      for statement in document.statements where statement.effect == .allow && isUsable(statement) {
        let kept = matched(statement.action, among: actions)
        guard !kept.isEmpty else { continue }
        allowed.formUnion(kept)
        add(.allow, kept, statement, escaping: escaping)
      }
    }
    guard !allowed.isEmpty else { return nil }
    for document in documents {
      let escaping = !document.version.substitutesVariables
      for statement in document.statements where statement.effect == .deny && statement.principal == nil {
        let kept = matched(statement.action, among: allowed)
        guard !kept.isEmpty else { continue }
        add(.deny, kept, statement, escaping: escaping)
      }
    }
    let ordered = groups.filter { $0.effect == .allow } + groups.filter { $0.effect == .deny }
    let statements: [JSONOutput] = ordered.map { group in
      var members: [(String, JSONOutput)] = [
        ("Effect", .string(group.effect.rawValue)), ("Action", render(group.actions.sorted())), (group.resourceKey, group.resource),
      ]
      if let condition = group.condition { members.append(("Condition", condition)) }
      return .object(members)
    }
    return JSONOutput.object([("Version", "2012-10-17"), ("Statement", .array(statements))]).rendered(pretty: true)
  }

  private struct Group {
    var key: String
    var effect: Statement.Effect
    var actions: Set<String>
    var resourceKey: String
    var resource: JSONOutput
    var condition: JSONOutput?
  }

  /// An Allow statement that can grant: an identity statement whose resources and conditions were all readable.
  private static func isUsable(_ statement: Statement) -> Bool {
    statement.principal == nil && statement.unusableReason == nil && statement.conditions.allSatisfy { $0.unusableReason == nil }
  }

  /// One value as a string, several as an array.
  private static func render(_ values: [String]) -> JSONOutput {
    values.count == 1 ? .string(values[0]) : .array(values.map(JSONOutput.string))
  }

  /// A statement's conditions as a `Condition` block: operators in their first order, keys under each.
  private static func renderCondition(_ conditions: [Condition], escaping: Bool) -> JSONOutput? {
    guard !conditions.isEmpty else { return nil }
    var operators: [(String, [(String, JSONOutput)])] = []
    for condition in conditions {
      let name = condition.conditionOperator.description
      let values = render(condition.values.map { escape($0.text, escaping) })
      if let index = operators.firstIndex(where: { $0.0 == name }) {
        operators[index].1.append((condition.key, values))
      } else {
        operators.append((name, [(condition.key, values)]))
      }
    }
    return .object(operators.map { ($0.0, JSONOutput.object($0.1)) })
  }

  /// Text of a policy without variable substitution (Version 2008-10-17 or none), written for a 2012-10-17 policy:
  /// `${` stays literal as `${$}{`.
  private static func escape(_ text: String, _ escaping: Bool) -> String {
    escaping ? text.replacingOccurrences(of: "${", with: "${$}{") : text
  }
}

extension String {
  /// Every occurrence of `target` replaced (Foundation-free).
  fileprivate func replacingOccurrences(of target: String, with replacement: String) -> String {
    guard !target.isEmpty, contains(target) else { return self }
    var result = ""
    var rest = self[...]
    while let range = rest.firstRange(of: target) {
      result += rest[..<range.lowerBound]
      result += replacement
      rest = rest[range.upperBound...]
    }
    return result + rest
  }
}
