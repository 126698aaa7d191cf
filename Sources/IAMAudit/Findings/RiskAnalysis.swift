import IAMCatalog
import IAMEvaluation
import IAMPolicy

/// Checks risk rules for one audited subject by evaluating concrete requests with the engine.
struct RiskAnalysis {
  let run: AuditRun
  let report: AuditReport
  /// The granted actions by catalog index.
  let grantedByIndex: [Int: GrantedAction]

  init(run: AuditRun, report: AuditReport) {
    self.run = run
    self.report = report
    var byIndex: [Int: GrantedAction] = [:]
    for grant in report.granted {
      if let index = run.index.index(of: grant.action) { byIndex[index] = grant }
    }
    grantedByIndex = byIndex
  }

  /// How widely an action is allowed.
  enum Scope {
    /// On `*` or on resources no policy names on purpose.
    case anyResource
    /// Only on the resources the policies name.
    case specific
  }

  /// An action allowed, how widely, and the allowed requests.
  struct Allowed {
    var scope: Scope
    var evidence: [Evidence]
    /// Whether only conditional statements allow it.
    var conditional: Bool { evidence.allSatisfy(\.conditional) }
  }

  /// The findings of the rules, in rule order, each naming the catalogued paths of its rule that hold.
  func findings(_ rules: [RiskRule]) -> [AuditFinding] {
    rules.flatMap { rule in findings(rule).map { naming(rule.paths, in: $0) } }
  }

  /// The finding with the paths that hold named in its details, and the requests that prove them added to its
  /// evidence; helpful actions are said to be allowed or not, and each path's caveats follow.
  func naming(_ paths: [EscalationPath], in finding: AuditFinding) -> AuditFinding {
    var finding = finding
    for path in paths {
      guard let groups = holding(path.requirements) else { continue }
      let chosen = groups.map { $0.map(\.0) }
      finding.details.append(
        "\(path.source): \(chosen.map { $0.joined(separator: " | ") }.joined(separator: " + ")) allowed")
      for (action, allowed) in groups.joined() where !finding.evidence.contains(where: { $0.action == action }) {
        finding.evidence.append(contentsOf: allowed.evidence.prefix(1))
      }
      for action in path.helpful {
        finding.details.append(
          "\(action) " + (self.allowed(action) == nil ? "is not allowed" : "is allowed too"))
      }
      for caveat in path.caveats where !finding.details.contains("note: " + caveat) {
        finding.details.append("note: " + caveat)
      }
    }
    return finding
  }

  /// For each group, the allowed actions with how widely they are allowed, or `nil` when a group has none.
  func holding(_ groups: [[String]]) -> [[(String, Allowed)]]? {
    var result: [[(String, Allowed)]] = []
    for group in groups {
      let allowed = group.compactMap { action in self.allowed(action).map { (action, $0) } }
      guard !allowed.isEmpty else { return nil }
      result.append(allowed)
    }
    return result
  }

  private func findings(_ rule: RiskRule) -> [AuditFinding] {
    let subject = report.subject.name
    switch rule.check {
    case .allOf(let groups, let scopedSeverity):
      guard let holding = holding(groups) else { return [] }
      // Per group, the actions allowed on any resource when there are some, else those on named resources.
      let chosen = holding.map { group in
        let wide = group.filter { $0.1.scope == .anyResource }
        return wide.isEmpty ? group : wide
      }
      let everywhere = chosen.allSatisfy { $0.allSatisfy { $0.1.scope == .anyResource } }
      var severity = everywhere ? rule.severity : scopedSeverity
      if chosen.contains(where: { $0.allSatisfy { $0.1.conditional } }) { severity = severity.lowered }
      let names = chosen.map { $0.map(\.0).joined(separator: " | ") }.joined(separator: " + ")
      let scope = everywhere ? "on any resource" : "on the resources the policies name"
      return [
        AuditFinding(
          code: rule.code, severity: severity, subject: subject, message: "\(rule.message) (\(names) \(scope))",
          evidence: chosen.joined().flatMap(\.1.evidence))
      ]
    case .actions(let actions, let scopedSeverity):
      let allowed = actions.compactMap { action in self.allowed(action).map { (action, $0) } }
      let wide = allowed.filter { $0.1.scope == .anyResource }
      let chosen = wide.isEmpty ? (scopedSeverity == nil ? [] : allowed) : wide
      guard !chosen.isEmpty else { return [] }
      var severity = wide.isEmpty ? scopedSeverity ?? rule.severity : rule.severity
      if chosen.allSatisfy({ $0.1.conditional }) { severity = severity.lowered }
      let names = chosen.map(\.0).joined(separator: ", ")
      let scope = wide.isEmpty ? "on the resources the policies name" : "on any resource"
      return [
        AuditFinding(
          code: rule.code, severity: severity, subject: subject, message: "\(rule.message) (\(names) \(scope))",
          evidence: chosen.flatMap(\.1.evidence))
      ]
    case .passRole(let passRole, let computeActions, let scopedSeverity):
      guard let pass = allowed(passRole) else { return [] }
      let compute = computeActions.compactMap { action in self.allowed(action).map { (action, $0) } }
      guard !compute.isEmpty else { return [] }
      var severity = pass.scope == .anyResource ? rule.severity : scopedSeverity
      if pass.conditional || compute.allSatisfy({ $0.1.conditional }) { severity = severity.lowered }
      let scope = pass.scope == .anyResource ? "any role" : "the roles the policies name"
      return [
        AuditFinding(
          code: rule.code, severity: severity, subject: subject,
          message: "\(rule.message) (\(passRole) on \(scope), with \(compute.map(\.0).joined(separator: ", ")))",
          evidence: pass.evidence + compute.flatMap { $0.1.evidence.prefix(1) })
      ]
    case .levelOnAllResources(let level):
      let actions = report.granted.filter { $0.accessLevel == level && $0.allResources }
      guard !actions.isEmpty else { return [] }
      var details: [String] = []
      var evidence: [Evidence] = []
      for (service, group) in grouped(actions) {
        let conditional = group.filter(\.conditional).count
        details.append(
          "\(service): \(group.count) \(level.rawValue) action\(group.count == 1 ? "" : "s") on all resources"
            + (conditional > 0 ? " (\(conditional) conditional)" : ""))
        evidence.append(self.evidence(group[0].action, probe: .everything))
      }
      let severity = actions.allSatisfy(\.conditional) ? rule.severity.lowered : rule.severity
      return [
        AuditFinding(
          code: rule.code, severity: severity, subject: subject,
          message: "\(rule.message): \(actions.count) in \(details.count) service\(details.count == 1 ? "" : "s")",
          evidence: evidence, details: details)
      ]
    case .serviceWide:
      var details: [String] = []
      var evidence: [Evidence] = []
      var allConditional = true
      for (service, group) in grouped(report.granted) {
        guard let range = run.index.serviceRanges[service], group.count == range.count,
          range.contains(where: { run.index.levels[$0] == .write || run.index.levels[$0] == .permissionsManagement })
        else { continue }
        if !group.allSatisfy(\.conditional) { allConditional = false }
        details.append("\(service): all \(range.count) actions")
        evidence.append(self.evidence(group[0].action, probe: group[0].allowedProbes[0]))
      }
      guard !details.isEmpty else { return [] }
      return [
        AuditFinding(
          code: rule.code, severity: allConditional ? rule.severity.lowered : rule.severity, subject: subject,
          message: "\(rule.message): \(details.count) service\(details.count == 1 ? "" : "s")", evidence: evidence,
          details: details)
      ]
    }
  }

  /// The granted actions grouped by service, in catalog order.
  private func grouped(_ actions: [GrantedAction]) -> [(String, [GrantedAction])] {
    var order: [String] = []
    var groups: [String: [GrantedAction]] = [:]
    for action in actions {
      if groups[action.service] == nil { order.append(action.service) }
      groups[action.service, default: []].append(action)
    }
    return order.map { ($0, groups[$0] ?? []) }
  }

  /// Whether and how widely the action is allowed: first on `*` or a resource no policy names (the first allowed
  /// is the evidence), then on the probes of the statements that grant it.
  func allowed(_ name: String) -> Allowed? {
    if let known = cache.allowed[name] { return known }
    let result = deciding(name)
    cache.allowed[name] = .some(result)
    return result
  }

  /// The answers of ``allowed(_:)`` so far: rules and paths ask about the same actions.
  final class Cache: @unchecked Sendable {
    var allowed: [String: Allowed?] = [:]
  }
  private let cache = Cache()

  /// ``allowed(_:)`` without the cache.
  private func deciding(_ name: String) -> Allowed? {
    // No identity-based Allow statement names the action: nothing can allow it (an audit has no resource policy).
    guard let index = run.index.index(of: name), !run.probesByAction[index].isEmpty else { return nil }
    let action = run.index.names[index]
    if let probe = arbitraryProbes(index).first(where: { run.decide(action: action, probe: $0).allowed }) {
      return Allowed(scope: .anyResource, evidence: [evidence(action, probe: probe)])
    }
    guard let granted = grantedByIndex[index] else { return nil }
    return Allowed(scope: .specific, evidence: granted.allowedProbes.map { evidence(action, probe: $0) })
  }

  /// The request on `*`, and one on a resource of each of the action's catalog resource types that no policy names.
  func arbitraryProbes(_ index: Int) -> [Probe] {
    var probes: [Probe] = [.everything]
    for type in run.index.actions[index].resourceTypes {
      for pattern in type.arnPatterns {
        let probe = Probe.arbitrary(arnPattern: pattern, account: run.subject.principal.account)
        if !probes.contains(where: { $0.resource == probe.resource }) { probes.append(probe) }
      }
    }
    return probes
  }

  /// The evidence of an allowed request: the deciding statements, and the condition keys when only conditional
  /// statements allow it.
  func evidence(_ action: String, probe: Probe) -> Evidence {
    let (_, conditional, request) = run.decide(action: action, probe: probe)
    let response = run.variants.optimistic.authorize(request)
    return Evidence(
      action: action, resource: probe.resource, resourceLabel: probe.label, conditional: conditional,
      conditionKeys: conditional ? run.conditionKeys(granting: request) : [], statements: response.determiningStatements
    )
  }
}
