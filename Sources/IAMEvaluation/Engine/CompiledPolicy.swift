import IAMPolicy

/// A policy with its statements indexed by service prefix, so that a request only looks at
/// the statements that can name its action, and only at their patterns for its service.
final class CompiledPolicy: Sendable {
  let document: PolicyDocument
  /// The statements in document order.
  let statements: [CompiledStatement]
  /// For each lower-cased service prefix, the statements whose `Action` names it, with the name patterns
  /// of just that service.
  let byService: ServiceIndex
  /// Statements every request must look at: `NotAction`, or an `Action` of `*`. Held by ``statements``, and read
  /// without retaining them: the policy outlives every evaluation that visits it.
  let everyService: [Unmanaged<CompiledStatement>]

  /// A statement that names a service in its `Action`, and the name patterns it has for that service.
  struct ServiceCandidate: Sendable {
    /// The statement, held by the policy's ``CompiledPolicy/statements``, and read without retaining it.
    let statement: Unmanaged<CompiledStatement>
    let names: [WildcardPattern]

    /// Whether one of the patterns matches the lower-cased action name: the statement's `Action` matches.
    @inline(__always)
    func matches(_ lowercasedName: UnsafeBufferPointer<UInt8>) -> Bool {
      for name in names where name.matches(utf8: lowercasedName) { return true }
      return false
    }
  }

  /// Compiles a policy for a layer. `endpointType` matters for the VPC endpoint layer, `restrictPublicBuckets` for
  /// the resource layer (a public bucket policy's grants are then limited; see ``CompiledStatement/publicAccess``).
  init(_ document: PolicyDocument, layer: Layer, endpointType: VPCEndpointType? = nil, restrictPublicBuckets: Bool = false) {
    self.document = document
    let accountPrincipals: AccountPrincipals =
      layer != .vpcEndpoint ? .account : endpointType == .gateway ? .rootUserOnly : .undocumented
    let isPublic = layer == .resource && restrictPublicBuckets && document.isPublic
    statements = document.statements.map { statement in
      let restriction: PublicAccessRestriction? =
        isPublic && statement.effect == .allow ? (statement.grantsPublicAccess ? .everyone : .outsideOwner) : nil
      return CompiledStatement(statement, in: document, layer: layer, accountPrincipals: accountPrincipals, publicAccess: restriction)
    }
    var byService: [HashedKey: [ServiceCandidate]] = [:]
    var everyService: [Unmanaged<CompiledStatement>] = []
    for statement in statements {
      let action = statement.statement.action
      if action.isNegated || action.patterns.contains(where: \.matchesEverything) {
        everyService.append(.passUnretained(statement))
        continue
      }
      var names: [String: [WildcardPattern]] = [:]
      var order: [String] = []
      for pattern in action.patterns {
        guard let name = pattern.name else { continue }
        if names[pattern.service] == nil { order.append(pattern.service) }
        names[pattern.service, default: []].append(name)
      }
      for service in order {
        byService[HashedKey(service), default: []].append(ServiceCandidate(statement: .passUnretained(statement), names: names[service]!))
      }
    }
    self.byService = ServiceIndex(byService)
    self.everyService = everyService
    readsContext = document.statements.contains { statement in
      !statement.conditions.isEmpty
        || (statement.resource?.patterns ?? []).contains { pattern in
          if case .template = pattern.matcher { true } else { false }
        }
    }
    readsDerivedKeys = document.statements.contains { statement in
      let resourceKeys = (statement.resource?.patterns ?? []).flatMap { pattern -> [String] in
        if case .template(let template) = pattern.matcher { template.variableKeys } else { [] }
      }
      return resourceKeys.contains(where: DerivedContextKeys.isDerived)
        || statement.conditions.contains { condition in
          DerivedContextKeys.isDerived(condition.lookupKey)
            || condition.values.contains { $0.template.variableKeys.contains(where: DerivedContextKeys.isDerived) }
        }
    }
  }

  /// Whether a statement may read a context key derived from the caller: a condition's key, or a variable of a
  /// condition value or a resource.
  let readsDerivedKeys: Bool
  /// Whether a statement may look up any context key: it has a condition, or a resource with a variable.
  let readsContext: Bool

  /// Calls `body` with each statement that may match the request's action, in no particular order, and
  /// whether its `Action` is already known to match (statements found by service whose patterns name the
  /// action). Statements found by service whose patterns do not name the action are skipped: they cannot apply.
  /// `body` returns `false` to stop.
  ///
  /// - Complexity: O(k) in the number of candidate statements and their patterns for the service.
  @inline(__always)
  func forEachCandidate<State>(
    service: HashedKey, lowercasedName: UnsafeBufferPointer<UInt8>, into state: inout State,
    _ body: (inout State, CompiledStatement, _ actionMatched: Bool) -> Bool
  ) -> Bool {
    for statement in everyService where !statement._withUnsafeGuaranteedRef({ body(&state, $0, false) }) { return false }
    guard let slot = byService.slot(of: service) else { return true }
    // The candidates are read where they are: a copy of the list, or of a candidate, retained its array.
    return byService.withCandidates(at: slot) { candidates in
      for index in candidates.indices where candidates[index].matches(lowercasedName) {
        if !candidates[index].statement._withUnsafeGuaranteedRef({ body(&state, $0, true) }) { return false }
      }
      return true
    }
  }

  /// The candidates by service: open addressing on the services' hashes computed once, so that looking a request's
  /// service up hashes nothing (a `Dictionary` of ``HashedKey`` hashed its hash again on every request).
  struct ServiceIndex: Sendable {
    /// A power of two, at least twice the number of services.
    private let keys: [HashedKey?]
    private let candidates: [[ServiceCandidate]]

    init(_ byService: [HashedKey: [ServiceCandidate]]) {
      var capacity = 8
      while capacity < 2 * byService.count { capacity *= 2 }
      var keys = [HashedKey?](repeating: nil, count: capacity)
      var candidates = [[ServiceCandidate]](repeating: [], count: capacity)
      for (key, list) in byService {
        var index = key.hash & (capacity - 1)
        while keys[index] != nil { index = (index + 1) & (capacity - 1) }
        keys[index] = key
        candidates[index] = list
      }
      self.keys = keys
      self.candidates = candidates
    }

    /// The slot of a service, if any statement names it.
    @inline(__always)
    func slot(of service: HashedKey) -> Int? {
      keys.withUnsafeBufferPointer { keys in
        let mask = keys.count - 1
        var index = service.hash & mask
        while let key = keys[index] {
          if key.hash == service.hash && key.text == service.text { return index }
          index = (index + 1) & mask
        }
        return nil
      }
    }

    /// Calls `body` with the candidates of a slot, in place.
    @inline(__always)
    func withCandidates<Result>(at slot: Int, _ body: (UnsafeBufferPointer<ServiceCandidate>) -> Result) -> Result {
      candidates.withUnsafeBufferPointer { $0[slot].withUnsafeBufferPointer(body) }
    }
  }
}

/// A statement ready for evaluation, with the reference that names it in responses.
final class CompiledStatement: Sendable {
  /// The statement as read.
  let statement: Statement
  let effect: Statement.Effect
  /// Whether the `Action` or `NotAction` holds `*`.
  let actionHasEverything: Bool
  /// The `Action` or `NotAction` name patterns by service, so that a statement every request visits (a
  /// `NotAction`) looks at one service's patterns only. Such lists are short: a scan comparing precomputed
  /// hashes costs less than hashing for a dictionary.
  let actionNames: [(service: HashedKey, names: [WildcardPattern])]
  /// The `Resource` or `NotResource` patterns, each held once so that visiting one copies a reference;
  /// `nil` without either element.
  let resourcePatterns: [ResourcePatternBox]?
  /// Its conditions, each held once, so that evaluating one does not copy it.
  let conditions: [CompiledCondition]
  /// How responses name it.
  let reference: StatementReference
  /// ``reference`` alone in an array, made once: a layer where it is the only statement that applies hands this
  /// array out instead of allocating one per request.
  let references: [StatementReference]
  /// Its layer's result when it is the only statement of the layer that applies, made once for the same reason.
  let soleResult: [LayerResult]
  /// What an account principal in its `Principal` names.
  let accountPrincipals: AccountPrincipals
  /// For an Allow of a public bucket policy under RestrictPublicBuckets: whom it no longer grants to (S3 requests).
  let publicAccess: PublicAccessRestriction?

  init(
    _ statement: Statement, in document: PolicyDocument, layer: Layer, accountPrincipals: AccountPrincipals = .account,
    publicAccess: PublicAccessRestriction? = nil
  ) {
    self.statement = statement
    self.accountPrincipals = accountPrincipals
    self.publicAccess = publicAccess
    effect = statement.effect
    actionHasEverything = statement.action.patterns.contains(where: \.matchesEverything)
    var actionNames: [(service: HashedKey, names: [WildcardPattern])] = []
    var positions: [String: Int] = [:]
    for pattern in statement.action.patterns {
      guard let name = pattern.name else { continue }
      if let index = positions[pattern.service] {
        actionNames[index].names.append(name)
      } else {
        positions[pattern.service] = actionNames.count
        actionNames.append((HashedKey(pattern.service), [name]))
      }
    }
    self.actionNames = actionNames
    resourcePatterns = statement.resource.map { $0.patterns.map(ResourcePatternBox.init) }
    conditions = statement.conditions.map(CompiledCondition.init)
    reference = StatementReference(statement, in: document, layer: layer)
    references = [reference]
    soleResult = [LayerResult(layer: layer, verdict: statement.effect == .deny ? .deny : .allow, statements: references)]
  }

  /// Whether the `Action` (or `NotAction`) names the action: what
  /// `patterns.contains { $0.matches(service:lowercasedName:) }` says, by service.
  @inline(__always)
  func actionNamed(service: HashedKey, lowercasedName: UnsafeBufferPointer<UInt8>) -> Bool {
    if actionHasEverything { return true }
    for entry in actionNames where entry.service.hash == service.hash && entry.service.text == service.text {
      for name in entry.names where name.matches(utf8: lowercasedName) { return true }
      return false
    }
    return false
  }
}

/// What an account principal (`123456789012`, `arn:aws:iam::123456789012:root`) names in a statement's `Principal`.
enum AccountPrincipals: Sendable {
  /// The account: every identity in it whose own policies allow (resource-based policies).
  case account
  /// The account's root user only: "For gateway endpoints, if you specify the principal in the format
  /// "AWS":"AWS-account-ID" or "AWS":"arn:aws:iam::AWS-account-ID:root", access is granted to the AWS account root
  /// user only, and not all IAM users and roles for the account."
  case rootUserOnly
  /// Undocumented (an interface endpoint's policy, or one of unknown kind): an Allow that names the caller only
  /// through its account does not apply, a Deny does.
  case undocumented
}

/// Whom an Allow of a public bucket policy no longer grants to under S3 Block Public Access's RestrictPublicBuckets,
/// which "restricts access to an access point or bucket with a public policy to only AWS service principals and
/// authorized users within the bucket owner's account" and "blocks public and cross-account access derived from any
/// public access point or bucket policy, including non-public delegation to specific accounts".
enum PublicAccessRestriction: Sendable {
  /// A non-public statement of a public policy: callers outside the bucket owner's account.
  case outsideOwner
  /// A public statement: every caller (fail closed: AWS does not say that the public statement itself authorizes
  /// users of the owner's account; their own identity-based policies still can).
  case everyone
}

/// A resource pattern held in a class, so that visiting one copies a reference rather than the pattern.
final class ResourcePatternBox: Sendable {
  let pattern: ResourcePattern

  /// The pattern's variable template, when it has variables.
  let template: VariableTemplate?

  init(_ pattern: ResourcePattern) {
    self.pattern = pattern
    if case .template(let template) = pattern.matcher { self.template = template } else { template = nil }
  }

  /// Whether the pattern matches `name`, read in place: reached through the box's own method, the pattern is not
  /// copied out of it (and each of its parts retained) for every statement.
  func matches(_ name: ResourceName, hashedValue: (HashedKey) -> String?) -> Bool {
    pattern.matches(name, hashedValue: hashedValue)
  }
}

/// A condition ready for evaluation: its context key hashed once, and for String operators the values
/// without variables resolved once (lower-cased for the IgnoreCase operators).
final class CompiledCondition: Sendable {
  let condition: Condition
  let key: ContextKey
  let conditionOperator: ConditionOperator
  let values: [Value]
  /// The values read for their operator, by kind: plain arrays that are cheap to scan.
  let dates: [DateValue]
  let ranges: [IPAddressRange]
  let flags: [Bool]
  let numbers: [DecimalNumber]
  /// Why the condition cannot be evaluated as written (``Condition/unusableReason``), read once.
  let unusableReason: String?
  /// Whether the condition tests the key's absence (`Null`, `…IfExists`): a missing key is then no missing context.
  let testsAbsence: Bool
  /// Whether the key is one AWS sends with every request but whose value only the request's maker knows
  /// (``RequestDependentKeys``): without it in the context, the condition fails closed.
  let isRequestDependentKey: Bool

  /// A policy value; a class, so that visiting one copies a reference rather than the value's parts.
  final class Value: Sendable {
    let value: ConditionValue
    /// For String operators, a value without variables: its text as compared.
    let constantText: String?

    init(value: ConditionValue, constantText: String?) {
      self.value = value
      self.constantText = constantText
    }
  }

  init(_ condition: Condition) {
    self.condition = condition
    key = ContextKey(condition.lookupKey)
    conditionOperator = condition.conditionOperator
    let base = condition.conditionOperator.base
    unusableReason = condition.unusableReason
    testsAbsence = base == .null || condition.conditionOperator.ifExists
    isRequestDependentKey = RequestDependentKeys.lowercased.contains(condition.lookupKey)
    let ignoreCase = base == .stringEqualsIgnoreCase || base == .stringNotEqualsIgnoreCase
    dates = condition.values.compactMap { if case .date(let date) = $0.parsed { date } else { nil } }
    ranges = condition.values.compactMap { if case .ipRange(let range) = $0.parsed { range } else { nil } }
    flags = condition.values.compactMap { if case .bool(let flag) = $0.parsed { flag } else { nil } }
    numbers = condition.values.compactMap { if case .number(let number) = $0.parsed { number } else { nil } }
    values = condition.values.map { value in
      guard base.family == .string, !value.template.hasVariables, let text = value.template.resolvedText({ _ in nil }) else {
        return Value(value: value, constantText: nil)
      }
      return Value(value: value, constantText: ignoreCase ? StringComparison.lowercased(text) : text)
    }
  }
}
