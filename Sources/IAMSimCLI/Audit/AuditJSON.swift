import IAMAudit
import IAMCatalog
import IAMEvaluation
import IAMPolicy

/// The JSON forms of audits and diffs.
enum AuditJSON {
  static func catalog(_ metadata: CatalogMetadata) -> JSONOutput {
    .object([
      ("source", .string(metadata.source)), ("commit", .optional(metadata.commit)),
      ("dataDate", .optional(metadata.dataDate)),
      ("services", .int(metadata.serviceCount)), ("actions", .int(metadata.actionCount)),
    ])
  }

  /// The audit document: `granted` (every granted action, over all subjects), `cut`, `findings`, `suppressed`,
  /// and the `subjects` with their policies and per-service counts.
  static func render(_ reports: [AuditReport], catalog metadata: CatalogMetadata, catalog: Catalog) -> JSONOutput {
    .object([
      ("version", 1),
      ("catalog", self.catalog(metadata)),
      ("policies", PoliciesCommand.shippedInfo()),
      ("granted", .array(mergedGrants(reports))),
      ("cut", .array(reports.flatMap { report in report.cut.map { cut($0, subject: report.subject.name) } })),
      ("findings", .array(reports.flatMap { $0.findings.map(finding) })),
      (
        "suppressed",
        .array(
          reports.flatMap { report in
            report.suppressed.map { pair in
              .object([("finding", finding(pair.finding)), ("suppression", suppression(pair.suppression))])
            }
          })
      ),
      ("subjects", .array(reports.map { subject($0, catalog: catalog) })),
    ])
  }

  /// Every granted action once, in catalog order, with the subjects that are granted it.
  static func mergedGrants(_ reports: [AuditReport]) -> [JSONOutput] {
    var order: [String] = []
    var merged: [String: (grant: GrantedAction, subjects: [String], conditional: Bool)] = [:]
    for report in reports {
      for grant in report.granted {
        if var entry = merged[grant.action] {
          entry.subjects.append(report.subject.name)
          entry.conditional = entry.conditional && grant.conditional
          entry.grant.allResources = entry.grant.allResources || grant.allResources
          for resource in grant.resources where !entry.grant.resources.contains(resource) {
            entry.grant.resources.append(resource)
          }
          for key in grant.conditionKeys where !entry.grant.conditionKeys.contains(key) {
            entry.grant.conditionKeys.append(key)
          }
          merged[grant.action] = entry
        } else {
          order.append(grant.action)
          merged[grant.action] = (grant, [report.subject.name], grant.conditional)
        }
      }
    }
    if reports.count > 1 {
      order.sort { (merged[$0]!.grant.service, $0.lowercased()) < (merged[$1]!.grant.service, $1.lowercased()) }
    }
    return order.map { name in
      let entry = merged[name]!
      var members = grant(entry.grant)
      members[2] = ("conditional", .bool(entry.conditional))
      members.append(("subjects", .array(entry.subjects.map(JSONOutput.string))))
      return .object(members)
    }
  }

  /// A granted action's members: `action`, `accessLevel`, `conditional` first.
  static func grant(_ grant: GrantedAction) -> [(String, JSONOutput)] {
    [
      ("action", .string(grant.action)), ("accessLevel", .string(grant.accessLevel.rawValue)),
      ("conditional", .bool(grant.conditional)), ("service", .string(grant.service)),
      ("allResources", .bool(grant.allResources)), ("resources", .array(grant.resources.map(JSONOutput.string))),
      ("conditionKeys", .array(grant.conditionKeys.map(JSONOutput.string))),
    ]
  }

  static func cut(_ cut: CutAction, subject: String) -> JSONOutput {
    .object([
      ("action", .string(cut.action)), ("accessLevel", .string(cut.accessLevel.rawValue)),
      ("subject", .string(subject)),
      ("layer", .string(cut.layer.name)), ("byDeny", .bool(cut.byDeny)), ("reason", .string(cut.reason)),
      ("statements", .array(cut.statements.map(JSONOutput.statement))),
    ])
  }

  static func finding(_ finding: AuditFinding) -> JSONOutput {
    .object([
      ("code", .string(finding.code)), ("severity", .string(finding.severity.rawValue)),
      ("subject", .string(finding.subject)),
      ("message", .string(finding.message)), ("details", .array(finding.details.map(JSONOutput.string))),
      (
        "evidence",
        .array(
          finding.evidence.map { evidence in
            .object([
              ("action", .string(evidence.action)), ("resource", .string(evidence.resource)),
              ("resourcePattern", .string(evidence.resourceLabel)), ("decision", "allowed"),
              ("conditional", .bool(evidence.conditional)),
              ("conditionKeys", .array(evidence.conditionKeys.map(JSONOutput.string))),
              ("determiningStatements", .array(evidence.statements.map(JSONOutput.statement))),
            ] + (evidence.caller.map { [("caller", JSONOutput.string($0))] } ?? []))
          })
      ),
    ])
  }

  static func suppression(_ suppression: Suppression) -> JSONOutput {
    .object([
      ("code", .string(suppression.code)), ("principal", .string(suppression.principal)),
      ("reason", .string(suppression.reason)), ("expires", .string(suppression.expires)),
    ])
  }

  /// A subject: what was audited, and its counts per service and access level.
  static func subject(_ report: AuditReport, catalog: Catalog) -> JSONOutput {
    let subject = report.subject
    let policies = subject.policies
    let services: [JSONOutput] = report.grantedByService.map { service, actions in
      let levels: [(String, JSONOutput)] = AccessLevel.allCases.compactMap { level in
        let count = actions.filter { $0.accessLevel == level }.count
        return count == 0 ? nil : (level.rawValue, .int(count))
      }
      return .object([
        ("service", .string(service)), ("granted", .int(actions.count)),
        ("catalogActions", .int(catalog.service(prefix: service)?.actions.count ?? 0)),
        ("conditional", .int(actions.filter(\.conditional).count)), ("levels", .object(levels)),
      ])
    }
    return .object([
      ("name", .string(subject.name)), ("permissionSet", .optional(subject.permissionSet)),
      ("account", .optional(subject.account)),
      ("accounts", .array(subject.accounts.map(JSONOutput.string))), ("principal", .string(subject.principal.arn)),
      ("policies", .array(policies.identityPolicies.map { .string($0.name) })),
      ("permissionsBoundary", .optional(policies.permissionsBoundary?.name)),
      ("sessionPolicy", .optional(policies.sessionPolicy?.name)),
      ("resourcePolicy", .optional(policies.resourcePolicy?.name)),
      ("scpLevels", .array(policies.serviceControlPolicies.map { .array($0.map { .string($0.name) }) })),
      ("rcpLevels", .array(policies.resourceControlPolicies.map { .array($0.map { .string($0.name) }) })),
      (
        "conditionalDenies",
        .array(
          subject.conditionalDenies.map { deny in
            .object([
              ("layer", .string(deny.layer)), ("policy", .string(deny.policy)), ("statement", .string(deny.statement)),
              ("conditionKeys", .array(deny.keys.map(JSONOutput.string))),
            ])
          })
      ),
      ("grantedCount", .int(report.granted.count)),
      ("conditionalCount", .int(report.granted.filter(\.conditional).count)),
      ("cutCount", .int(report.cut.count)), ("findingCount", .int(report.findings.count)),
      ("services", .array(services)),
      ("holders", .array(subject.holders.map(holder))),
    ])
  }

  /// A user or group the organization gives the subject's permission set to, with the users that get it.
  static func holder(_ holder: AuditHolder) -> JSONOutput {
    .object([
      ("type", .string(holder.principalType == .user ? "user" : "group")), ("name", .string(holder.name)),
      ("users", .array(holder.users.map(JSONOutput.string))),
      ("accounts", .array(holder.accounts.map(JSONOutput.string))),
    ])
  }
}
