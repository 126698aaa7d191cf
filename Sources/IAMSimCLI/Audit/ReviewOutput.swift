import IAMAudit
import IAMCatalog
import IAMOrganization
import IAMPolicy

/// The text, CSV and comparison forms of an access review.
enum ReviewOutput {
  /// `List 3, Read 40, Write 2`: the levels that have actions, in AWS's order.
  static func levels(_ levels: [AccessLevel: Int]) -> String {
    let parts = AccessLevel.allCases.compactMap { level in levels[level].map { "\(level.rawValue) \($0)" } }
    return parts.isEmpty ? "nothing" : parts.joined(separator: ", ")
  }

  /// `grant set #3: 1,204 actions (List 3, …), 12 conditional; findings: a, b`.
  static func grant(_ review: AccessReview, _ set: Int?, route: AccessReview.Route) -> String {
    guard let set else {
      if case .unavailable(_, let message) = route.grant { return "not evaluated: \(message)" }
      return "not evaluated"
    }
    let grants = review.grantSets[set]
    var text = "grant set #\(set): \(grants.actions.count) actions (\(levels(grants.levels)))"
    if grants.conditional > 0 { text += ", \(grants.conditional) conditional" }
    if !grants.findings.isEmpty { text += "; findings: " + Array(Set(grants.findings.map(\.code))).sorted().joined(separator: ", ") }
    return text
  }

  /// `1 group`, `2 groups`.
  static func count(_ number: Int, _ singular: String, _ plural: String? = nil) -> String {
    "\(number) " + (number == 1 ? singular : plural ?? singular + "s")
  }

  static func via(_ group: String?) -> String { group.map { "through group \($0)" } ?? "directly" }

  static func accountLabel(_ review: AccessReview, _ id: String) -> String {
    let name = review.accounts.first { $0.id == id }?.name ?? ""
    return name.isEmpty ? id : "\(id) (\(name))"
  }

  static func pad(_ text: String, _ width: Int) -> String {
    text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
  }

  // MARK: Text

  static func text(_ review: AccessReview, source: String, catalog: CatalogMetadata, details: Bool) -> String {
    var text = "iamsim review: \(source)\n\(AuditText.catalogLine(catalog))\n"
    let totals = Dictionary(review.totals, uniquingKeysWith: { first, _ in first })
    text += "\(totals["people"]!) people (\(totals["peopleWithAccess"]!) with access), \(count(totals["groups"]!, "group")), "
    text += "\(count(totals["accounts"]!, "account")) (\(totals["accountsReached"]!) reached), \(totals["routes"]!) assignments and grants, "
    text += "\(totals["grantSets"]!) distinct grant sets; \(totals["accesses"]!) rows (person, account, permission set or role, via)"
    text += totals["unavailable"]! > 0 ? ", \(totals["unavailable"]!) not evaluated\n" : "\n"
    let summaries = review.people.indices.map { review.summary(of: $0) }
    if details {
      text += "\nPEOPLE\n"
      for (index, person) in review.people.enumerated() {
        let summary = summaries[index]
        text += "\n\(person.userName)" + (person.displayName.map { " (\($0))" } ?? "")
        text += ": \(count(summary.accesses, "row")) in \(count(summary.accounts, "account"))"
        text += summary.findings.isEmpty ? "\n" : "; findings: \(summary.findings.joined(separator: ", "))\n"
        if !person.groups.isEmpty { text += "  groups: " + person.groups.map { review.groups[$0].name }.joined(separator: ", ") + "\n" }
        for row in review.accesses(of: index) {
          let route = review.routes[row.route]
          text += "  \(accountLabel(review, route.account)) \(route.target.description) (\(via(row.group))): "
          text += grant(review, row.set, route: route) + "\n"
        }
      }
      text += "\nACCOUNTS\n"
      for account in review.accounts {
        text += "\n\(account.id)" + (account.name.isEmpty ? "" : " (\(account.name))") + ": \(count(account.people, "person", "people"))\n"
        for position in account.routes {
          let route = review.routes[position]
          let who = route.principalType == .group ? "group \(route.principal) (\(route.people) people)" : "user \(route.principal)"
          text += "  \(route.target.description) to \(who): "
          switch route.grant {
          case .set(let set): text += "grant set #\(set)\n"
          case .byTags(let keys, let choices): text += "grant sets by \(keys.joined(separator: ", ")): " + choices.map { "#\($0.set)" }.joined(separator: ", ") + "\n"
          case .perPerson: text += "a grant set per person\n"
          case .nobody: text += "reaches nobody\n"
          case .unavailable(_, let message): text += "not evaluated: \(message)\n"
          }
        }
      }
      text += "\nGRANT SETS\n"
      for set in review.grantSets {
        text += "\n#\(set.id) (first audited as \(set.subject)): \(set.actions.count) actions (\(levels(set.levels)))"
        text += set.conditional > 0 ? ", \(set.conditional) conditional" : ""
        text += set.cut > 0 ? ", \(set.cut) cut\n" : "\n"
        for service in set.services {
          text += "  \(service.service): \(service.granted) (\(levels(service.levels)))"
          text += service.conditional > 0 ? ", \(service.conditional) conditional\n" : "\n"
        }
        for finding in set.findings { text += "  [\(finding.severity.rawValue)] \(finding.code): \(finding.message)\n" }
      }
      return text
    }
    // A screen: the riskiest people, the accounts most reached, the grant sets with the most serious findings.
    let rank: (Diagnostic.Severity?) -> Int = { severity in severity.map { Diagnostic.Severity.allCases.firstIndex(of: $0)! } ?? 99 }
    let people = review.people.indices.filter { summaries[$0].accesses > 0 }.sorted {
      (rank(summaries[$0].worstSeverity), -summaries[$0].accounts, review.people[$0].userName)
        < (rank(summaries[$1].worstSeverity), -summaries[$1].accounts, review.people[$1].userName)
    }
    text += "\nPEOPLE, riskiest first (\(people.count) with access)\n"
    text += "  " + pad("user", 28) + pad("accounts", 10) + pad("rows", 7) + "findings\n"
    for index in people.prefix(10) {
      let summary = summaries[index]
      text += "  " + pad(review.people[index].userName, 28) + pad("\(summary.accounts)", 10) + pad("\(summary.accesses)", 7)
      text += (summary.findings.isEmpty ? "-" : "\(summary.worstSeverity!.rawValue): \(summary.findings.prefix(3).joined(separator: ", "))")
      text += summary.findings.count > 3 ? ", +\(summary.findings.count - 3)\n" : "\n"
    }
    if people.count > 10 { text += "  … \(people.count - 10) more\n" }
    let accounts = review.accounts.indices.filter { review.accounts[$0].people > 0 }
      .sorted { (-review.accounts[$0].people, review.accounts[$0].id) < (-review.accounts[$1].people, review.accounts[$1].id) }
    text += "\nACCOUNTS, most reached first (\(accounts.count) reached of \(review.accounts.count))\n"
    for index in accounts.prefix(8) {
      let account = review.accounts[index]
      let groups = Set(account.routes.filter { review.routes[$0].principalType == .group }.map { review.routes[$0].principal })
      let direct = account.routes.filter { review.routes[$0].principalType == .user && review.routes[$0].people > 0 }.count
      text += "  \(pad(accountLabel(review, account.id), 36))\(pad(count(account.people, "person", "people"), 14))"
      let targets = Set(account.routes.map { review.routes[$0].target }).count
      text += "\(count(groups.count, "group")), \(direct) direct, \(count(targets, "permission set or role", "permission sets or roles"))\n"
    }
    if accounts.count > 8 { text += "  … \(accounts.count - 8) more\n" }
    let sets = review.grantSets.sorted {
      (rank($0.worstSeverity), -$0.actions.count, $0.id) < (rank($1.worstSeverity), -$1.actions.count, $1.id)
    }
    text += "\nGRANT SETS, riskiest first (\(sets.count) distinct)\n"
    for set in sets.prefix(8) {
      text += "  #\(set.id) \(set.subject): \(set.actions.count) actions (\(levels(set.levels)))"
      text += set.findings.isEmpty ? "\n" : "; \(set.findings.count) findings, \(set.worstSeverity!.rawValue) first\n"
    }
    if sets.count > 8 { text += "  … \(sets.count - 8) more\n" }
    let unavailable = review.routes.filter { if case .unavailable = $0.grant { return true } else { return false } }
    if !unavailable.isEmpty {
      text += "\nNOT EVALUATED (\(unavailable.count) assignments or grants; never counted as no access)\n"
      for route in unavailable.prefix(5) {
        if case .unavailable(_, let message) = route.grant {
          text += "  \(route.target.description) in \(route.account) to \(route.principal): \(message)\n"
        }
      }
    }
    text += "\n--details lists every person's rows, every account and every grant set; --format json|csv|html\n"
    return text
  }

  // MARK: CSV

  static let csvHeader = [
    "user", "displayName", "account", "accountName", "type", "permissionSetOrRole", "via", "grantSet", "granted",
  ] + AccessLevel.allCases.map(\.rawValue) + ["conditional", "cut", "findings", "notEvaluated"]

  /// One field, quoted as RFC 4180 asks when it holds a comma, a double quote, CR or LF (quotes doubled).
  static func csvField(_ text: String) -> String {
    guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }) else { return text }
    return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }

  /// One row per (person, account, permission set or role, via), CRLF line ends.
  static func csv(_ review: AccessReview, to output: inout ChunkedOutput) {
    output.write(csvHeader.map(csvField).joined(separator: ",") + "\r\n")
    let names = Dictionary(review.accounts.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
    // Each grant set's columns, once.
    let setColumns = review.grantSets.map { set -> String in
      let levels = set.levels
      return ([String(set.id), String(set.actions.count)] + AccessLevel.allCases.map { String(levels[$0] ?? 0) }
        + [String(set.conditional), String(set.cut), csvField(Array(Set(set.findings.map(\.code))).sorted().joined(separator: " "))])
        .joined(separator: ",")
    }
    let empty = Array(repeating: "", count: 5 + AccessLevel.allCases.count).joined(separator: ",")
    for (index, person) in review.people.enumerated() {
      let prefix = csvField(person.userName) + "," + csvField(person.displayName ?? "") + ","
      for row in review.accesses(of: index) {
        let route = review.routes[row.route]
        var line = prefix + csvField(route.account) + "," + csvField(names[route.account] ?? "") + ","
        line += (route.target.kind == "role" ? "role" : "permission set") + "," + csvField(route.target.name) + ","
        line += csvField(row.group.map { "group:" + $0 } ?? "direct") + ","
        if let set = row.set {
          line += setColumns[set] + ","
        } else {
          var reason = "not evaluated"
          if case .unavailable(_, let message) = route.grant { reason = message }
          line += empty + "," + csvField(reason)
        }
        output.write(line + "\r\n")
      }
    }
  }

  // MARK: Comparison

  static func changeLine(_ change: AccessReviewComparison.Change, names: [String: String]) -> String {
    let count = change.users.count
    let who = count == 1 ? change.users[0] : "\(count) users"
    let vias = { (vias: [String?]) in vias.map(via).joined(separator: " and ") }
    let label = { (id: String) in (names[id] ?? "").isEmpty ? id : "\(id) (\(names[id]!))" }
    let accounts = change.accounts.count == 1
      ? label(change.accounts[0])
      : "\(change.accounts.count) accounts (" + change.accounts.prefix(3).map(label).joined(separator: ", ")
        + (change.accounts.count > 3 ? ", …)" : ")")
    let place = "\(change.target.description) in \(accounts)"
    switch change.kind {
    case .gained:
      return "+ \(who) gain\(count == 1 ? "s" : "") \(place) \(vias(change.viaAfter))"
        + (change.unavailableAfter ? " (not evaluated)" : ": \(levels(change.levelsAfter))")
    case .lost:
      return "- \(who) lose\(count == 1 ? "s" : "") \(place) \(vias(change.viaBefore))"
        + (change.unavailableBefore ? " (was not evaluated)" : ": \(levels(change.levelsBefore))")
    case .changed:
      var parts: [String] = []
      if change.viaChanged { parts.append("now \(vias(change.viaAfter)), was \(vias(change.viaBefore))") }
      if change.grantsChanged {
        var grants = "grants \(levels(change.levelsAfter)), was \(levels(change.levelsBefore))"
        if !change.actionsGained.isEmpty { grants += "; +\(change.actionsGained.count) actions" }
        if !change.actionsLost.isEmpty { grants += "; -\(change.actionsLost.count) actions" }
        parts.append(grants)
      }
      return "~ \(who): \(place): " + parts.joined(separator: "; ")
    }
  }

  static func comparisonText(_ comparison: AccessReviewComparison, before: String, after: String) -> String {
    var text = "iamsim review: changes from \(before) to \(after)\n"
    let changes = comparison.changes
    let count = { (kind: AccessReviewComparison.Kind) in
      changes.filter { $0.kind == kind }.reduce(0) { $0 + $1.users.count * $1.accounts.count }
    }
    text += "\(ReviewOutput.count(count(.gained), "access", "accesses")) gained, \(count(.lost)) lost, \(count(.changed)) changed"
    text += "; \(comparison.peopleAdded.count) people added, \(comparison.peopleRemoved.count) removed\n"
    if changes.isEmpty { return text + "no person gained, lost or changed any access\n" }
    for change in changes {
      text += "\n" + changeLine(change, names: comparison.accountNames) + "\n"
      if change.accounts.count > 3 { text += "    accounts: " + change.accounts.prefix(20).joined(separator: ", ") + (change.accounts.count > 20 ? ", …" : "") + "\n" }
      if change.users.count > 1 {
        text += "    " + change.users.prefix(20).joined(separator: ", ") + (change.users.count > 20 ? ", …" : "") + "\n"
      }
      if !change.actionsGained.isEmpty {
        text += "    gains: " + change.actionsGained.prefix(12).joined(separator: ", ")
        text += change.actionsGained.count > 12 ? ", … (\(change.actionsGained.count))\n" : "\n"
      }
      if !change.actionsLost.isEmpty {
        text += "    loses: " + change.actionsLost.prefix(12).joined(separator: ", ")
        text += change.actionsLost.count > 12 ? ", … (\(change.actionsLost.count))\n" : "\n"
      }
      if !change.findingsGained.isEmpty { text += "    new findings: \(change.findingsGained.joined(separator: ", "))\n" }
      if !change.findingsLost.isEmpty { text += "    findings gone: \(change.findingsLost.joined(separator: ", "))\n" }
    }
    return text
  }

  static func comparisonJSON(_ comparison: AccessReviewComparison, before: String, after: String) -> JSONOutput {
    let vias = { (vias: [String?]) -> JSONOutput in
      .array(vias.map { via in via.map { .object([("group", .string($0))]) } ?? .object([("direct", true)]) })
    }
    let levels = { (levels: [AccessLevel: Int]) -> JSONOutput in
      .object(AccessLevel.allCases.compactMap { level in levels[level].map { (level.rawValue, .int($0)) } })
    }
    return .object([
      ("kind", "iamsim-access-review-changes"), ("version", 1), ("before", .string(before)), ("after", .string(after)),
      ("peopleAdded", .array(comparison.peopleAdded.map(JSONOutput.string))),
      ("peopleRemoved", .array(comparison.peopleRemoved.map(JSONOutput.string))),
      ("changes", .array(comparison.changes.map { change in
        .object([
          ("change", .string(change.kind.rawValue)), ("users", .array(change.users.map(JSONOutput.string))),
          ("accounts", .array(change.accounts.map { account in
            .object([("id", .string(account)), ("name", .string(comparison.accountNames[account] ?? ""))])
          })),
          (change.target.kind, .string(change.target.name)),
          ("viaBefore", vias(change.viaBefore)), ("viaAfter", vias(change.viaAfter)),
          ("viaChanged", .bool(change.viaChanged)), ("grantsChanged", .bool(change.grantsChanged)),
          ("levelsBefore", change.unavailableBefore ? .null : levels(change.levelsBefore)),
          ("levelsAfter", change.unavailableAfter ? .null : levels(change.levelsAfter)),
          ("actionsGained", .array(change.actionsGained.map(JSONOutput.string))),
          ("actionsLost", .array(change.actionsLost.map(JSONOutput.string))),
          ("findingsGained", .array(change.findingsGained.map(JSONOutput.string))),
          ("findingsLost", .array(change.findingsLost.map(JSONOutput.string))),
        ])
      })),
    ])
  }
}
