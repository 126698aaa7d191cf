import IAMAudit
import IAMCatalog
import IAMEvaluation
import IAMPolicy

/// The HTML report: one self-contained file (inline CSS, no script, nothing fetched) with a permission-set ×
/// service heatmap of access levels, the findings, and per subject what was cut or is conditional.
enum AuditHTML {
  static func render(_ reports: [AuditReport], catalog metadata: CatalogMetadata, catalog: Catalog, today: String)
    -> String
  {
    var html = """
      <!DOCTYPE html>
      <html lang="en">
      <head>
      <meta charset="utf-8">
      <meta name="viewport" content="width=device-width, initial-scale=1">
      <title>iamsim audit</title>
      <style>
      \(style)
      </style>
      </head>
      <body>
      <header>
      <h1>iamsim audit</h1>
      <p class="catalog">\(escape(AuditText.catalogLine(metadata))). Suppressions compared with \(escape(today)).
      Every answer comes from iamsim's evaluation engine: conditions, boundaries, SCPs and Deny statements count.</p>
      </header>

      """
    html += subjectsTable(reports)
    html += heatmap(reports, catalog: catalog)
    html += findings(reports)
    html += details(reports)
    html += "<footer>iamsim \(Tool.version), offline: no AWS credentials, no network.</footer>\n</body>\n</html>\n"
    return html
  }

  static let style = """
    :root { --border: #d0d4da; --muted: #5b6470; }
    body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0 24px 40px; color: #1d2329; background: #fff; }
    h1 { font-size: 22px; margin: 20px 0 4px; } h2 { font-size: 18px; margin: 28px 0 8px; } h3 { font-size: 15px; margin: 18px 0 6px; }
    .catalog, footer { color: var(--muted); font-size: 12px; } footer { margin-top: 32px; }
    table { border-collapse: collapse; } th, td { border: 1px solid var(--border); padding: 3px 6px; vertical-align: top; }
    th { background: #f3f5f7; text-align: left; font-weight: 600; }
    code { font: 12px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
    .num { text-align: right; font-variant-numeric: tabular-nums; }
    .heatwrap { max-height: 80vh; overflow: auto; border: 1px solid var(--border); display: inline-block; max-width: 100%; }
    table.heatmap th, table.heatmap td { border-color: #fff; border-width: 2px; }
    table.heatmap thead th { position: sticky; top: 0; z-index: 2; writing-mode: vertical-rl; transform: rotate(180deg); white-space: nowrap; font-size: 12px; padding: 6px 2px; }
    table.heatmap thead th.corner { writing-mode: horizontal-tb; transform: none; vertical-align: bottom; left: 0; z-index: 3; }
    table.heatmap tbody th { position: sticky; left: 0; z-index: 1; font: 12px ui-monospace, Menlo, Consolas, monospace; white-space: nowrap; }
    table.heatmap td { min-width: 64px; text-align: center; font-size: 11px; font-variant-numeric: tabular-nums; }
    .lv { display: block; letter-spacing: 1px; font-family: ui-monospace, Menlo, Consolas, monospace; }
    .lv i { font-style: normal; opacity: .25; } .lv b { font-weight: 700; }
    .none { background: #f6f7f9; color: #aab; }
    .list { background: #dbeafe; } .read { background: #93c5fd; } .tagging { background: #fde68a; }
    .write { background: #f59e0b; } .pm { background: #c81e1e; color: #fff; }
    .cond { background-image: repeating-linear-gradient(135deg, rgba(255,255,255,.55) 0 4px, transparent 4px 8px); }
    .cutmark { font-weight: 700; }
    .legend span { display: inline-block; padding: 2px 8px; margin: 0 4px 4px 0; border-radius: 3px; font-size: 12px; }
    .sev { font-weight: 700; white-space: nowrap; } .sev-error { color: #b00020; } .sev-security-warning { color: #c2410c; }
    .sev-warning { color: #a16207; } .sev-suggestion { color: #2563eb; }
    details > summary { cursor: pointer; color: var(--muted); }
    ul.evidence { margin: 4px 0 0 0; padding-left: 18px; } ul.evidence li { margin: 2px 0; }
    .subject { border-top: 1px solid var(--border); margin-top: 16px; }
    table.subjects { max-width: 100%; } table.subjects code { word-break: break-all; }
    .caller { display: block; font: 11px ui-monospace, Menlo, Consolas, monospace; color: var(--muted); font-weight: 400; word-break: break-all; max-width: 420px; }
    #findings td { max-width: 900px; } #findings code { word-break: break-all; }
    """

  static func subjectsTable(_ reports: [AuditReport]) -> String {
    var html =
      "<section id=\"subjects\">\n<h2>Subjects</h2>\n<table class=\"subjects\">\n<thead><tr><th>subject and caller</th><th>policies</th>"
    html +=
      "<th>boundary</th><th class=\"num\">SCP levels</th><th class=\"num\">granted</th><th class=\"num\">conditional</th>"
    html += "<th class=\"num\">cut</th><th>findings</th></tr></thead>\n<tbody>\n"
    for report in reports {
      let policies = report.subject.policies
      html += "<tr><th><a href=\"#subject-\(anchor(report.subject.name))\">\(escape(report.subject.name))</a>"
      html += "<span class=\"caller\">\(escape(report.subject.principal.arn))</span></th>"
      html +=
        "<td>\(policies.identityPolicies.map { "<code>\(escape($0.name))</code>" }.joined(separator: "<br>"))</td>"
      html += "<td>\(policies.permissionsBoundary.map { "<code>\(escape($0.name))</code>" } ?? "")</td>"
      html += "<td class=\"num\">\(policies.serviceControlPolicies.count)</td>"
      html +=
        "<td class=\"num\">\(report.granted.count)</td><td class=\"num\">\(report.granted.filter(\.conditional).count)</td>"
      html +=
        "<td class=\"num\">\(report.cut.count)</td><td>\(escape(AuditText.severityCounts(report.findings) ?? "none"))</td></tr>\n"
    }
    return html + "</tbody>\n</table>\n</section>\n"
  }

  /// The access-level classes from the least to the most powerful.
  static let levelOrder: [(AccessLevel, String, String)] = [
    (.list, "list", "L"), (.read, "read", "R"), (.tagging, "tagging", "T"), (.write, "write", "W"),
    (.permissionsManagement, "pm", "P"),
  ]

  static func heatmap(_ reports: [AuditReport], catalog: Catalog) -> String {
    var services: [String] = []
    var seen: Set<String> = []
    var byReport: [[String: [GrantedAction]]] = []
    var cutByReport: [[String: Int]] = []
    for report in reports {
      var grouped: [String: [GrantedAction]] = [:]
      for grant in report.granted { grouped[grant.service, default: []].append(grant) }
      byReport.append(grouped)
      var cuts: [String: Int] = [:]
      for cut in report.cut { cuts[cut.service, default: 0] += 1 }
      cutByReport.append(cuts)
      for service in Array(grouped.keys) + Array(cuts.keys) where seen.insert(service).inserted {
        services.append(service)
      }
    }
    services.sort()
    var html = "<section id=\"heatmap\">\n<h2>Permission set × service heatmap</h2>\n"
    html += "<p class=\"legend\">Colour: the most powerful access level granted. "
    for (_, css, _) in levelOrder.reversed() {
      let level = levelOrder.first { $0.1 == css }!.0
      html += "<span class=\"\(css)\">\(escape(level.rawValue))</span>"
    }
    html += "<span class=\"none\">nothing</span><span class=\"write cond\">only conditional</span> "
    html +=
      "Cells: granted / catalog actions of the service; letters L R T W P: the levels granted; ✂ actions cut by a boundary, SCP or Deny.</p>\n"
    html += "<div class=\"heatwrap\"><table class=\"heatmap\">\n<thead><tr><th class=\"corner\">service</th>"
    for report in reports {
      html += "<th title=\"\(escape(report.subject.principal.arn))\">\(escape(report.subject.name))</th>"
    }
    html += "</tr></thead>\n<tbody>\n"
    for service in services {
      let total = catalog.service(prefix: service)?.actions.count ?? 0
      html += "<tr><th>\(escape(service))</th>"
      for (offset, grouped) in byReport.enumerated() {
        let actions = grouped[service] ?? []
        let cuts = cutByReport[offset][service] ?? 0
        guard !actions.isEmpty || cuts > 0 else {
          html += "<td class=\"none\">·</td>"
          continue
        }
        var present: Set<AccessLevel> = []
        var tooltip: [String] = []
        for (level, _, _) in levelOrder {
          let count = actions.filter { $0.accessLevel == level }.count
          if count > 0 {
            present.insert(level)
            tooltip.append("\(level.rawValue): \(count)")
          }
        }
        let conditional = actions.filter(\.conditional).count
        if conditional > 0 { tooltip.append("conditional: \(conditional)") }
        if cuts > 0 { tooltip.append("cut: \(cuts)") }
        let top = levelOrder.last { present.contains($0.0) }?.1 ?? "none"
        let onlyConditional = !actions.isEmpty && conditional == actions.count
        let letters = levelOrder.map { present.contains($0.0) ? "<b>\($0.2)</b>" : "<i>\($0.2)</i>" }.joined()
        html +=
          "<td class=\"\(top)\(onlyConditional ? " cond" : "")\" title=\"\(escape(tooltip.joined(separator: ", ")))\">"
        html +=
          "\(actions.count)/\(total)\(cuts > 0 ? " <span class=\"cutmark\">✂\(cuts)</span>" : "")<span class=\"lv\">\(letters)</span></td>"
      }
      html += "</tr>\n"
    }
    return html + "</tbody>\n</table></div>\n</section>\n"
  }

  static func findings(_ reports: [AuditReport]) -> String {
    let all = reports.flatMap(\.findings).enumerated().sorted {
      $0.element.severity != $1.element.severity ? $0.element.severity < $1.element.severity : $0.offset < $1.offset
    }.map(\.element)
    var html = "<section id=\"findings\">\n<h2>Findings (\(all.count))</h2>\n"
    guard !all.isEmpty else { return html + "<p>No findings.</p>\n</section>\n" }
    html +=
      "<table>\n<thead><tr><th>severity</th><th>code</th><th>subject</th><th>finding and evidence</th></tr></thead>\n<tbody>\n"
    for finding in all {
      html += "<tr><td class=\"sev sev-\(finding.severity.rawValue)\">\(finding.severity.rawValue)</td>"
      html +=
        "<td><code>\(escape(finding.code))</code></td><td>\(escape(finding.subject))</td><td>\(escape(finding.message))"
      if !finding.details.isEmpty || !finding.evidence.isEmpty {
        html += "<details><summary>\(finding.evidence.count) allowed request\(finding.evidence.count == 1 ? "" : "s")"
        html +=
          finding.details.isEmpty ? "" : ", \(finding.details.count) detail\(finding.details.count == 1 ? "" : "s")"
        html += "</summary><ul class=\"evidence\">"
        for detail in finding.details { html += "<li>\(escape(detail))</li>" }
        for evidence in finding.evidence {
          html += "<li><code>\(escape(evidence.summary))</code>: allowed by "
          html += evidence.statements.map { "<code>\(escape($0.description))</code>" }.joined(separator: "; ") + "</li>"
        }
        html += "</ul></details>"
      }
      html += "</td></tr>\n"
    }
    return html + "</tbody>\n</table>\n</section>\n"
  }

  static func details(_ reports: [AuditReport]) -> String {
    var html = "<section id=\"details\">\n<h2>Per subject</h2>\n"
    for report in reports {
      html +=
        "<div class=\"subject\" id=\"subject-\(anchor(report.subject.name))\">\n<h3>\(escape(report.subject.name))</h3>\n"
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
