import IAMPolicy

/// The context under which a request's decision would change: "allowed if aws:RequestedRegion ∈ {eu-west-1,
/// eu-central-1}" for a request that names no Region, or "denied if …" for one that is allowed.
///
/// It is derived from the policies, never guessed: the keys are those the relevant statements tested and the
/// request lacked (``Response/missingContextKeys``), less the keys that describe the caller (its tags, ARN, user
/// ID: the question fixes who asks). The values tried are those the policies' conditions name for each key (and a
/// value one step past a numeric bound, and, where every condition on the key compares whole strings, a value no
/// policy names), and every combination the answer lists was decided by the same ``Authorizer``. What it lists is
/// therefore proven for each value it names; a value it does not name (other than "any value but …", which is only
/// given where every test of the key is an exact comparison) may still decide either way.
public struct DecisionCondition: Sendable, Hashable {
  /// Whether the decision under the condition is `allowed` (the request was not), or not allowed (it was).
  public var allowed: Bool
  /// Any one alternative suffices; every term of an alternative must hold.
  public var alternatives: [[Term]]
  /// Whether more combinations decide the same way than ``alternatives`` lists.
  public var truncated: Bool

  /// What one key must be.
  public struct Term: Sendable, Hashable {
    /// The key as the policies spell it.
    public var key: String
    /// Values, each proven: the key is one of them.
    public var values: [String]
    /// Wildcard patterns or address ranges of the policies, each proven with a value it matches.
    public var patterns: [String]
    /// When not `nil`: any value but these (every test of the key compares whole strings). Empty: any value.
    public var excluded: [String]?

    /// `aws:RequestedRegion ∈ {eu-west-1, eu-central-1}`.
    public var sentence: String {
      if let excluded {
        return excluded.isEmpty
          ? "\(key) is given (any value)"
          : excluded.count == 1 ? "\(key) ≠ \(excluded[0])" : "\(key) ∉ {\(excluded.joined(separator: ", "))}"
      }
      var parts: [String] = []
      if values.count == 1 { parts.append("\(key) = \(values[0])") }
      if values.count > 1 { parts.append("\(key) ∈ {\(values.joined(separator: ", "))}") }
      parts += patterns.map { "\(key) matches \($0)" }
      return parts.count == 1 ? parts[0] : "(" + parts.joined(separator: " or ") + ")"
    }
  }

  /// `allowed if aws:RequestedRegion ∈ {eu-west-1, eu-central-1} and aws:MultiFactorAuthPresent = true`.
  public var sentence: String {
    let clauses = alternatives.map { terms in terms.map(\.sentence).joined(separator: " and ") }
    let joined =
      clauses.count == 1 ? clauses[0] : clauses.map { "(\($0))" }.joined(separator: " or ")
    return (allowed ? "allowed if " : "denied if ") + joined + (truncated ? " or …" : "")
  }

  /// The most keys varied together, the most values tried per key, the most combinations decided, and the most
  /// alternatives listed.
  static let maximumKeys = 3
  static let maximumValues = 24
  static let maximumCombinations = 2_048
  static let maximumAlternatives = 8
  /// The value standing for one no policy names.
  static let unnamedValue = "iamsim-unnamed-value"

  /// Whether a key describes the caller, which the question fixes: its principal keys and tags, its user ID and
  /// name, how it signed in, its source identity.
  static func describesCaller(_ lowercasedKey: String) -> Bool {
    ["aws:principal", "aws:userid", "aws:username", "aws:federatedprovider", "aws:sourceidentity", "saml:",
     "identitystore:"].contains { lowercasedKey.hasPrefix($0) }
  }
}

/// The values to try for one key, from the conditions that test it.
struct KeyCandidates {
  struct Candidate {
    /// The value put into the request.
    var value: String
    /// How the answer names it: the value, or the pattern or range it stands for.
    var label: String
    var isPattern: Bool
  }

  let key: String
  var candidates: [Candidate] = []
  /// Whether ``candidates`` ends with a value no policy names, which then stands for every such value.
  var hasUnnamed = false
  /// Whether the candidates cover every value the key can take (booleans, or an unnamed one).
  var exhaustive = false

  init(key: String, lowercasedKey: String, conditions: [Condition]) {
    self.key = key
    var seen: Set<String> = []
    var wholeStrings = true
    var boolOnly = true
    func add(_ value: String, label: String? = nil, pattern: Bool = false) {
      guard candidates.count < DecisionCondition.maximumValues, seen.insert(value).inserted else { return }
      candidates.append(Candidate(value: value, label: label ?? value, isPattern: pattern))
    }
    for condition in conditions where condition.unusableReason == nil {
      let base = condition.conditionOperator.base
      if base.family != .bool { boolOnly = false }
      if base.family != .string && base.family != .null { wholeStrings = false }
      for value in condition.values where !value.template.hasVariables {
        switch value.parsed {
        case .pattern:
          if value.text.contains(where: { $0 == "*" || $0 == "?" }) {
            let instance = String(value.text.map { $0 == "?" ? "x" : $0 }.filter { $0 != "*" })
            add(instance, label: value.text, pattern: true)
          } else {
            add(value.text)
          }
        case .number:
          add(value.text)
          if let integer = Int(value.text) {
            if [.numericLessThan, .numericNotEquals].contains(base) { add(String(integer - 1)) }
            if [.numericGreaterThan, .numericNotEquals].contains(base) { add(String(integer + 1)) }
          }
        case .bool:
          add("true")
          add("false")
        case .ipRange:
          let address = String(value.text.prefix { $0 != "/" })
          add(address, label: value.text, pattern: value.text.contains("/"))
        case .arn:
          if value.text.contains(where: { $0 == "*" || $0 == "?" }) {
            add(String(value.text.map { $0 == "?" ? "x" : $0 }.filter { $0 != "*" }), label: value.text, pattern: true)
          } else {
            add(value.text)
          }
        case .text, .date, .binary:
          add(value.text)
        }
      }
    }
    if boolOnly && !conditions.isEmpty {
      add("true")
      add("false")
      exhaustive = true
    } else if wholeStrings && !seen.contains(DecisionCondition.unnamedValue) {
      candidates.append(Candidate(value: DecisionCondition.unnamedValue, label: "", isPattern: false))
      hasUnnamed = true
      exhaustive = true
    }
  }
}

extension Authorizer {
  /// The context under which `response`, this authorizer's answer to `request`, would change: `nil` when the
  /// decision does not depend on a key the request lacks (or no value the policies name changes it).
  ///
  /// - Complexity: at most ``DecisionCondition/maximumCombinations`` authorizations.
  public func decisionCondition(for request: AuthorizationRequest, response: Response) -> DecisionCondition? {
    let keys = response.missingContextKeys.filter { !DecisionCondition.describesCaller($0.lowercased()) }
    guard !keys.isEmpty else { return nil }
    var conditions: [String: [Condition]] = [:]
    let wanted = Set(keys.map { $0.lowercased() })
    for policy in plan.allPolicies {
      for statement in policy.document.statements {
        for condition in statement.conditions where wanted.contains(condition.lookupKey) {
          conditions[condition.lookupKey, default: []].append(condition)
        }
      }
    }
    var candidates = keys.prefix(DecisionCondition.maximumKeys).map { key in
      KeyCandidates(key: key, lowercasedKey: key.lowercased(), conditions: conditions[key.lowercased()] ?? [])
    }
    candidates.removeAll { $0.candidates.isEmpty }
    guard !candidates.isEmpty else { return nil }
    let total = candidates.reduce(1) { $0 * $1.candidates.count }
    guard total <= DecisionCondition.maximumCombinations else { return nil }
    let wasAllowed = response.decision == .allowed
    // Every combination, decided; those whose answer differs from the request's are kept.
    var flipped: [[Int]] = []
    var choice = [Int](repeating: 0, count: candidates.count)
    for _ in 0..<total {
      var varied = request
      for (position, key) in candidates.enumerated() {
        varied.context.set(key.key, key.candidates[choice[position]].value)
      }
      if (decision(for: PreparedRequest(varied, derivingKeys: readsDerivedKeys)) == .allowed) != wasAllowed { flipped.append(choice) }
      for position in choice.indices.reversed() {
        choice[position] += 1
        if choice[position] < candidates[position].candidates.count { break }
        choice[position] = 0
      }
    }
    guard !flipped.isEmpty else { return nil }
    return DecisionCondition(flipped: flipped, candidates: candidates, allowed: !wasAllowed)
  }
}

extension DecisionCondition {
  /// The condition that the `flipped` combinations (indexes into each key's candidates) describe: one alternative
  /// when they are every combination of some values per key (keys whose every value is among them need only be
  /// given), otherwise one alternative per combination.
  init(flipped: [[Int]], candidates: [KeyCandidates], allowed: Bool) {
    self.allowed = allowed
    let perKey = candidates.indices.map { position in Set(flipped.map { $0[position] }) }
    let product = perKey.reduce(1) { $0 * $1.count }
    func term(_ position: Int, _ chosen: Set<Int>) -> Term? {
      let key = candidates[position]
      if chosen.count == key.candidates.count && key.exhaustive { return nil }
      let picked = chosen.sorted().map { key.candidates[$0] }
      if key.hasUnnamed && chosen.contains(key.candidates.count - 1) {
        let excluded = key.candidates.indices.filter { !chosen.contains($0) }.map { key.candidates[$0].label }
        return Term(key: key.key, values: [], patterns: [], excluded: excluded)
      }
      return Term(key: key.key, values: picked.filter { !$0.isPattern }.map(\.label),
                  patterns: picked.filter(\.isPattern).map(\.label), excluded: nil)
    }
    if product == flipped.count {
      let terms = candidates.indices.compactMap { term($0, perKey[$0]) }
      // Every combination flips: each key need only be given.
      alternatives = [terms.isEmpty ? candidates.map { Term(key: $0.key, values: [], patterns: [], excluded: []) } : terms]
      truncated = false
    } else {
      alternatives = flipped.prefix(DecisionCondition.maximumAlternatives).map { combination in
        candidates.indices.compactMap { position in
          let key = candidates[position]
          let index = combination[position]
          if key.hasUnnamed && index == key.candidates.count - 1 {
            let named = key.candidates.dropLast().map(\.label)
            return Term(key: key.key, values: [], patterns: [], excluded: named)
          }
          let candidate = key.candidates[index]
          return Term(key: key.key, values: candidate.isPattern ? [] : [candidate.label],
                      patterns: candidate.isPattern ? [candidate.label] : [], excluded: nil)
        }
      }
      truncated = flipped.count > DecisionCondition.maximumAlternatives
    }
  }
}

extension Authorizer {
  /// Authorizes a request and adds the context it lacks under which the decision would change
  /// (``Response/changesIf``).
  public func authorizeWithCondition(_ request: AuthorizationRequest, explain: Bool = false) -> Response {
    var response = authorize(request, explain: explain)
    response.changesIf = decisionCondition(for: request, response: response)
    return response
  }
}
