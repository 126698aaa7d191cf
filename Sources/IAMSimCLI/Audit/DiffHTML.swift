import IAMAudit
import IAMCatalog
import IAMPolicy

/// The people diff as one self-contained HTML page (`iamsim diff … --format html`): inline CSS (the audit report's)
/// and a few lines of inline script for the filter box, nothing fetched. Summaries first, then the gates that
/// tripped and what was not compared, then each user's and group's details. Everything from the input is escaped.
enum DiffHTML {
  static func render(_ people: DiffCommand.PeopleReport, title: String, catalog: CatalogMetadata) -> String {
    let review = people.review
    let heading = "iamsim diff: who gains and loses access"
    var html = """
      \(AuditHTML.pageStart(title: heading, style: AuditHTML.style + "\n" + style))
      <p class="scope"><code>\(AuditHTML.escape(title))</code></p>
      <p class="scope">\(scope(people))</p>
      </header>
      <nav class="filters"><label>Filter <input id="f" type="search" placeholder="user, group, account, permission set, action or finding…" autocomplete="off"></label>
      <span class="muted" id="shown"></span></nav>

      """
    html += summaries(people)
    if !people.trips.isEmpty {
      html +=
        "<h2>--fail-on: \(people.trips.count) trip\(people.trips.count == 1 ? "" : "s")</h2>\n<ul class=\"trips\">"
      for trip in people.trips.prefix(500) {
        html += "<li data-search=\"\(search([trip.gate, trip.reason]))\"><code>\(AuditHTML.escape(trip.gate))</code>: "
        html += "\(AuditHTML.escape(trip.reason))</li>"
      }
      if people.trips.count > 500 { html += "<li>… and \(people.trips.count - 500) more</li>" }
      html += "</ul>\n"
    }
    if !review.notCompared.isEmpty {
      html +=
        "<h2>Not compared (\(review.notCompared.count)): never taken as unchanged</h2>\n<ul class=\"notcompared\">"
      for item in review.notCompared {
        let described = DiffOutput.describe(item)
        html +=
          "<li data-search=\"\(search([described, item.reason]))\">\(AuditHTML.escape(described)): \(AuditHTML.escape(item.reason))</li>"
      }
      html += "</ul>\n"
    }
    html += details(people)
    if !people.unknowns.isEmpty {
      html += AuditHTML.list(
        "Known only after apply (\(people.unknowns.count))",
        people.unknowns.map { "<code>\(AuditHTML.escape($0.origin.address))</code>: \(AuditHTML.escape($0.what))" })
    }
    if !people.unmodelled.isEmpty {
      html += AuditHTML.list(
        "Left out, not modelled by iamsim (\(people.unmodelled.count))",
        people.unmodelled.map { "<code>\(AuditHTML.escape($0.address))</code> (\(AuditHTML.escape($0.type)))" })
    }
    html += "<footer>\(AuditHTML.escape(AuditText.catalogLine(catalog))). Every answer comes from iamsim's evaluation "
    html += "engine, as <code>iamsim audit</code> decides it: conditions, boundaries, SCPs and Deny statements count. "
    html += "iamsim \(Tool.version), offline: no AWS credentials, no network.</footer>\n"
    html += "<script>\n\(script)\n</script>\n</body>\n</html>\n"
    return html
  }

  static let style = """
    nav.filters { position: sticky; top: 0; background: #fff; padding: 6px 0; z-index: 3; border-bottom: 1px solid var(--border); }
    nav.filters input { font: inherit; padding: 3px 6px; width: 420px; border: 1px solid var(--border); border-radius: 4px; }
    table.summary { width: 100%; } table.summary td.sign { font-weight: 700; text-align: center; width: 1.5em; }
    td.sign.gain { color: #b00020; } td.sign.loss { color: #166534; }
    .entry { border-top: 1px solid var(--border); margin-top: 12px; padding-top: 4px; }
    .entry h3 { margin: 6px 0 4px; } .entry p { margin: 3px 0; }
    .finding { font-weight: 600; color: #b00020; } .finding.gone { color: #166534; }
    code.lv { padding: 0 3px; border-radius: 3px; margin: 1px 0; display: inline-block; }
    .keys { color: #7c2d12; font-weight: 600; }
    """

  /// Hides the summary rows, trips and entries whose text does not contain the filter's words.
  static let script = #"""
    (function () {
      const box = document.getElementById("f"), shown = document.getElementById("shown");
      const items = Array.from(document.querySelectorAll("[data-search]"));
      function apply() {
        const words = box.value.toLowerCase().split(/\s+/).filter((w) => w.length > 0);
        let visible = 0;
        for (const item of items) {
          const text = item.getAttribute("data-search");
          const on = words.every((w) => text.includes(w));
          item.style.display = on ? "" : "none";
          if (on && item.classList.contains("entry")) visible++;
        }
        const total = document.querySelectorAll(".entry").length;
        shown.textContent = words.length ? visible + " of " + total + " entries shown" : "";
      }
      box.addEventListener("input", apply);
    })();
    """#

  /// The lowercased text an item is filtered on, escaped for an attribute.
  static func search(_ parts: [String]) -> String {
    AuditHTML.escape(parts.joined(separator: " ").lowercased())
  }

  /// `2 users gain access, 0 users lose access, in 1 account · 1 new finding · 1 --fail-on trip`.
  static func scope(_ people: DiffCommand.PeopleReport) -> String {
    let userEntries = people.review.entries.filter { $0.kind == .user }
    let gaining = Set(userEntries.filter { !$0.gained.isEmpty || !$0.findingsGained.isEmpty }.map(\.name)).count
    let losing = Set(userEntries.filter { !$0.lost.isEmpty || !$0.findingsLost.isEmpty }.map(\.name)).count
    let accounts = Set(userEntries.map(\.account)).count
    var parts = [
      "<b>\(DiffOutput.users(gaining)) gain\(gaining == 1 ? "s" : "") access, \(DiffOutput.users(losing)) lose\(losing == 1 ? "s" : "") access, in \(accounts) account\(accounts == 1 ? "" : "s")</b>"
    ]
    if people.review.entries.contains(where: { $0.kind == .role }) {
      let (rolesGaining, rolesLosing) = DiffOutput.roleCounts(people.review)
      parts.append(
        "IAM roles: \(rolesGaining) gain\(rolesGaining == 1 ? "s" : "") access, \(rolesLosing) lose\(rolesLosing == 1 ? "s" : "") access")
    }
    let findings = Set(userEntries.flatMap(\.findingsGained))
    if !findings.isEmpty {
      parts.append(
        "<span class=\"finding\">new findings: \(AuditHTML.escape(findings.sorted().joined(separator: ", ")))</span>")
    }
    if !people.trips.isEmpty {
      parts.append(
        "<span class=\"sev sev-error\">\(people.trips.count) --fail-on trip\(people.trips.count == 1 ? "" : "s")</span>"
      )
    }
    if !people.review.notCompared.isEmpty {
      parts.append("<span class=\"sev sev-warning\">\(people.review.notCompared.count) not compared</span>")
    }
    return parts.joined(separator: " · ")
  }

  static func summaries(_ people: DiffCommand.PeopleReport) -> String {
    let lines = DiffOutput.summaries(people)
    guard !lines.isEmpty else { return "<h2>Summary</h2>\n<p>Nobody gains or loses access.</p>\n" }
    var html =
      "<h2>Summary</h2>\n<table class=\"summary\"><thead><tr><th></th><th>who</th><th>what</th><th>account</th>"
    html += "<th>through</th></tr></thead><tbody>\n"
    for line in lines {
      let what = line.what(people.review.accessLevels)
      html += "<tr data-search=\"\(search([line.who, what, line.account, line.through] + line.actions))\">"
      html += "<td class=\"sign \(line.sign == "+" ? "gain" : "loss")\">\(line.sign == "+" ? "+" : "−")</td>"
      html += "<td>\(AuditHTML.escape(line.who)) \(line.verb)</td><td>\(AuditHTML.escape(what))</td>"
      html += "<td>\(AuditHTML.escape(line.account))</td><td>\(AuditHTML.escape(line.through))</td></tr>\n"
    }
    return html + "</tbody></table>\n"
  }

  /// Each user's and group's entry: who, where, through what, why; findings; the actions with their access level.
  static func details(_ people: DiffCommand.PeopleReport) -> String {
    let review = people.review
    guard !review.entries.isEmpty else { return "" }
    var html = "<h2>Details</h2>\n"
    for entry in review.entries {
      let account = people.accountNames[entry.account].map { "\(entry.account) (\($0))" } ?? entry.account
      let who: String
      switch entry.kind {
      case .user:
        who =
          "\(entry.name) in \(account) through \(entry.via) (\(entry.group.map { "group \($0)" } ?? "direct assignment"))"
      case .group:
        who =
          "group \(entry.name) in \(account) through \(entry.via): \(entry.members.count) member\(entry.members.count == 1 ? "" : "s")"
      case .role:
        who = "role \(entry.name) in \(account)"
      }
      let searched =
        [who, entry.causes.joined(separator: " "), entry.members.joined(separator: " ")]
        + entry.findingsGained + entry.findingsLost + entry.gained + entry.lost
      html += "<section class=\"entry\" data-search=\"\(search(searched))\">\n<h3>\(AuditHTML.escape(who))</h3>\n"
      if entry.kind == .group {
        html += "<p>Members: \(entry.members.map { AuditHTML.escape($0) }.joined(separator: ", "))</p>\n"
      }
      html += "<p>Because: \(AuditHTML.escape(entry.causes.joined(separator: "; ")))</p>\n"
      if !entry.findingsGained.isEmpty {
        html +=
          "<p class=\"finding\">New findings: \(entry.findingsGained.map { "<code>\(AuditHTML.escape($0))</code>" }.joined(separator: ", "))</p>\n"
      }
      if !entry.findingsLost.isEmpty {
        html +=
          "<p class=\"finding gone\">Findings gone: \(entry.findingsLost.map { "<code>\(AuditHTML.escape($0))</code>" }.joined(separator: ", "))</p>\n"
      }
      for part in DiffOutput.detailParts(entry) {
        let label = part.label.prefix(1).uppercased() + part.label.dropFirst()
        html += "<details\(part.actions.count <= 40 ? " open" : "")><summary>\(AuditHTML.escape(label))</summary><p>"
        html += part.actions.map { action in
          let level = review.accessLevels[action]
          let css = level.map(AuditHTML.css) ?? "none"
          let tip = level.map { " title=\"\(AuditHTML.escape($0.rawValue))\"" } ?? ""
          return "<code class=\"lv \(css)\"\(tip)>\(AuditHTML.escape(action))</code>"
        }.joined(separator: " ")
        html += "</p></details>\n"
      }
      html += "</section>\n"
    }
    return html
  }
}
