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

  /// The findings of the rules, in rule order.
  func findings(_ rules: [RiskRule]) -> [AuditFinding] {
    rules.flatMap(findings)
  }

  private func findings(_ rule: RiskRule) -> [AuditFinding] {
    let subject = report.subject.name
    switch rule.check {
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
    guard let index = run.index.index(of: name) else { return nil }
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
