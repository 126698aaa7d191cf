import IAMAudit
import IAMCatalog
import IAMPolicy

/// The text and JSON forms of `iamsim diff`.
enum DiffOutput {
  typealias Violation = (change: AuditDiff.Change, subject: String, rules: [String])

  static let sections: [(AuditDiff.Change.Kind, String)] = [
    (.added, "newly allowed"), (.removed, "no longer allowed"), (.widened, "allowed more widely"),
    (.narrowed, "allowed less widely"),
  ]

  static func text(_ diffs: [AuditDiff], title: String, catalog: CatalogMetadata, violations: [Violation], people: DiffCommand.PeopleReport? = nil)
    -> String
  {
    var text = "iamsim diff: \(title)\n\(AuditText.catalogLine(catalog))\n"
    if let people { text += self.text(people) }
    for diff in diffs {
      // An organization's pairs whose audits were compared and came out the same are not listed one by one.
      if people != nil && diff.changes.isEmpty { continue }
      if diffs.count > 1 || diff.subject != title { text += "\n== \(diff.subject)\n" }
      guard !diff.changes.isEmpty else {
        text += "  no change in access\n"
        continue
      }
      for (kind, heading) in sections {
        let changes = diff.changes(kind)
        guard !changes.isEmpty else { continue }
        text += "\n\(heading): \(changes.count) action\(changes.count == 1 ? "" : "s")\n"
        switch kind {
        case .added, .removed:
          var order: [String] = []
          var byService: [String: [GrantedAction]] = [:]
          for change in changes {
            guard let grant = kind == .added ? change.new : change.old else { continue }
            if byService[change.service] == nil { order.append(change.service) }
            byService[change.service, default: []].append(grant)
          }
          for service in order {
            text += "  \(service)\n"
            for group in AuditText.groups(byService[service] ?? []) {
              let gate = group.conditional ? ", if " + group.keys.joined(separator: ", ") : ""
              text += AuditText.wrapped(
                "    \(group.level.rawValue) (\(group.names.count)\(gate)) on \(group.resources): ",
                group.names, indent: "      ")
            }
          }
        case .widened, .narrowed:
          for change in changes {
            guard let old = change.old, let new = change.new else { continue }
            text += "  \(change.action) (\(change.accessLevel.rawValue)): \(describe(old)) → \(describe(new))\n"
          }
        }
      }
    }
    let counts = sections.map { kind, heading in "\(diffs.reduce(0) { $0 + $1.changes(kind).count }) \(heading)" }
    if people?.perPermissionSet ?? true { text += "\n" + counts.joined(separator: ", ") + "\n" }
    if !violations.isEmpty {
      text += "\nnew access that fails the check: \(violations.count) action\(violations.count == 1 ? "" : "s")\n"
      for violation in violations {
        let subject = diffs.count > 1 ? " [\(violation.subject)]" : ""
        text +=
          "  \(violation.change.action) (\(violation.change.accessLevel.rawValue))\(subject): \(violation.rules.joined(separator: ", "))\n"
      }
    }
    return text
  }

  /// `if aws:ResourceTag/team on all resources`, `unconditionally on arn:…`.
  static func describe(_ grant: GrantedAction) -> String {
    (grant.conditional ? "if " + grant.conditionKeys.joined(separator: ", ") : "unconditionally") + " on "
      + AuditText.resourceText(grant)
  }

  static func json(_ diffs: [AuditDiff], title: (String, String), catalog: CatalogMetadata, violations: [Violation],
                   people: DiffCommand.PeopleReport? = nil) -> JSONOutput
  {
    var members: [(String, JSONOutput)] = [
      ("version", 1), ("catalog", AuditJSON.catalog(catalog)),
      ("policies", PoliciesCommand.shippedInfo()), ("old", .string(title.0)), ("new", .string(title.1)),
    ]
    for (kind, _) in sections {
      members.append(
        (kind.rawValue, .array(diffs.flatMap { diff in diff.changes(kind).map { change($0, subject: diff.subject) } })))
    }
    members.append(
      (
        "violations",
        .array(
          violations.map { violation in
            .object([
              ("action", .string(violation.change.action)),
              ("accessLevel", .string(violation.change.accessLevel.rawValue)),
              ("subject", .string(violation.subject)), ("change", .string(violation.change.kind.rawValue)),
              ("rules", .array(violation.rules.map(JSONOutput.string))),
            ])
          })
      ))
    if let people { members += self.json(people) }
    members.append(
      (
        "summary",
        .object(
          sections.map { kind, _ in
            (kind.rawValue, .int(diffs.reduce(0) { $0 + $1.changes(kind).count }))
          } + [("violations", .int(violations.count))])
      ))
    return .object(members)
  }

  static func change(_ change: AuditDiff.Change, subject: String) -> JSONOutput {
    var members: [(String, JSONOutput)] = [
      ("action", .string(change.action)), ("accessLevel", .string(change.accessLevel.rawValue)),
      ("service", .string(change.service)), ("subject", .string(subject)),
    ]
    switch change.kind {
    case .added, .removed:
      if let grant = change.kind == .added ? change.new : change.old {
        members += AuditJSON.grant(grant).filter { !["action", "accessLevel", "service"].contains($0.0) }
      }
    case .widened, .narrowed:
      let side = { (grant: GrantedAction?) -> JSONOutput in
        guard let grant else { return .null }
        return .object(AuditJSON.grant(grant).filter { !["action", "accessLevel", "service"].contains($0.0) })
      }
      members += [("before", side(change.old)), ("after", side(change.new))]
    }
    return .object(members)
  }
}
