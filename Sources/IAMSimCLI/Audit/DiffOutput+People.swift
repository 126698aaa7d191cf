import IAMAudit
import IAMCatalog
import IAMOrganization
import IAMPolicy

/// The people part of `iamsim diff`: summaries first, then each user's and group's details, in text, JSON and
/// Markdown.
extension DiffOutput {
  /// One summary line's parts: who (a group's members, or a user assigned directly), where, through what.
  struct Summary {
    var sign: String
    var who: String
    var count: Int
    var verb: String
    var actions: [String]
    var account: String
    var through: String
    /// The risk finding codes gained (`+`) or lost (`-`).
    var findings: [String] = []
    /// Condition keys of the actions gained only under conditions.
    var conditions: [String: [String]] = [:]

    /// `s3:DeleteBucket (if aws:MultiFactorAuthPresent) … and gains privilege-escalation.pass-role`, after the verb.
    func what(_ levels: [String: AccessLevel], code: Bool = false) -> String {
      var text = actions.isEmpty ? "" : actionsPhrase(actions, levels, conditions: conditions, code: code)
      if !findings.isEmpty {
        let names = findings.map { code ? "`\($0)`" : $0 }.joined(separator: ", ")
        text += actions.isEmpty ? "finding \(names)" : " and \(verb) \(names)"
      }
      return text
    }
  }

  /// The summary lines: one per group, account and permission set, and one per direct assignment.
  static func summaries(_ people: DiffCommand.PeopleReport) -> [Summary] {
    var lines: [Summary] = []
    let review = people.review
    for entry in review.entries {
      let account = people.accountNames[entry.account].map { "\(entry.account) (\($0))" } ?? entry.account
      switch entry.kind {
      case .group:
        let gaining = review.entries.filter {
          $0.kind == .user && $0.group == entry.name && $0.account == entry.account && $0.via == entry.via
            && (!$0.gained.isEmpty || !$0.findingsGained.isEmpty)
        }
        let losing = review.entries.filter {
          $0.kind == .user && $0.group == entry.name && $0.account == entry.account && $0.via == entry.via
            && (!$0.lost.isEmpty || !$0.findingsLost.isEmpty)
        }
        if !entry.gained.isEmpty || !entry.findingsGained.isEmpty {
          lines.append(
            Summary(
              sign: "+", who: users(gaining.count), count: gaining.count, verb: gaining.count == 1 ? "gains" : "gain",
              actions: entry.gained, account: account, through: "\(entry.name) → \(entry.via)",
              findings: entry.findingsGained, conditions: entry.conditions))
        }
        if !entry.lost.isEmpty || !entry.findingsLost.isEmpty {
          lines.append(
            Summary(
              sign: "-", who: users(losing.count), count: losing.count, verb: losing.count == 1 ? "loses" : "lose",
              actions: entry.lost, account: account, through: "\(entry.name) → \(entry.via)",
              findings: entry.findingsLost))
        }
      case .user where entry.group == nil:
        if !entry.gained.isEmpty || !entry.findingsGained.isEmpty {
          lines.append(
            Summary(
              sign: "+", who: entry.name, count: 1, verb: "gains", actions: entry.gained, account: account,
              through: "\(entry.via) (direct assignment)", findings: entry.findingsGained, conditions: entry.conditions))
        }
        if !entry.lost.isEmpty || !entry.findingsLost.isEmpty {
          lines.append(
            Summary(
              sign: "-", who: entry.name, count: 1, verb: "loses", actions: entry.lost, account: account,
              through: "\(entry.via) (direct assignment)", findings: entry.findingsLost))
        }
      case .user:
        continue
      case .role:
        if !entry.gained.isEmpty || !entry.findingsGained.isEmpty {
          lines.append(
            Summary(
              sign: "+", who: "role \(entry.name)", count: 1, verb: "gains", actions: entry.gained, account: account,
              through: "its own policies", findings: entry.findingsGained, conditions: entry.conditions))
        }
        if !entry.lost.isEmpty || !entry.findingsLost.isEmpty {
          lines.append(
            Summary(
              sign: "-", who: "role \(entry.name)", count: 1, verb: "loses", actions: entry.lost, account: account,
              through: "its own policies", findings: entry.findingsLost))
        }
      }
    }
    return lines
  }

  static func users(_ count: Int) -> String { "\(count) user\(count == 1 ? "" : "s")" }

  /// `s3:DeleteBucket (if aws:MultiFactorAuthPresent)`, or `152 actions (Permissions management 3, Write 80, …)`.
  static func actionsPhrase(
    _ actions: [String], _ levels: [String: AccessLevel], conditions: [String: [String]] = [:], code: Bool = false
  ) -> String {
    let quote = { (text: String) in code ? "`\(text)`" : text }
    if actions.count <= 3 {
      return actions.map { action in
        quote(action) + (conditions[action].map { " (if " + $0.map(quote).joined(separator: ", ") + ")" } ?? "")
      }.joined(separator: ", ")
    }
    var counts: [AccessLevel: Int] = [:]
    for action in actions { if let level = levels[action] { counts[level, default: 0] += 1 } }
    let order: [AccessLevel] = [.permissionsManagement, .write, .tagging, .read, .list]
    let parts = order.compactMap { level in counts[level].map { "\(level.rawValue) \($0)" } }
    let conditional = actions.filter { conditions[$0] != nil }.count
    return "\(actions.count) actions" + (parts.isEmpty ? "" : " (" + parts.joined(separator: ", ") + ")")
      + (conditional == 0 ? "" : ", \(conditional) only under conditions")
  }

  static func text(_ people: DiffCommand.PeopleReport) -> String {
    let review = people.review
    let userEntries = review.entries.filter { $0.kind == .user }
    let gaining = Set(userEntries.filter { !$0.gained.isEmpty }.map(\.name))
    let losing = Set(userEntries.filter { !$0.lost.isEmpty }.map(\.name))
    let accounts = Set(userEntries.map(\.account))
    var text =
      "\n== people: \(users(gaining.count)) gain\(gaining.count == 1 ? "s" : "") access, \(users(losing.count)) lose\(losing.count == 1 ? "s" : "") access, in \(accounts.count) account\(accounts.count == 1 ? "" : "s")\n"
    let roleEntries = review.entries.filter { $0.kind == .role }
    if !roleEntries.isEmpty {
      let (rolesGaining, rolesLosing) = roleCounts(review)
      text +=
        "   IAM roles: \(rolesGaining) gain\(rolesGaining == 1 ? "s" : "") access, \(rolesLosing) lose\(rolesLosing == 1 ? "s" : "") access\n"
    }
    if !review.notCompared.isEmpty {
      text += "   \(review.notCompared.count) not compared (see below): never taken as unchanged\n"
    }
    for line in summaries(people) {
      text +=
        "  \(line.sign)\(line.who) \(line.verb) \(line.what(review.accessLevels)) in \(line.account) through \(line.through)\n"
    }
    if !review.entries.isEmpty { text += "\ndetails:\n" }
    for entry in review.entries {
      switch entry.kind {
      case .user:
        text +=
          "  \(entry.name) in \(entry.account) through \(entry.via) (\(entry.group.map { "group \($0)" } ?? "direct assignment"))\n"
      case .group:
        text +=
          "  group \(entry.name) in \(entry.account) through \(entry.via): \(entry.members.count) member\(entry.members.count == 1 ? "" : "s") (\(entry.members.joined(separator: ", ")))\n"
      case .role:
        text += "  role \(entry.name) in \(entry.account)\n"
      }
      text += "    because: \(entry.causes.joined(separator: "; "))\n"
      if !entry.findingsGained.isEmpty { text += "    new findings: \(entry.findingsGained.joined(separator: ", "))\n" }
      if !entry.findingsLost.isEmpty { text += "    findings gone: \(entry.findingsLost.joined(separator: ", "))\n" }
      if entry.kind == .group {
        if !entry.gained.isEmpty {
          text += "    gain \(actionsPhrase(entry.gained, review.accessLevels, conditions: entry.conditions))\n"
        }
        if !entry.lost.isEmpty { text += "    lose \(actionsPhrase(entry.lost, review.accessLevels))\n" }
        continue
      }
      for part in detailParts(entry) {
        text += AuditText.wrapped("    \(part.label): ", part.actions, indent: "      ")
      }
    }
    if !review.notCompared.isEmpty {
      text += "\nnot compared (\(review.notCompared.count)): these sessions are not known to be unchanged\n"
      for item in review.notCompared { text += "  \(describe(item)): \(item.reason)\n" }
    }
    if !people.unknowns.isEmpty {
      text += "\nknown only after apply (\(people.unknowns.count)):\n"
      for unknown in people.unknowns { text += "  \(unknown.origin.address): \(unknown.what)\n" }
    }
    if !people.unmodelled.isEmpty {
      text += "\nleft out, not modelled by iamsim (\(people.unmodelled.count)):\n"
      for origin in people.unmodelled { text += "  \(origin.address) (\(origin.type))\n" }
    }
    if !people.trips.isEmpty {
      text += "\n--fail-on: \(people.trips.count) trip\(people.trips.count == 1 ? "" : "s")\n"
      for trip in people.trips.prefix(200) { text += "  \(trip.gate): \(trip.reason)\n" }
      if people.trips.count > 200 { text += "  … and \(people.trips.count - 200) more\n" }
    }
    return text
  }

  /// A user entry's gained and lost actions in lines: unconditional gains, gains per set of condition keys, gains of
  /// actions allowed before only under conditions; losses, and losses of unconditional access still allowed under
  /// conditions.
  static func detailParts(_ entry: ChangeReview.Entry) -> [(label: String, actions: [String])] {
    var parts: [(label: String, actions: [String])] = []
    let widened = Set(entry.widened)
    let plain = entry.gained.filter { entry.conditions[$0] == nil && !widened.contains($0) }
    if !plain.isEmpty { parts.append(("gains \(plain.count)", plain)) }
    var byKeys: [[String]: [String]] = [:]
    for action in entry.gained { if let keys = entry.conditions[action] { byKeys[keys, default: []].append(action) } }
    for keys in byKeys.keys.sorted(by: { $0.joined(separator: ",") < $1.joined(separator: ",") }) {
      parts.append(("gains \(byKeys[keys]!.count) only if \(keys.isEmpty ? "conditions hold" : keys.joined(separator: ", "))", byKeys[keys]!))
    }
    if !entry.widened.isEmpty {
      parts.append(("gains \(entry.widened.count) without conditions, allowed before only under conditions", entry.widened))
    }
    let removed = entry.lost.filter { entry.narrowed[$0] == nil }
    if !removed.isEmpty { parts.append(("loses \(removed.count)", removed)) }
    var narrowed: [[String]: [String]] = [:]
    for action in entry.lost { if let keys = entry.narrowed[action] { narrowed[keys, default: []].append(action) } }
    for keys in narrowed.keys.sorted(by: { $0.joined(separator: ",") < $1.joined(separator: ",") }) {
      parts.append(
        ("loses unconditional access to \(narrowed[keys]!.count), still allowed if \(keys.joined(separator: ", "))",
         narrowed[keys]!))
    }
    return parts
  }

  /// IAM roles that gain, and that lose, access.
  static func roleCounts(_ review: ChangeReview) -> (gaining: Int, losing: Int) {
    let roles = review.entries.filter { $0.kind == .role }
    return (roles.filter { !$0.gained.isEmpty }.count, roles.filter { !$0.lost.isEmpty }.count)
  }

  static func describe(_ item: ChangeReview.NotCompared) -> String {
    var parts: [String] = []
    if let name = item.name {
      parts.append(item.kind == .group ? "group \(name)" : item.kind == .role ? "role \(name)" : name)
    } else {
      parts.append("every session")
    }
    if let account = item.account { parts.append("in \(account)") }
    if let via = item.via { parts.append("through \(via)") }
    return parts.isEmpty ? "every session" : parts.joined(separator: " ")
  }

  static func json(_ people: DiffCommand.PeopleReport) -> [(String, JSONOutput)] {
    let review = people.review
    func principal(_ kind: ChangeReview.PrincipalKind?, _ name: String?) -> JSONOutput {
      guard let kind, let name else { return .null }
      return .object([("type", .string(kind.rawValue)), ("name", .string(name))])
    }
    let changes: [JSONOutput] = review.entries.map { entry in
      var members: [(String, JSONOutput)] = [
        ("principal", principal(entry.kind, entry.name)), ("account", .string(entry.account)),
        ("via", .string(entry.via)),
      ]
      switch entry.kind {
      case .user: members.append(("group", .optional(entry.group)))
      case .group: members.append(("members", .array(entry.members.map(JSONOutput.string))))
      case .role: break
      }
      let keyed = { (map: [String: [String]], order: [String]) -> JSONOutput in
        .object(order.compactMap { action in map[action].map { (action, .array($0.map(JSONOutput.string))) } })
      }
      members += [
        ("gained", .array(entry.gained.map(JSONOutput.string))), ("lost", .array(entry.lost.map(JSONOutput.string))),
        ("conditions", keyed(entry.conditions, entry.gained)), ("widened", .array(entry.widened.map(JSONOutput.string))),
        ("narrowed", keyed(entry.narrowed, entry.lost)),
        ("findingsGained", .array(entry.findingsGained.map(JSONOutput.string))),
        ("findingsLost", .array(entry.findingsLost.map(JSONOutput.string))),
        ("causes", .array(entry.causes.map(JSONOutput.string))),
      ]
      return .object(members)
    }
    let notCompared: [JSONOutput] = review.notCompared.map { item in
      .object([
        ("principal", principal(item.kind, item.name)), ("user", .optional(item.kind == .user ? item.name : nil)),
        ("account", .optional(item.account)), ("via", .optional(item.via)), ("reason", .string(item.reason)),
      ])
    }
    let userEntries = review.entries.filter { $0.kind == .user }
    return [
      ("changes", .array(changes)),
      ("notCompared", .array(notCompared)),
      (
        "unknown",
        .array(people.unknowns.map { .object([("address", .string($0.origin.address)), ("what", .string($0.what))]) })
      ),
      (
        "unmodelled",
        .array(people.unmodelled.map { .object([("address", .string($0.address)), ("type", .string($0.type))]) })
      ),
      (
        "gates",
        .array(
          people.trips.map { trip in
            .object([
              ("gate", .string(trip.gate)), ("user", .optional(trip.user)), ("role", .optional(trip.role)),
              ("account", .optional(trip.account)),
              ("via", .optional(trip.via)), ("action", .optional(trip.action)), ("finding", .optional(trip.finding)),
              ("reason", .string(trip.reason)),
            ])
          })
      ),
      (
        "people",
        .object([
          ("usersGaining", .int(Set(userEntries.filter { !$0.gained.isEmpty }.map(\.name)).count)),
          ("usersLosing", .int(Set(userEntries.filter { !$0.lost.isEmpty }.map(\.name)).count)),
          ("accounts", .int(Set(userEntries.map(\.account)).count)),
          ("rolesGaining", .int(roleCounts(review).gaining)), ("rolesLosing", .int(roleCounts(review).losing)),
          ("notCompared", .int(review.notCompared.count)), ("gatesTripped", .int(people.trips.count)),
        ])
      ),
    ]
  }

  /// A pull-request comment: the summary as a table, the details folded.
  static func markdown(_ people: DiffCommand.PeopleReport, title: String) -> String {
    let review = people.review
    let userEntries = review.entries.filter { $0.kind == .user }
    let gaining = Set(userEntries.filter { !$0.gained.isEmpty }.map(\.name)).count
    let losing = Set(userEntries.filter { !$0.lost.isEmpty }.map(\.name)).count
    var text = "### iamsim: who gains and loses access\n\n"
    text += "`\(escape(title))`\n\n"
    text +=
      "**\(users(gaining)) gain\(gaining == 1 ? "s" : "") access, \(users(losing)) lose\(losing == 1 ? "s" : "") access, in \(Set(userEntries.map(\.account)).count) account(s).**"
    if review.entries.contains(where: { $0.kind == .role }) {
      let (rolesGaining, rolesLosing) = roleCounts(review)
      text +=
        " **IAM roles: \(rolesGaining) gain\(rolesGaining == 1 ? "s" : "") access, \(rolesLosing) lose\(rolesLosing == 1 ? "s" : "") access.**"
    }
    if !people.trips.isEmpty {
      text += " :x: **\(people.trips.count) `--fail-on` trip\(people.trips.count == 1 ? "" : "s").**"
    }
    if !review.notCompared.isEmpty { text += " :warning: **\(review.notCompared.count) not compared.**" }
    text += "\n\n"
    let lines = summaries(people)
    if !lines.isEmpty {
      text += "| | who | what | account | through |\n|---|---|---|---|---|\n"
      for line in lines {
        text +=
          "| \(line.sign == "+" ? "➕" : "➖") | \(escape(line.who)) \(line.verb) | \(escape(line.what(review.accessLevels, code: true))) | \(escape(line.account)) | \(escape(line.through)) |\n"
      }
      text += "\n"
    }
    if !people.trips.isEmpty {
      text += "<details><summary>--fail-on trips (\(people.trips.count))</summary>\n\n"
      for trip in people.trips.prefix(200) { text += "- `\(escape(trip.gate))`: \(escape(trip.reason))\n" }
      text += "\n</details>\n\n"
    }
    if !review.notCompared.isEmpty {
      text += "**Not compared** (never taken as unchanged):\n\n"
      for item in review.notCompared { text += "- \(escape(describe(item))): \(escape(item.reason))\n" }
      text += "\n"
    }
    if !review.entries.isEmpty {
      text += "<details><summary>Details</summary>\n\n"
      for entry in review.entries where entry.kind != .group {
        text +=
          entry.kind == .role
          ? "#### role \(escape(entry.name)) in \(entry.account)\n\n"
          : "#### \(escape(entry.name)) in \(entry.account) through \(escape(entry.via)) (\(escape(entry.group.map { "group \($0)" } ?? "direct assignment")))\n\n"
        text += "Because: \(escape(entry.causes.joined(separator: "; ")))\n\n"
        if !entry.findingsGained.isEmpty {
          text += "New findings: " + entry.findingsGained.map { "`\($0)`" }.joined(separator: ", ") + "\n\n"
        }
        if !entry.findingsLost.isEmpty {
          text += "Findings gone: " + entry.findingsLost.map { "`\($0)`" }.joined(separator: ", ") + "\n\n"
        }
        for part in detailParts(entry) {
          let label = part.label.prefix(1).uppercased() + part.label.dropFirst()
          text += "\(escape(label)): " + part.actions.map { "`\($0)`" }.joined(separator: ", ") + "\n\n"
        }
      }
      text += "</details>\n\n"
    }
    if !people.unknowns.isEmpty {
      text +=
        "Known only after apply: "
        + people.unknowns.map { "`\(escape($0.origin.address))` (\(escape($0.what)))" }.joined(separator: ", ") + "\n\n"
    }
    if !people.unmodelled.isEmpty {
      text +=
        "Left out (not modelled by iamsim): "
        + people.unmodelled.map { "`\(escape($0.address))`" }.joined(separator: ", ") + "\n"
    }
    return text
  }

  /// Markdown table cells and text: pipes and angle brackets escaped.
  static func escape(_ text: String) -> String {
    text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(
      of: ">", with: "&gt;")
  }
}
