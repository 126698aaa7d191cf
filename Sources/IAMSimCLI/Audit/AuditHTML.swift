import IAMAudit
import IAMCatalog
import IAMEvaluation
import IAMPolicy

/// The HTML report: one self-contained file (inline CSS, no script, nothing fetched), riskiest first: the findings by
/// severity with the permission sets, accounts and people that have them; then a permission-set × service heatmap
/// whose services are grouped by risk and whose cells open their actions; then each subject.
///
/// People are named only from the organization's assignments (``AuditSubject/holders``); outside `--org` nobody is.
enum AuditHTML {
  static func render(
    _ reports: [AuditReport], catalog metadata: CatalogMetadata, catalog: Catalog, today: String,
    title: String = "iamsim audit"
  ) -> String {
    let ordered = byRisk(reports)
    var html = """
      \(pageStart(title: title, style: style))
      <p class="scope">\(scope(reports))</p>
      </header>

      """
    html += findings(reports)
    html += heatmap(ordered, catalog: catalog)
    html += subjectsTable(ordered)
    html += details(ordered)
    html += "<footer>\(escape(AuditText.catalogLine(metadata))). Suppressions compared with \(escape(today)). "
    html +=
      "Every answer comes from iamsim's evaluation engine: conditions, boundaries, SCPs and Deny statements count. "
    html += "iamsim \(Tool.version), offline: no AWS credentials, no network.</footer>\n</body>\n</html>\n"
    return html
  }

  static let style = """
    :root { --border: #d0d4da; --muted: #5b6470; }
    body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0 24px 40px; color: #1d2329; background: #fff; }
    h1 { font-size: 20px; margin: 14px 0 2px; } h2 { font-size: 17px; margin: 24px 0 6px; } h3 { font-size: 15px; margin: 18px 0 6px; }
    .scope { margin: 0 0 6px; } .muted, footer { color: var(--muted); font-size: 12px; } footer { margin-top: 32px; }
    table { border-collapse: collapse; } th, td { border: 1px solid var(--border); padding: 3px 6px; vertical-align: top; }
    th { background: #f3f5f7; text-align: left; font-weight: 600; }
    code { font: 12px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
    .num { text-align: right; font-variant-numeric: tabular-nums; }
    table.findings { width: 100%; } table.findings td { font-size: 13px; }
    table.findings td.who { min-width: 280px; max-width: 420px; } table.findings td.what { min-width: 380px; }
    .sev { font-weight: 700; white-space: nowrap; } .sev-error { color: #b00020; } .sev-security-warning { color: #c2410c; }
    .sev-warning { color: #a16207; } .sev-suggestion { color: #2563eb; }
    tr.sevrow-error td:first-child, tr.sevrow-security-warning td:first-child { border-left: 4px solid #c2410c; }
    tr.sevrow-error td:first-child { border-left-color: #b00020; }
    details > summary { cursor: pointer; color: var(--muted); }
    ul.evidence { margin: 4px 0 0 0; padding-left: 18px; } ul.evidence li { margin: 2px 0; }
    .subject { border-top: 1px solid var(--border); margin-top: 16px; }
    table.subjects code { word-break: break-all; }
    .group-name { font-weight: 600; }
    details.hm { margin: 6px 0; } details.hm > summary { color: #1d2329; font-weight: 600; font-size: 15px; }
    table.heatmap { table-layout: fixed; }
    table.heatmap th, table.heatmap td { border: 1px solid #fff; }
    table.heatmap col.svc { width: 190px; } table.heatmap col.ps { width: 30px; }
    table.heatmap thead th { position: sticky; top: 0; z-index: 2; height: var(--head); vertical-align: bottom; padding: 2px; font-size: 11px; font-weight: 500; }
    table.heatmap thead th span { writing-mode: vertical-rl; transform: rotate(180deg); white-space: nowrap; overflow: hidden; max-height: calc(var(--head) - 4px); display: inline-block; }
    table.heatmap tbody th { font: 12px ui-monospace, Menlo, Consolas, monospace; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; padding: 1px 6px; }
    table.heatmap td { position: relative; text-align: center; font-size: 10px; padding: 0; height: 20px; font-variant-numeric: tabular-nums; }
    table.heatmap td details > summary { list-style: none; color: inherit; line-height: 20px; }
    table.heatmap td details > summary::-webkit-details-marker { display: none; }
    table.heatmap td details[open] > summary { outline: 2px solid #111; }
    .pop { position: absolute; z-index: 5; left: 0; top: 22px; width: 420px; max-height: 320px; overflow: auto; background: #fff; color: #1d2329;
      border: 1px solid #888; box-shadow: 0 4px 14px rgba(0,0,0,.25); padding: 6px 8px; text-align: left; font-size: 12px; }
    .pop p { margin: 2px 0 6px; } .pop code { font-size: 11px; }
    .none { background: #f6f7f9; color: #c4c8ce; }
    .list { background: #dbeafe; } .read { background: #93c5fd; } .tagging { background: #fde68a; }
    .write { background: #f59e0b; } .pm { background: #c81e1e; color: #fff; }
    .cond { background-image: repeating-linear-gradient(135deg, rgba(255,255,255,.55) 0 4px, transparent 4px 8px); }
    .cutonly { background: #e5e7eb; color: #374151; }
    .legend span { display: inline-block; padding: 1px 8px; margin: 0 4px 4px 0; border-radius: 3px; font-size: 12px; }
    """

  /// `3 subjects audited in 2 accounts, held by 3 users · 14 findings: 6 security-warning, 8 warning`.
  static func scope(_ reports: [AuditReport]) -> String {
    let accounts = Set(
      reports.flatMap { $0.subject.accounts.isEmpty ? ($0.subject.account.map { [$0] } ?? []) : $0.subject.accounts })
    let people = Set(reports.flatMap { $0.subject.holders.flatMap(\.users) })
    let findings = reports.flatMap(\.findings)
    var text = "\(reports.count) subject\(reports.count == 1 ? "" : "s") audited"
    if !accounts.isEmpty { text += " in \(accounts.count) account\(accounts.count == 1 ? "" : "s")" }
    if !people.isEmpty { text += ", held by \(people.count) user\(people.count == 1 ? "" : "s")" }
    text += " · <b>\(findings.count) finding\(findings.count == 1 ? "" : "s")</b>"
    text += AuditText.severityCounts(findings).map { ": " + escape($0) } ?? ""
    return text
  }

  /// The subjects, riskiest first: by their most serious finding, then how many findings they have, then their counts
  /// of granted actions per access level from the most powerful down.
  static func byRisk(_ reports: [AuditReport]) -> [AuditReport] {
    let severities = Diagnostic.Severity.allCases
    func key(_ report: AuditReport) -> [Int] {
      let worst =
        report.findings.map { severities.firstIndex(of: $0.severity) ?? severities.count }.min() ?? severities.count
      return [-worst, report.findings.count] + AuditText.levelCounts(report.granted)
    }
    return reports.enumerated().sorted { left, right in
      let (leftKey, rightKey) = (key(left.element), key(right.element))
      return leftKey != rightKey ? leftKey.lexicographicallyPrecedes(rightKey, by: >) : left.offset < right.offset
    }.map(\.element)
  }

  /// The accounts a subject stands for.
  static func accounts(_ subject: AuditSubject) -> [String] {
    subject.accounts.isEmpty ? (subject.account.map { [$0] } ?? []) : subject.accounts
  }

  /// `group <b>AWS-DBA</b> (1 user)`, … for a findings row: at most `limit` assignments.
  static func holdersCell(_ holders: [AuditHolder], limit: Int = 2) -> String {
    guard !holders.isEmpty else { return "<span class=\"muted\">no organization given: nobody is named</span>" }
    let people = Set(holders.flatMap(\.users)).count
    let parts = holders.prefix(limit).map { holder -> String in
      switch holder.principalType {
      case .user: return "user <span class=\"group-name\">\(escape(holder.name))</span>"
      case .group:
        let users =
          holder.users.count <= 3
          ? holder.users.map(escape).joined(separator: ", ")
          : "\(holder.users.count) users"
        return "group <span class=\"group-name\">\(escape(holder.name))</span> (\(users))"
      }
    }
    var html = "<b>\(people) user\(people == 1 ? "" : "s")</b>: " + parts.joined(separator: ", ")
    if holders.count > limit {
      let rest = holders.dropFirst(limit)
      let groups = rest.filter { $0.principalType == .group }.count
      let users = rest.count - groups
      var kinds: [String] = []
      if groups > 0 { kinds.append("\(groups) group\(groups == 1 ? "" : "s")") }
      if users > 0 { kinds.append("\(users) user\(users == 1 ? "" : "s") directly") }
      html += " and \(kinds.joined(separator: " and ")) more"
    }
    return html
  }

  /// `100 accounts: 1, 2, 3 and 97 more`.
  static func accountsCell(_ subject: AuditSubject) -> String { accountsCell(accounts(subject)) }

  /// `<b>100 accounts</b> 1 and 99 more`, each account once.
  static func accountsCell(_ accounts: [String]) -> String {
    var seen: Set<String> = []
    let list = accounts.filter { seen.insert($0).inserted }
    guard !list.isEmpty else { return "" }
    guard list.count > 1 else { return "<code>\(escape(list[0]))</code>" }
    return "<b>\(list.count) accounts</b> <span class=\"muted\">\(escape(AuditText.bounded(list, 1)))</span>"
  }

  /// How many rows of findings show before the rest fold away.
  static let shownFindings = 25

  /// One finding as several subjects have it: the same severity, code and message.
  struct FindingRow {
    var finding: AuditFinding
    var subjects: [AuditSubject]
    /// The users who have it through any of the subjects.
    var people: Set<String>
  }

  /// The findings as rows: the same finding (severity, code, message) of several subjects is one row that names them
  /// all; the most serious first, among equals the ones more people have first, then those of the riskier subjects
  /// (``byRisk(_:)``).
  static func findingRows(_ reports: [AuditReport]) -> [FindingRow] {
    var rank: [String: Int] = [:]
    for (offset, report) in byRisk(reports).enumerated() { rank[report.subject.name] = offset }
    var rows: [FindingRow] = []
    var index: [String: Int] = [:]
    for report in reports {
      for finding in report.findings {
        let key = finding.severity.rawValue + "\u{0}" + finding.code + "\u{0}" + finding.message
        let people = report.subject.holders.flatMap(\.users)
        if let known = index[key] {
          rows[known].subjects.append(report.subject)
          rows[known].people.formUnion(people)
        } else {
          index[key] = rows.count
          rows.append(FindingRow(finding: finding, subjects: [report.subject], people: Set(people)))
        }
      }
    }
    func best(_ row: FindingRow) -> Int { row.subjects.compactMap { rank[$0.name] }.min() ?? 0 }
    return rows.enumerated().sorted { left, right in
      let (l, r) = (left.element, right.element)
      if l.finding.severity != r.finding.severity { return l.finding.severity < r.finding.severity }
      if l.people.count != r.people.count { return l.people.count > r.people.count }
      if best(l) != best(r) { return best(l) < best(r) }
      return left.offset < right.offset
    }.map(\.element)
  }

  /// The findings, the most serious first, each with the permission sets, accounts and people that have it.
  static func findings(_ reports: [AuditReport]) -> String {
    let rows = findingRows(reports)
    let total = reports.reduce(0) { $0 + $1.findings.count }
    var html = "<section id=\"findings\">\n<h2>Findings, the most serious first (\(total))</h2>\n"
    guard !rows.isEmpty else { return html + "<p>No findings.</p>\n</section>\n" }
    html +=
      "<p class=\"muted\">By severity; among equal severities, the ones more people have first, then those of the "
    html += "riskier subjects (as in the heatmap's columns). The same finding of several subjects is one row. "
    html += "Open a finding for the requests the engine allowed and the statements that allowed them.</p>\n"
    let head =
      "<table class=\"findings\">\n<thead><tr><th>severity</th><th>finding</th><th>permission set</th><th>accounts</th>"
      + "<th>who has it</th></tr></thead>\n<tbody>\n"
    html += head
    for (offset, row) in rows.enumerated() {
      if offset == shownFindings {
        let rest = rows.dropFirst(offset).flatMap { row in row.subjects.map { _ in row.finding } }
        html += "</tbody>\n</table>\n<details><summary>and \(rows.count - offset) more ("
        html += escape(AuditText.severityCounts(rest) ?? "") + ")</summary>\n" + head
      }
      let finding = row.finding
      html += "<tr class=\"sevrow-\(finding.severity.rawValue)\" data-subjects=\"\(row.subjects.count)\">"
      html += "<td class=\"sev sev-\(finding.severity.rawValue)\">"
      html += "\(finding.severity.rawValue)</td><td class=\"what\"><code>\(escape(finding.code))</code> "
      html += escape(AuditText.shortMessage(finding.message, limit: 160))
      html += "<details><summary>\(finding.evidence.count) allowed request\(finding.evidence.count == 1 ? "" : "s")"
      html += finding.details.isEmpty ? "" : ", \(finding.details.count) detail\(finding.details.count == 1 ? "" : "s")"
      if row.subjects.count > 1 { html += " (of \(escape(row.subjects[0].name)))" }
      html += "</summary><p>\(escape(finding.message))</p><ul class=\"evidence\">"
      for detail in finding.details { html += "<li>\(escape(detail))</li>" }
      for evidence in finding.evidence {
        html += "<li><code>\(escape(evidence.summary))</code>: allowed by "
        html += evidence.statements.map { "<code>\(escape($0.description))</code>" }.joined(separator: "; ") + "</li>"
      }
      html += "</ul></details></td><td>\(subjectsCell(row.subjects))</td>"
      html += "<td>\(accountsCell(row.subjects.flatMap(accounts)))</td>"
      html += "<td class=\"who\">\(holdersCell(merged(row.subjects.flatMap(\.holders))))</td></tr>\n"
    }
    html += "</tbody>\n</table>\n"
    if rows.count > shownFindings { html += "</details>\n" }
    return html + "</section>\n"
  }

  /// The subjects of a finding: links to them (at most five), with their policies when they all have the same.
  static func subjectsCell(_ subjects: [AuditSubject]) -> String {
    let links = subjects.prefix(5).map { subject in
      "<a href=\"#subject-\(anchor(subject.name))\">\(escape(subject.permissionSet ?? subject.name))</a>"
    }
    var html = links.joined(separator: ", ")
    if subjects.count > 5 { html += " and \(subjects.count - 5) more" }
    let names = Set(subjects.map { $0.permissionSet ?? $0.name })
    let policySets = Set(subjects.map { $0.policies.identityPolicies.map { AuditInputs.shortName($0.name) } })
    if policySets.count == 1, let policies = policySets.first {
      let shown = policies.filter { !names.contains($0) }
      if !shown.isEmpty { html += "<br><span class=\"muted\">\(escape(AuditText.bounded(shown, 2)))</span>" }
    }
    return html
  }

  /// The same user or group once, with the union of its users and accounts.
  static func merged(_ holders: [AuditHolder]) -> [AuditHolder] {
    var result: [AuditHolder] = []
    var index: [String: Int] = [:]
    for holder in holders {
      let key = holder.principalType.rawValue + "\u{0}" + holder.name
      if let known = index[key] {
        result[known].users = Array(Set(result[known].users).union(holder.users)).sorted()
        result[known].accounts += holder.accounts.filter { !result[known].accounts.contains($0) }
      } else {
        index[key] = result.count
        result.append(holder)
      }
    }
    return result
  }

  /// The access-level classes from the least to the most powerful.
  static let levelOrder: [(AccessLevel, String, String)] = [
    (.list, "list", "L"), (.read, "read", "R"), (.tagging, "tagging", "T"), (.write, "write", "W"),
    (.permissionsManagement, "pm", "P"),
  ]

  /// The CSS class of an access level.
  static func css(_ level: AccessLevel) -> String { levelOrder.first { $0.0 == level }?.1 ?? "none" }

  /// How many heatmap rows the groups opened at first hold at most (the first group is always open).
  static let openGroupRows = 60

  /// The heatmap's rows: the services named by the evidence of error and security-warning findings first, then the others by the most powerful access level any
  /// subject is granted in them; in each group, the services more subjects have at that level first.
  static func serviceGroups(
    _ reports: [AuditReport], byReport: [[String: [GrantedAction]]], cuts: [[String: [CutAction]]]
  )
    -> [(title: String, services: [String])]
  {
    let flagged = Set(
      reports.flatMap {
        $0.findings.filter { $0.severity <= .securityWarning }.flatMap {
          $0.evidence.map { String($0.action.prefix { $0 != ":" }) }
        }
      })
    var services = Set(byReport.flatMap(\.keys))
    services.formUnion(cuts.flatMap(\.keys))
    // Per service: counts, over subjects, of subjects granted each level (risk order), and of actions granted.
    var rank: [String: (top: Int, subjects: [Int], actions: [Int])] = [:]
    for service in services {
      var subjects = [Int](repeating: 0, count: AuditText.riskOrder.count)
      var actions = [Int](repeating: 0, count: AuditText.riskOrder.count)
      for grouped in byReport {
        let counts = AuditText.levelCounts(grouped[service] ?? [])
        for index in counts.indices where counts[index] > 0 {
          subjects[index] += 1
          actions[index] += counts[index]
        }
      }
      rank[service] = (subjects.firstIndex { $0 > 0 } ?? AuditText.riskOrder.count, subjects, actions)
    }
    func ordered(_ names: [String]) -> [String] {
      names.sorted { left, right in
        let (l, r) = (rank[left]!, rank[right]!)
        if l.top != r.top { return l.top < r.top }
        if l.subjects != r.subjects { return l.subjects.lexicographicallyPrecedes(r.subjects, by: >) }
        if l.actions != r.actions { return l.actions.lexicographicallyPrecedes(r.actions, by: >) }
        return left < right
      }
    }
    var groups: [(String, [String])] = []
    let named = ordered(services.filter { flagged.contains($0) })
    if !named.isEmpty { groups.append(("Services in error and security-warning findings", named)) }
    for (index, level) in AuditText.riskOrder.enumerated() {
      let members = ordered(services.filter { !flagged.contains($0) && rank[$0]!.top == index })
      if !members.isEmpty { groups.append(("Other services with \(level.rawValue) access", members)) }
    }
    let cutOnly = ordered(services.filter { !flagged.contains($0) && rank[$0]!.top == AuditText.riskOrder.count })
    if !cutOnly.isEmpty { groups.append(("Services whose actions are all cut", cutOnly)) }
    return groups
  }

  static func heatmap(_ reports: [AuditReport], catalog: Catalog) -> String {
    var byReport: [[String: [GrantedAction]]] = []
    var cutsByReport: [[String: [CutAction]]] = []
    for report in reports {
      var grouped: [String: [GrantedAction]] = [:]
      for grant in report.granted { grouped[grant.service, default: []].append(grant) }
      byReport.append(grouped)
      var cuts: [String: [CutAction]] = [:]
      for cut in report.cut { cuts[cut.service, default: []].append(cut) }
      cutsByReport.append(cuts)
    }
    let groups = serviceGroups(reports, byReport: byReport, cuts: cutsByReport)
    let serviceCount = groups.reduce(0) { $0 + $1.services.count }
    var html = "<section id=\"heatmap\">\n<h2>Permission set × service (\(reports.count) × \(serviceCount))</h2>\n"
    html +=
      "<p class=\"legend\">Columns: the subjects, riskiest first. Colour: the most powerful access level granted. "
    for (_, css, _) in levelOrder.reversed() {
      let level = levelOrder.first { $0.1 == css }!.0
      html += "<span class=\"\(css)\">\(escape(level.rawValue))</span>"
    }
    html += "<span class=\"write cond\">only conditional</span><span class=\"cutonly\">only cut</span> "
    html += "A cell shows how many actions are granted; click it for them, by access level.</p>\n"
    var headHeight = 40
    var setCounts: [String: Int] = [:]
    for report in reports { if let name = report.subject.permissionSet { setCounts[name, default: 0] += 1 } }
    let uniqueSets = Set(setCounts.filter { $0.value == 1 }.keys)
    var head = "<colgroup><col class=\"svc\">" + String(repeating: "<col class=\"ps\">", count: reports.count)
    head += "</colgroup>\n<thead><tr><th>service</th>"
    for report in reports {
      let subject = report.subject
      let count = accounts(subject).count
      let label = subject.permissionSet.flatMap { uniqueSets.contains($0) ? $0 : nil } ?? subject.name
      var title = subject.name
      if count > 1 { title += ", \(count) accounts" }
      title += AuditText.severityCounts(report.findings).map { "; findings: " + $0 } ?? ""
      head += "<th title=\"\(escape(title))\"><span>\(escape(label))</span></th>"
      headHeight = min(240, max(headHeight, label.count * 7 + 12))
    }
    head += "</tr></thead>\n"
    var shownRows = 0
    var opening = true
    for (index, group) in groups.enumerated() {
      // The first group open, and the next ones while the open rows stay few: lower risk never opens above higher.
      opening = opening && (index == 0 || shownRows + group.services.count <= openGroupRows)
      let open = opening
      if open { shownRows += group.services.count }
      html +=
        "<details class=\"hm\"\(open ? " open" : "")><summary>\(escape(group.title)) (\(group.services.count))</summary>\n"
      html += "<table class=\"heatmap\" style=\"--head: \(headHeight)px\">\n" + head + "<tbody>\n"
      for service in group.services {
        let total = catalog.service(prefix: service)?.actions.count ?? 0
        html += "<tr><th title=\"\(escape(service)): \(total) actions in the catalog\">\(escape(service))</th>"
        for (offset, report) in reports.enumerated() {
          html += cell(
            report.subject.name, service: service, actions: byReport[offset][service] ?? [],
            cuts: cutsByReport[offset][service] ?? [], total: total)
        }
        html += "</tr>\n"
      }
      html += "</tbody>\n</table>\n</details>\n"
    }
    return html + "</section>\n"
  }

  /// One heatmap cell: the count of granted actions, coloured by the most powerful level, opening the actions.
  static func cell(_ subject: String, service: String, actions: [GrantedAction], cuts: [CutAction], total: Int)
    -> String
  {
    guard !actions.isEmpty || !cuts.isEmpty else { return "<td class=\"none\">·</td>" }
    let counts = AuditText.levelCounts(actions)
    let top = counts.firstIndex { $0 > 0 }.map { css(AuditText.riskOrder[$0]) } ?? "cutonly"
    let conditional = actions.filter(\.conditional).count
    let onlyConditional = !actions.isEmpty && conditional == actions.count
    var tooltip = AuditText.levelText(counts)
    if conditional > 0 { tooltip += ", conditional \(conditional)" }
    if !cuts.isEmpty { tooltip += (tooltip.isEmpty ? "" : ", ") + "cut \(cuts.count)" }
    var html = "<td class=\"\(top)\(onlyConditional ? " cond" : "")\" title=\"\(escape(tooltip))\""
    html += " data-subject=\"\(escape(subject))\" data-service=\"\(escape(service))\"><details><summary>"
    html += actions.isEmpty ? "✂" : "\(actions.count)"
    html +=
      "</summary><div class=\"pop\"><p><b>\(escape(service))</b> for \(escape(subject)): \(actions.count) of \(total) "
    html += "actions granted\(cuts.isEmpty ? "" : ", \(cuts.count) cut")</p>"
    let groups = AuditText.groups(actions).enumerated().sorted { left, right in
      let (l, r) = (
        AuditText.riskOrder.firstIndex(of: left.element.level)!,
        AuditText.riskOrder.firstIndex(of: right.element.level)!
      )
      return l != r ? l < r : left.offset < right.offset
    }.map(\.element)
    for group in groups {
      html += "<p class=\"granted\"><b>\(escape(group.level.rawValue)) (\(group.names.count))</b>"
      if group.conditional { html += " if " + escape(group.keys.joined(separator: ", ")) }
      if group.resources != "all resources" { html += " on " + escape(group.resources) }
      html += ": <code>\(escape(group.names.joined(separator: ", ")))</code></p>"
    }
    if !cuts.isEmpty {
      html += "<p class=\"cut\">cut (\(cuts.count)): "
      html +=
        cuts.map { "<s>\(escape(String($0.action.drop { $0 != ":" }.dropFirst())))</s> by \(escape($0.cutBy))" }
        .joined(separator: ", ") + "</p>"
    }
    return html + "</div></details></td>"
  }

  static func subjectsTable(_ reports: [AuditReport]) -> String {
    var html = "<section id=\"subjects\">\n<h2>Subjects, riskiest first</h2>\n<table class=\"subjects\">\n<thead><tr>"
    html += "<th>subject</th><th>accounts</th><th>who has it</th><th>policies</th><th>boundary</th>"
    html += "<th class=\"num\">SCP levels</th><th class=\"num\">granted</th><th class=\"num\">Perm-mgmt</th>"
    html += "<th class=\"num\">Write</th><th class=\"num\">conditional</th><th class=\"num\">cut</th><th>findings</th>"
    html += "</tr></thead>\n<tbody>\n"
    for report in reports {
      let policies = report.subject.policies
      let counts = AuditText.levelCounts(report.granted)
      html += "<tr><th><a href=\"#subject-\(anchor(report.subject.name))\">\(escape(report.subject.name))</a></th>"
      html += "<td>\(accountsCell(report.subject))</td><td>\(holdersCell(report.subject.holders))</td>"
      html +=
        "<td>\(policies.identityPolicies.map { "<code>\(escape($0.name))</code>" }.joined(separator: "<br>"))</td>"
      html += "<td>\(policies.permissionsBoundary.map { "<code>\(escape($0.name))</code>" } ?? "")</td>"
      html += "<td class=\"num\">\(policies.serviceControlPolicies.count)</td>"
      html += "<td class=\"num\">\(report.granted.count)</td><td class=\"num\">\(counts[0])</td>"
      html += "<td class=\"num\">\(counts[1])</td><td class=\"num\">\(report.granted.filter(\.conditional).count)</td>"
      html +=
        "<td class=\"num\">\(report.cut.count)</td><td>\(escape(AuditText.severityCounts(report.findings) ?? "none"))</td></tr>\n"
    }
    return html + "</tbody>\n</table>\n</section>\n"
  }

  static func details(_ reports: [AuditReport]) -> String {
    var html = "<section id=\"details\">\n<h2>Per subject</h2>\n"
    for report in reports {
      html +=
        "<div class=\"subject\" id=\"subject-\(anchor(report.subject.name))\">\n<h3>\(escape(report.subject.name))</h3>\n"
      let people = Set(report.subject.holders.flatMap(\.users)).count
      html += list(
        "Accounts (\(accounts(report.subject).count))", accounts(report.subject).map { "<code>\(escape($0))</code>" })
      html += list(
        "Who has it (\(people) user\(people == 1 ? "" : "s"))",
        report.subject.holders.map { holder in
          let kind = holder.principalType == .user ? "user" : "group"
          let users = holder.principalType == .user ? "" : ": " + holder.users.map(escape).joined(separator: ", ")
          return "\(kind) <span class=\"group-name\">\(escape(holder.name))</span>\(users)"
            + (holder.accounts.count == accounts(report.subject).count
              ? ""
              : " (in \(holder.accounts.count) of the accounts: \(escape(holder.accounts.joined(separator: ", "))))")
        })
      let conditional = report.granted.filter(\.conditional)
      let scoped = report.granted.filter { !$0.allResources && !$0.conditional }
      html += list(
        "Conditional grants (\(conditional.count))",
        conditional.map {
          "<code>\(escape($0.action))</code> (\(escape($0.accessLevel.rawValue))) if \(escape($0.conditionKeys.joined(separator: ", "))) on \(escape($0.resourceSummary))"
        })
      html += list(
        "Grants on named resources only (\(scoped.count))",
        scoped.map {
          "<code>\(escape($0.action))</code> (\(escape($0.accessLevel.rawValue))) on <code>\(escape($0.resourceSummary))</code>"
        })
      html += list(
        "Cut (\(report.cut.count))",
        report.cut.map {
          "<code>\(escape($0.action))</code> (\(escape($0.accessLevel.rawValue))) by \(escape($0.cutBy))"
            + ($0.statements.isEmpty
              ? "" : ": " + $0.statements.map { "<code>\(escape($0.description))</code>" }.joined(separator: "; "))
        })
      html += list(
        "Deny statements with conditions, set aside: they deny only in some contexts (\(report.subject.conditionalDenies.count))",
        report.subject.conditionalDenies.map { "<code>\(escape($0.description))</code>" })
      html += list(
        "Suppressed findings (\(report.suppressed.count))",
        report.suppressed.map {
          "<code>\(escape($0.finding.code))</code> until \(escape($0.suppression.expires)): \(escape($0.suppression.reason))"
        })
      html += "</div>\n"
    }
    return html + "</section>\n"
  }

  static func list(_ title: String, _ items: [String]) -> String {
    guard !items.isEmpty else { return "" }
    return "<details><summary>\(title)</summary><ul>" + items.map { "<li>\($0)</li>" }.joined() + "</ul></details>\n"
  }

  static func anchor(_ text: String) -> String {
    String(text.map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "-" })
  }

  /// The start of a self-contained page up to its heading, shared by the audit, access, review and diff pages.
  static func pageStart(title: String, style: String) -> String {
    """
    <!DOCTYPE html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>\(escape(title))</title>
    <style>
    \(style)
    </style>
    </head>
    <body>
    <header>
    <h1>\(escape(title))</h1>
    """
  }

  static func escape(_ text: String) -> String {
    var result = ""
    result.reserveCapacity(text.count)
    for character in text {
      switch character {
      case "&": result += "&amp;"
      case "<": result += "&lt;"
      case ">": result += "&gt;"
      case "\"": result += "&quot;"
      case "'": result += "&#39;"
      default: result.append(character)
      }
    }
    return result
  }
}
