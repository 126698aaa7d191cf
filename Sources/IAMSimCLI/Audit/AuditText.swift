import IAMAudit
import IAMCatalog
import IAMEvaluation
import IAMPolicy

/// The text forms of audits and diffs.
enum AuditText {
  /// `catalog: SOURCE @ COMMIT, data of DATE`.
  static func catalogLine(_ metadata: CatalogMetadata) -> String {
    "catalog: \(metadata.source)\(metadata.commit.map { " @ \($0)" } ?? ""), data of \(metadata.dataDate ?? "unknown date")"
      + " (\(metadata.serviceCount) services, \(metadata.actionCount) actions)"
  }

  /// The audit of every subject.
  static func render(_ reports: [AuditReport], catalog: CatalogMetadata, summaryOnly: Bool) -> String {
    var text = "iamsim audit\n\(catalogLine(catalog))\n"
    for report in reports {
      text += "\n" + subject(report, summaryOnly: summaryOnly)
    }
    let findings = reports.flatMap(\.findings)
    let suppressed = reports.reduce(0) { $0 + $1.suppressed.count }
    text +=
      "\n\(reports.count) subject\(reports.count == 1 ? "" : "s"), \(findings.count) finding\(findings.count == 1 ? "" : "s")"
    text += severityCounts(findings).map { " (\($0))" } ?? ""
    text += suppressed > 0 ? ", \(suppressed) suppressed\n" : "\n"
    return text
  }

  /// `1 error, 2 security-warning`, or `nil` when there are no findings.
  static func severityCounts(_ findings: [AuditFinding]) -> String? {
    let counts = Diagnostic.Severity.allCases.compactMap { severity -> String? in
      let count = findings.filter { $0.severity == severity }.count
      return count == 0 ? nil : "\(count) \(severity.rawValue)"
    }
    return counts.isEmpty ? nil : counts.joined(separator: ", ")
  }

  static func subject(_ report: AuditReport, summaryOnly: Bool) -> String {
    let subject = report.subject
    var text = "== \(subject.name)\n"
    if subject.accounts.count > 1 {
      text += "   the same policies, audited once, in \(subject.accounts.count) accounts: \(subject.accounts.joined(separator: ", "))\n"
    }
    let policies = subject.policies
    text += "  policies: \(policies.identityPolicies.map(\.name).joined(separator: ", "))\n"
    if let boundary = policies.permissionsBoundary { text += "  permissions boundary: \(boundary.name)\n" }
    if let session = policies.sessionPolicy { text += "  session policy: \(session.name)\n" }
    for (level, documents) in policies.serviceControlPolicies.enumerated() {
      text += "  scp[\(level)]: \(documents.map(\.name).joined(separator: ", "))\n"
    }
    for (level, documents) in policies.resourceControlPolicies.enumerated() {
      text += "  rcp[\(level)]: \(documents.map(\.name).joined(separator: ", "))\n"
    }
    text += "  caller: \(subject.principal.arn)\n"
    for deny in subject.conditionalDenies {
      text += "  set aside (denies only in some contexts): \(deny.description)\n"
    }
    let services = report.grantedByService
    let conditional = report.granted.filter(\.conditional).count
    text +=
      "  granted: \(report.granted.count) action\(report.granted.count == 1 ? "" : "s") in \(services.count) service\(services.count == 1 ? "" : "s")"
    text += " (\(conditional) conditional); cut: \(report.cut.count)\n"
    for (service, actions) in services {
      if summaryOnly {
        let counts = AccessLevel.allCases.compactMap { level -> String? in
          let count = actions.filter { $0.accessLevel == level }.count
          return count == 0 ? nil : "\(level.rawValue) \(count)"
        }
        text += "  \(service): \(counts.joined(separator: ", "))\n"
        continue
      }
      text += "  \(service)\n"
      for group in groups(actions) {
        let gate = group.conditional ? ", if " + group.keys.joined(separator: ", ") : ""
        let head = "    \(group.level.rawValue) (\(group.names.count)\(gate)) on \(group.resources): "
        text += wrapped(head, group.names, indent: "      ")
      }
    }
    if !report.cut.isEmpty {
      text += "  cut:\n"
      for cut in report.cut {
        text += "    \(cut.action) (\(cut.accessLevel.rawValue)) by \(cut.cutBy)"
        text += cut.statements.isEmpty ? "\n" : ": " + cut.statements.map(\.description).joined(separator: "; ") + "\n"
      }
    }
    if !report.findings.isEmpty {
      text += "  findings:\n"
      for finding in report.findings { text += self.finding(finding, indent: "    ") }
    }
    if !report.suppressed.isEmpty {
      text += "  suppressed:\n"
      for (finding, suppression) in report.suppressed {
        text += "    \(finding.severity.rawValue) \(finding.code) until \(suppression.expires): \(suppression.reason)\n"
      }
    }
    return text
  }

  static func finding(_ finding: AuditFinding, indent: String) -> String {
    var text = "\(indent)\(finding.severity.rawValue) [\(finding.code)] \(finding.message)\n"
    for detail in finding.details { text += "\(indent)    \(detail)\n" }
    for evidence in finding.evidence {
      text += "\(indent)    allowed: \(evidence.summary)"
      text +=
        evidence.statements.isEmpty
        ? "\n" : " by " + evidence.statements.map(\.description).joined(separator: "; ") + "\n"
    }
    return text
  }

  /// `all resources`, or the resource patterns, at most three of them with a count of the rest.
  static func resourceText(_ grant: GrantedAction) -> String {
    guard !grant.allResources, grant.resources.count > 4 else { return grant.resourceSummary }
    return grant.resources.prefix(3).joined(separator: ", ") + " and \(grant.resources.count - 3) more patterns"
  }

  /// Actions of one service with the same access level, gate and resources.
  struct Group {
    var level: AccessLevel
    var conditional: Bool
    var keys: [String]
    var resources: String
    var names: [String]
  }

  /// The actions grouped by access level (in the classic order), then by gate and resources.
  static func groups<S: Sequence>(_ actions: S) -> [Group] where S.Element == GrantedAction {
    var groups: [Group] = []
    for action in actions {
      let name = String(action.action.split(separator: ":", maxSplits: 1).last ?? "")
      let resources = resourceText(action)
      if let index = groups.firstIndex(where: {
        $0.level == action.accessLevel && $0.conditional == action.conditional && $0.keys == action.conditionKeys
          && $0.resources == resources
      }) {
        groups[index].names.append(name)
      } else {
        groups.append(
          Group(
            level: action.accessLevel, conditional: action.conditional, keys: action.conditionKeys,
            resources: resources, names: [name]))
      }
    }
    let order = AccessLevel.allCases
    return groups.enumerated().sorted {
      let left = order.firstIndex(of: $0.element.level) ?? 0
      let right = order.firstIndex(of: $1.element.level) ?? 0
      return left != right ? left < right : $0.offset < $1.offset
    }.map(\.element)
  }

  /// `head` then the items separated by commas, wrapped at 110 columns.
  static func wrapped(_ head: String, _ items: [String], indent: String) -> String {
    var text = head
    var column = head.count
    for (offset, item) in items.enumerated() {
      let piece = item + (offset == items.count - 1 ? "" : ",")
      if column + piece.count + 1 > 110 && column > indent.count {
        text += "\n" + indent
        column = indent.count
      } else if offset > 0 {
        text += " "
        column += 1
      }
      text += piece
      column += piece.count
    }
    return text + "\n"
  }
}
