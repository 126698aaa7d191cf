import Dispatch
import IAMCatalog
import IAMEvaluation
import IAMPolicy

/// Audits what policies grant, action by action of the catalog, by asking the engine.
///
/// For every catalog action, the Allow statements of the identity policies whose Action (or NotAction)
/// covers it give the requests to try: the action on a probe resource for each of their Resource
/// patterns. The engine decides each request under three compiled variants of the policy set
/// (``PolicyVariants``): an action is *granted* when the optimistic set allows one of them,
/// *conditional* when the strict set allows none, and *cut* when only the identity-only set allows one.
///
/// Create one auditor per catalog and reuse it: it reads the catalog once.
public struct Auditor: Sendable {
  let index: CatalogIndex

  /// Reads the catalog's actions once.
  public init(catalog: Catalog) {
    index = CatalogIndex(catalog)
  }

  /// The catalog audited against.
  public var catalog: Catalog { index.catalog }

  /// Audits one subject and reports its risk findings.
  ///
  /// - Complexity: O(n·r·s) for n catalog actions, r probes per action and s candidate statements per
  ///   request, spread over the machine's cores.
  /// - Throws: ``PolicySetError`` when a policy sits in the slot of another kind.
  /// - Parameter conditions: also say, for each granted action the policies as written allow only under context
  ///   the audit does not give, under which context (``GrantedAction/allowedIf``).
  public func audit(_ subject: AuditSubject, rules: [RiskRule] = RiskRule.standard, conditions: Bool = false)
    throws(PolicySetError) -> AuditReport
  {
    let run = try AuditRun(subject: subject, index: index, conditions: conditions)
    let (granted, cut) = run.evaluateAll()
    var report = AuditReport(subject: subject, granted: granted, cut: cut, findings: [])
    report.findings = RiskAnalysis(run: run, report: report).findings(rules)
    return report
  }
}

/// One audit: the subject's compiled variants and its statements' probes.
struct AuditRun: Sendable {
  let subject: AuditSubject
  /// The subject's caller, prepared once for every request of the audit.
  let caller: PreparedCaller
  let index: CatalogIndex
  let variants: PolicyVariants
  /// For each action, the probes of the Allow statements that cover it (empty when none does).
  let probesByAction: [[Probe]]
  /// The original statements by layer, policy name and index, to name the conditions of granting statements.
  let statements: [StatementKey: [Statement]]

  struct StatementKey: Hashable, Sendable {
    var layer: String
    var policy: String
    var index: Int
  }

  init(subject: AuditSubject, index: CatalogIndex, conditions: Bool = false) throws(PolicySetError) {
    self.subject = subject
    caller = subject.preparedCaller
    self.index = index
    variants = try PolicyVariants(subject.policies, conditions: conditions)
    let known = subject.principal.derivedContext.merging(subject.context)
    var probeLists: [[Probe]] = []
    var candidates = [[Int]](repeating: [], count: index.count)
    for document in subject.policies.identityPolicies {
      for statement in document.statements where statement.effect == .allow {
        let probes = Probe.probes(for: statement.resource, account: subject.principal.account) {
          known.singleValue(lowercased: $0)
        }
        let id = probeLists.count
        probeLists.append(probes)
        for (action, covered) in index.covered(by: statement.action).enumerated() where covered {
          candidates[action].append(id)
        }
      }
    }
    probesByAction = candidates.map { ids in
      switch ids.count {
      case 0: return []
      case 1: return probeLists[ids[0]]
      default:
        var merged: [Probe] = []
        for id in ids {
          for probe in probeLists[id] {
            if let existing = merged.firstIndex(where: {
              $0.resource == probe.resource && $0.variables == probe.variables
            }) {
              if merged[existing].label != probe.label && probe.label == "*" { merged[existing].label = "*" }
            } else {
              merged.append(probe)
            }
          }
        }
        return merged
      }
    }
    var statements: [StatementKey: [Statement]] = [:]
    let layered: [(Layer, [PolicyDocument])] =
      [
        (.identity, subject.policies.identityPolicies),
        (.permissionsBoundary, subject.policies.permissionsBoundary.map { [$0] } ?? []),
        (.session, subject.policies.sessionPolicy.map { [$0] } ?? []),
      ]
      + subject.policies.serviceControlPolicies.enumerated().map { (.serviceControl(level: $0.offset), $0.element) }
      + subject.policies.resourceControlPolicies.enumerated().map { (.resourceControl(level: $0.offset), $0.element) }
    for (layer, documents) in layered {
      for document in documents {
        for statement in document.statements {
          statements[StatementKey(layer: layer.name, policy: document.name, index: statement.index), default: []]
            .append(statement)
        }
      }
    }
    self.statements = statements
  }

  /// What one action came to.
  enum Outcome: Sendable {
    case granted(GrantedAction)
    case cut(CutAction)
  }

  /// Evaluates every action that some Allow statement covers, in parallel.
  func evaluateAll() -> (granted: [GrantedAction], cut: [CutAction]) {
    let work = probesByAction.indices.filter { !probesByAction[$0].isEmpty }
    let results = ResultBuffer<Outcome?>(count: work.count, initial: nil)
    let lanes = min(max(work.count / 64, 1), 64)
    DispatchQueue.concurrentPerform(iterations: lanes) { lane in
      var position = lane
      while position < work.count {
        results[position] = evaluate(action: work[position])
        position += lanes
      }
    }
    var granted: [GrantedAction] = []
    var cut: [CutAction] = []
    for outcome in results.values {
      switch outcome {
      case .granted(let action)?: granted.append(action)
      case .cut(let action)?: cut.append(action)
      case nil: break
      }
    }
    return (granted, cut)
  }

  /// Decides one action on the probes of the statements that cover it.
  func evaluate(action: Int) -> Outcome? {
    let name = index.names[action]
    let prepared = probesByAction[action].map { subject.prepared(action: name, probe: $0, caller: caller) }
    var allowed: [Int] = []
    for (offset, request) in prepared.enumerated() where variants.optimistic.decision(for: request) == .allowed {
      allowed.append(offset)
    }
    let probes = probesByAction[action]
    if !allowed.isEmpty {
      var conditional = false
      var keys: [String] = []
      if let strict = variants.strict, !allowed.contains(where: { strict.decision(for: prepared[$0]) == .allowed }) {
        conditional = true
        keys = conditionKeys(granting: prepared[allowed[0]])
      }
      var resources: [String] = []
      for offset in allowed where !resources.contains(probes[offset].label) { resources.append(probes[offset].label) }
      var grant = GrantedAction(
        action: name, service: index.services[action], accessLevel: index.levels[action], conditional: conditional,
        allResources: allowed.contains { probes[$0].isEverything }, resources: resources, conditionKeys: keys,
        allowedProbes: allowed.map { probes[$0] })
      if let actual = variants.actual, actual.decision(for: prepared[allowed[0]]) != .allowed {
        let request = prepared[allowed[0]].request
        grant.allowedIf = actual.decisionCondition(for: request, response: actual.authorize(request))
      }
      return .granted(grant)
    }
    guard let identityOnly = variants.identityOnly,
      let first = prepared.first(where: { identityOnly.decision(for: $0) == .allowed })
    else { return nil }
    let response = variants.optimistic.authorize(first)
    let byDeny = response.decision == .explicitDeny
    return .cut(
      CutAction(
        action: name, service: index.services[action], accessLevel: index.levels[action], layer: response.decidingLayer,
        byDeny: byDeny, statements: byDeny ? response.determiningStatements : [], reason: response.reason))
  }

  /// The condition keys of the Allow statements, in every layer, that allow the request once their conditions are
  /// set aside, as written in the policies.
  func conditionKeys(granting request: PreparedRequest) -> [String] {
    let response = variants.optimistic.authorize(request)
    var keys: [String] = []
    for layer in response.layers where layer.verdict == .allow {
      for reference in layer.statements {
        let key = StatementKey(layer: reference.layer.name, policy: reference.policy, index: reference.index)
        for statement in statements[key] ?? [] where statement.effect == .allow {
          for condition in statement.conditions where !keys.contains(condition.key) { keys.append(condition.key) }
        }
      }
    }
    return keys
  }

  /// Decides a request under the optimistic set, and whether the strict set allows it too.
  func decide(action: String, probe: Probe) -> (allowed: Bool, conditional: Bool, request: PreparedRequest) {
    let request = subject.prepared(action: action, probe: probe, caller: caller)
    guard variants.optimistic.decision(for: request) == .allowed else { return (false, false, request) }
    let conditional = variants.strict.map { $0.decision(for: request) != .allowed } ?? false
    return (true, conditional, request)
  }
}
