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

  /// The audit of every subject: by default a screen per subject (counts per service and access level, the services
  /// and findings riskiest first, each list bounded); with `details`, every granted action, cut and piece of evidence.
  static func render(_ reports: [AuditReport], catalog: CatalogMetadata, details: Bool) -> String {
    var text = "iamsim audit\n\(catalogLine(catalog))\n"
    for report in reports {
      text += "\n" + (details ? subject(report) : screen(report))
    }
    let findings = reports.flatMap(\.findings)
    let suppressed = reports.reduce(0) { $0 + $1.suppressed.count }
    text +=
      "\n\(reports.count) subject\(reports.count == 1 ? "" : "s"), \(findings.count) finding\(findings.count == 1 ? "" : "s")"
    text += severityCounts(findings).map { " (\($0))" } ?? ""
    text += suppressed > 0 ? ", \(suppressed) suppressed\n" : "\n"
    if !details {
      text += "more: --details (every action, cut and piece of evidence), --format json, --format html (a page with "
      text += "the findings\nand a permission-set × service heatmap)\n"
    }
    return text
  }

  /// How many services and findings a subject's screen lists before `and N more`.
  static let screenServices = 10
  static let screenFindings = 6

  /// The access levels from the most to the least powerful: the order of risk.
  static let riskOrder: [AccessLevel] = [.permissionsManagement, .write, .tagging, .read, .list]

  /// The short column names of ``riskOrder``.
  static let levelColumns = ["Perm-mgmt", "Write", "Tagging", "Read", "List"]

  /// The counts of `actions` per access level, in ``riskOrder``.
  static func levelCounts<S: Sequence>(_ actions: S) -> [Int] where S.Element == GrantedAction {
    var counts = [Int](repeating: 0, count: riskOrder.count)
    for action in actions {
      if let index = riskOrder.firstIndex(of: action.accessLevel) { counts[index] += 1 }
    }
    return counts
  }

  /// `Permissions management 3, Write 38, Read 30`: the non-zero counts, the most powerful level first.
  static func levelText(_ counts: [Int]) -> String {
    zip(riskOrder, counts).filter { $0.1 > 0 }.map { "\($0.0.rawValue) \($0.1)" }.joined(separator: ", ")
  }

  /// The services a report grants, riskiest first: those whose actions a finding names as evidence, then by their
  /// counts per access level from the most powerful level down, then by name.
  static func servicesByRisk(_ report: AuditReport) -> [(service: String, actions: [GrantedAction], counts: [Int])] {
    let flagged = Set(report.findings.flatMap { $0.evidence.map { String($0.action.prefix { $0 != ":" }) } })
    return report.grantedByService.map { ($0.service, $0.actions, levelCounts($0.actions)) }.sorted { left, right in
      let (leftFlagged, rightFlagged) = (flagged.contains(left.service), flagged.contains(right.service))
      if leftFlagged != rightFlagged { return leftFlagged }
      if left.counts != right.counts { return left.counts.lexicographicallyPrecedes(right.counts, by: >) }
      return left.service < right.service
    }
  }

  /// Findings by severity, the most serious first; equal severities keep their order.
  static func bySeverity(_ findings: [AuditFinding]) -> [AuditFinding] {
    findings.enumerated().sorted {
      $0.element.severity != $1.element.severity ? $0.element.severity < $1.element.severity : $0.offset < $1.offset
    }.map(\.element)
  }

  /// `a, b, c and 7 more`.
  static func bounded(_ items: [String], _ limit: Int) -> String {
    items.count <= limit
      ? items.joined(separator: ", ") : items.prefix(limit).joined(separator: ", ") + " and \(items.count - limit) more"
  }

  /// A finding's message with the list of actions in its closing parentheses cut to three, at most `limit`
  /// characters.
  static func shortMessage(_ message: String, limit: Int = 200) -> String {
    guard message.count > limit else { return message }
    if message.hasSuffix(")"), let open = message.range(of: " (", options: .backwards) {
      var inner = String(message[open.upperBound..<message.index(before: message.endIndex)])
      var scope = ""
      if let on = inner.range(of: " on ", options: .backwards) {
        scope = String(inner[on.lowerBound...])
        inner = String(inner[..<on.lowerBound])
      }
      let items = inner.components(separatedBy: ", ")
      let short = String(message[..<open.lowerBound]) + " (" + bounded(items, 3) + scope + ")"
      if short.count <= limit { return short }
    }
    return String(message.prefix(limit - 1)) + "…"
  }

  /// The people who have a subject: `group AWS-DBA (1 user: alice@example.com); user carol@example.com`.
  static func holderText(_ holders: [AuditHolder], limit: Int = 3) -> String {
    let texts = holders.map { holder -> String in
      switch holder.principalType {
      case .user: return "user \(holder.name)"
      case .group:
        let count = "\(holder.users.count) user\(holder.users.count == 1 ? "" : "s")"
        return "group \(holder.name) (\(count)\(holder.users.isEmpty ? "" : ": " + bounded(holder.users, 2)))"
      }
    }
    return texts.count <= limit
      ? texts.joined(separator: "; ")
      : texts.prefix(limit).joined(separator: "; ") + "; and \(texts.count - limit) more"
  }

  /// One subject in a screen: where it applies and who has it, what it grants per service and access level (the
  /// riskiest services first), its findings (the most serious first), each list bounded, and where the rest is.
  static func screen(_ report: AuditReport) -> String {
    let subject = report.subject
    var text = "== \(subject.name)\n"
    if subject.accounts.count > 1 {
      text +=
        "  accounts (\(subject.accounts.count), the same policies, audited once): \(bounded(subject.accounts, 3))\n"
    }
    let people = Set(subject.holders.flatMap(\.users)).count
    if !subject.holders.isEmpty {
      text += "  who has it (\(people) user\(people == 1 ? "" : "s")): \(holderText(subject.holders))\n"
    }
    let policies = subject.policies
    if let resource = resourcePolicyLine(report) {
      let suppressed = report.suppressed.isEmpty ? "" : "  suppressed findings: \(report.suppressed.count)\n"
      return text + resource + findingLines(report) + suppressed
    }
    var layers = "  policies: \(bounded(policies.identityPolicies.map(\.name), 4))"
    if let boundary = policies.permissionsBoundary { layers += "; boundary: \(boundary.name)" }
    if let session = policies.sessionPolicy { layers += "; session policy: \(session.name)" }
    text += wrappedWords(layers, indent: "    ")
    let scps = policies.serviceControlPolicies.count
    let rcps = policies.resourceControlPolicies.count
    let denies = subject.conditionalDenies.count
    if scps + rcps + denies > 0 {
      var parts: [String] = []
      if scps > 0 { parts.append("\(scps) SCP level\(scps == 1 ? "" : "s")") }
      if rcps > 0 { parts.append("\(rcps) RCP level\(rcps == 1 ? "" : "s")") }
      if denies > 0 { parts.append("\(denies) Deny statement\(denies == 1 ? "" : "s") with conditions set aside") }
      text += "  \(parts.joined(separator: ", "))\n"
    }
    let services = servicesByRisk(report)
    let conditional = report.granted.filter(\.conditional).count
    text +=
      "  granted: \(report.granted.count) action\(report.granted.count == 1 ? "" : "s") in \(services.count) service"
    text += "\(services.count == 1 ? "" : "s") (\(conditional) conditional); cut: \(report.cut.count)\n"
    if !report.granted.isEmpty {
      text += "  by access level: \(levelText(levelCounts(report.granted)))\n"
      text += table(services, cuts: report.cut)
    }
    text += findingLines(report)
    if !report.suppressed.isEmpty { text += "  suppressed findings: \(report.suppressed.count)\n" }
    var narrow = ""
    if let permissionSet = subject.permissionSet {
      narrow = " --permission-set \(permissionSet)" + (subject.account.map { " --account \($0)" } ?? "")
    }
    text += "  every action, cut and piece of evidence:\(narrow) --details\n"
    return text
  }

  /// A screen's findings, the most serious first, bounded.
  static func findingLines(_ report: AuditReport) -> String {
    var text = ""
    let findings = bySeverity(report.findings)
    if findings.isEmpty {
      text += "  findings: none\n"
    } else {
      text += "  findings (\(findings.count)), the most serious first:\n"
      for finding in findings.prefix(screenFindings) {
        text += wrappedWords(
          "    \(finding.severity.rawValue) [\(finding.code)] \(shortMessage(finding.message))", indent: "      ")
      }
      if findings.count > screenFindings {
        let rest = Array(findings.dropFirst(screenFindings))
        text += "    and \(rest.count) more (\(severityCounts(rest) ?? ""))\n"
      }
    }
    return text
  }

  /// For a resource policy's subject (external access), `  resource policy: NAME of account ID`; `nil` otherwise.
  static func resourcePolicyLine(_ report: AuditReport) -> String? {
    let policies = report.subject.policies
    guard policies.identityPolicies.isEmpty, let resource = policies.resourcePolicy else { return nil }
    return "  resource policy: \(resource.name) of account \(report.subject.account ?? "unknown")\n"
  }

  /// `line` broken at spaces before 110 columns, continued lines starting with `indent`.
  static func wrappedWords(_ line: String, indent: String) -> String {
    var text = ""
    var current = String(line.prefix { $0 == " " })
    let start = current.count
    for word in line.dropFirst(start).split(separator: " ") {
      if current.count + word.count + 1 > 110 && current.count > max(start, indent.count) {
        text += current + "\n"
        current = indent + word
      } else {
        current += (current.count == start ? "" : " ") + word
      }
    }
    return text + current + "\n"
  }

  /// The services, riskiest first, with their counts per access level; the first ``screenServices``, then one line
  /// for the rest.
  static func table(_ services: [(service: String, actions: [GrantedAction], counts: [Int])], cuts: [CutAction])
    -> String
  {
    var cutBy: [String: Int] = [:]
    for cut in cuts { cutBy[cut.service, default: 0] += 1 }
    let shown = services.prefix(screenServices)
    let width = max(24, (shown.map(\.service.count).max() ?? 0) + 2)
    func pad(_ text: String, _ count: Int) -> String {
      String(repeating: " ", count: max(0, count - text.count)) + text
    }
    var text = "    " + "service, riskiest first".padding(toLength: width, withPad: " ", startingAt: 0)
    text += levelColumns.map { pad($0, 10) }.joined() + pad("cond", 6) + pad("cut", 6) + "\n"
    for entry in shown {
      text += "    " + entry.service.padding(toLength: width, withPad: " ", startingAt: 0)
      text += entry.counts.map { pad($0 == 0 ? "·" : String($0), 10) }.joined()
      let conditional = entry.actions.filter(\.conditional).count
      text += pad(conditional == 0 ? "·" : String(conditional), 6)
      text += pad(cutBy[entry.service].map(String.init) ?? "·", 6) + "\n"
    }
    if services.count > shown.count {
      let rest = services.dropFirst(shown.count)
      let counts = rest.reduce(into: [Int](repeating: 0, count: riskOrder.count)) { sums, entry in
        for index in sums.indices { sums[index] += entry.counts[index] }
      }
      text += "    and \(rest.count) more service\(rest.count == 1 ? "" : "s"): \(levelText(counts))\n"
    }
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

  /// One subject in full: every granted action by service and access level, every cut, every finding with its
  /// evidence.
  static func subject(_ report: AuditReport) -> String {
    let subject = report.subject
    var text = "== \(subject.name)\n"
    if subject.accounts.count > 1 {
      text +=
        "   the same policies, audited once, in \(subject.accounts.count) accounts: \(subject.accounts.joined(separator: ", "))\n"
    }
    let policies = subject.policies
    if let resource = resourcePolicyLine(report) {
      text += resource + (report.findings.isEmpty ? "  findings: none\n" : "  findings:\n")
      for finding in bySeverity(report.findings) { text += self.finding(finding, indent: "    ") }
      return text
    }
    text += "  policies: \(policies.identityPolicies.map(\.name).joined(separator: ", "))\n"
    if let boundary = policies.permissionsBoundary { text += "  permissions boundary: \(boundary.name)\n" }
    if let session = policies.sessionPolicy { text += "  session policy: \(session.name)\n" }
    for (level, documents) in policies.serviceControlPolicies.enumerated() {
      text += "  scp[\(level)]: \(documents.map(\.name).joined(separator: ", "))\n"
    }
    for (level, documents) in policies.resourceControlPolicies.enumerated() {
      text += "  rcp[\(level)]: \(documents.map(\.name).joined(separator: ", "))\n"
    }
    if !subject.holders.isEmpty {
      let people = Set(subject.holders.flatMap(\.users)).count
      text += "  who has it (\(people) user\(people == 1 ? "" : "s")): \(holderText(subject.holders, limit: .max))\n"
    }
    // Outside an organization the caller is a stand-in session (`--user`, else a default name), not a person.
    text += "  caller\(subject.holders.isEmpty ? " (a stand-in session)" : ""): \(subject.principal.arn)\n"
    for deny in subject.conditionalDenies {
      text += "  set aside (denies only in some contexts): \(deny.description)\n"
    }
    let services = report.grantedByService
    let conditional = report.granted.filter(\.conditional).count
    text +=
      "  granted: \(report.granted.count) action\(report.granted.count == 1 ? "" : "s") in \(services.count) service\(services.count == 1 ? "" : "s")"
    text += " (\(conditional) conditional); cut: \(report.cut.count)\n"
    for (service, actions) in services {
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
      for finding in bySeverity(report.findings) { text += self.finding(finding, indent: "    ") }
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
