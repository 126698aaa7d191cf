import IAMAudit
import IAMCatalog
import IAMEvaluation
import IAMOrganization
import IAMPolicy

/// `iamsim access`: every account and permission set a user can use, and what each grants per service.
enum AccessCommand {
  static let help = """
    USAGE: iamsim access --org DIR --user USER [--actions] [--strict] [--region R] [--format text|json|html]

    Lists every account and permission set the user reaches (directly or through a group), and every IAM role
    an account access manager grant gives them, with the session tags, the boundary, and per service the catalog
    actions the session is granted, decided by the engine exactly as `iamsim audit` decides them (conditions,
    the permissions boundary, the account's SCPs and Deny statements count): counts by access level, how many
    only under conditions, and what the SCPs or the boundary cut. An action the policies as written allow only
    under context the audit does not give (the Region a Deny of the SCPs tests, MFA, …) is said to be allowed
    if that context holds, with the values the policies name, each decided by the engine: "allowed if
    aws:RequestedRegion ∈ {eu-west-1, eu-central-1}" (JSON: `allowedIf` of each granted action).

      --actions                list every granted action (text; JSON always lists them)
      --strict                 leave out the "allowed if" conditions
      --region R               the Region the requests are made in (aws:RequestedRegion): conditions on it are
                               evaluated as written, so a Deny of other Regions (an SCP's) cuts what it denies
      --format html            one self-contained page, riskiest first: the findings of the user's sessions by
                               severity, a session × service heatmap whose cells open their actions, each session

    Exit status: 0 answered; 2 invalid input; 64 bad usage.

    """

  static func run(_ arguments: [String], environment: [String: String], out: (String) -> Void, err: (String) -> Void)
    throws -> ExitStatus
  {
    let parsed = try ParsedArguments(
      arguments, valueFlags: ["--org", "--user", "--format", "--region"], switchFlags: ["--actions", "--strict"], command: "access")
    let given = try RequestArguments.context(parsed, command: "access")
    let conditions = !parsed.has("--strict")
    let listsActions = parsed.has("--actions")
    let format = try parsed.format(["text", "json", "html"], command: "access")
    guard let directory = try parsed.single("--org", command: "access"), let user = try parsed.single("--user", command: "access") else {
      throw UsageError("--org DIR and --user USER are required", command: "access")
    }
    let organization = try OrganizationCommand.load(directory, err: err)
    guard organization.identityStore.user(named: user) != nil else {
      throw InputError("organization.unknown-user", "the identity store has no user named `\(user)`")
    }
    let catalog = try CatalogCommand.loadBundled()
    let auditor = Auditor(catalog: catalog)
    var reports: [AuditReport] = []
    var entries: [JSONOutput] = []
    var text = ""
    let callers = organization.grants(for: user).map {
      Caller.identityCenter(user: user, permissionSet: $0.assignment.permissionSet, account: $0.assignment.account)
    } + organization.accountAccessGrants(for: user).map { Caller.accountAccess(user: user, account: $0.grant.account, role: $0.grant.role) }
    // Sessions whose policies are the same (and read nothing of the caller that differs) are audited once: a user
    // assigned a permission set in 200 accounts under a few SCP paths has a few distinct audits.
    var audits: [String: AuditReport] = [:]
    func audit(_ subject: AuditSubject, session: OrganizationSession, caller: Caller) throws -> AuditReport {
      var key: String?
      if case .identityCenter = caller, let permissionSet = session.resolved?.permissionSet {
        key = CallerDependence(subject.policies).auditKey(
          organization.policyKey(permissionSet: permissionSet, account: caller.account, resourceOwner: caller.account),
          namesAccounts: CallerDependence.namesAccounts(subject.policies), account: caller.account
        ) { session.principal.tags }
      }
      guard let key else { return try auditor.audit(subject, conditions: conditions) }
      guard var report = audits[key] else {
        let report = try auditor.audit(subject, conditions: conditions)
        audits[key] = report
        return report
      }
      report.subject = subject
      report.findings = report.findings.map { finding in
        var finding = finding
        finding.subject = subject.name
        return finding
      }
      return report
    }
    for caller in callers {
      let session: OrganizationSession
      do {
        session = try organization.session(for: caller)
      } catch {
        text += "\(caller): not available: \(error.message)\n"
        entries.append(.object([("caller", .string(caller.description)), ("unavailable", .string(error.message))]))
        continue
      }
      // The same subject `audit --org` decides, for this user's own session.
      let subjectName: String
      if case .accountAccess(_, let account, let role) = caller { subjectName = "role \(role)@\(account)" } else {
        subjectName = "\(session.resolved?.permissionSet.name ?? "")@\(caller.account)"
      }
      var subject = AuditSubject(
        name: subjectName, permissionSet: session.resolved?.permissionSet.name, account: caller.account,
        principal: session.principal,
        policies: organization.policySet(for: session, resource: "*", resourceAccount: caller.account))
      subject.given = given
      // Who has it, as far as this page is concerned: the user, directly or through the group.
      subject.holders = [AuditHolder(
        principalType: session.group == nil ? .user : .group, name: session.group ?? user, users: [user],
        accounts: [caller.account])]
      let report = try audit(subject, session: session, caller: caller)
      reports.append(report)
      let via = session.group.map { "through group \($0)" } ?? "directly"
      let (title, name): (String, (String, JSONOutput))
      switch caller {
      case .accountAccess(_, let account, let role):
        (title, name) = ("\(account) role \(role) (account access manager, \(via))", ("role", .string(role)))
      default:
        let permissionSet = session.resolved?.permissionSet.name ?? ""
        (title, name) = ("\(caller.account) \(permissionSet) (\(via))", ("permissionSet", .string(permissionSet)))
      }
      text += title + "\n"
      text += "  caller: \(session.principal.arn)\n"
      if !session.principal.tags.isEmpty {
        // An Identity Center session's tags are its ABAC session tags; a role's are its own tags (and any session tags).
        let label = session.resolved == nil ? "principal tags" : "session tags"
        text += "  \(label): " + session.principal.tags.map { "\($0.key)=\($0.value)" }.joined(separator: ", ") + "\n"
      }
      if let boundary = session.policies.permissionsBoundary { text += "  permissions boundary: \(boundary.name)\n" }
      text += summary(report, listsActions: listsActions)
      entries.append(.object([
        ("account", .string(caller.account)), name,
        ("group", .optional(session.group)), ("principal", .string(session.principal.arn)),
        ("sessionTags", .object(session.principal.tags.map { ($0.key, .string($0.value)) })),
        ("permissionsBoundary", .optional(session.policies.permissionsBoundary?.name)),
        // What the Allow statements name (kept from format version 1); `granted` is what the engine allows.
        ("services", .object(grantsByService(session.policies.identityPolicies).map { service, patterns in
          (service, .array(patterns.map { .object([("actions", .string($0.text)), ("conditional", .bool($0.conditional))]) }))
        })),
        ("granted", .array(report.granted.map { action in
          .object([("action", .string(action.action)), ("accessLevel", .string(action.accessLevel.rawValue)),
                   ("conditional", .bool(action.conditional)), ("resources", .string(action.resourceSummary))]
                  + (action.allowedIf.map { [("allowedIf", JSONOutput.condition($0))] } ?? []))
        })),
        ("cut", .array(report.cut.map { action in
          .object([("action", .string(action.action)), ("accessLevel", .string(action.accessLevel.rawValue)),
                   ("cutBy", .string(action.cutBy))])
        })),
      ]))
    }
    if format == "html" {
      out(AuditHTML.render(reports, catalog: catalog.metadata, catalog: catalog, today: AuditInputs.today, title: "iamsim access: \(user)"))
    } else if format == "json" {
      out(JSONOutput.object([("version", 1), ("user", .string(user)), ("access", .array(entries))]).rendered(pretty: true) + "\n")
    } else {
      out(text.isEmpty ? "\(user) has no account assignments\n" : text)
    }
    return .success
  }

  /// A session's granted actions per service, counted by access level, and what was cut.
  static func summary(_ report: AuditReport, listsActions: Bool) -> String {
    guard !report.granted.isEmpty else { return "  grants no catalog action\n" }
    var text = "  grants \(report.granted.count) actions in \(report.grantedByService.count) services"
    let conditional = report.granted.filter(\.conditional).count
    text += conditional == 0 ? "\n" : ", \(conditional) only under conditions\n"
    var counts: [String: Int] = [:]
    for action in report.granted { if let condition = action.allowedIf { counts[condition.sentence, default: 0] += 1 } }
    for sentence in counts.keys.sorted(by: { (counts[$1]!, $0) < (counts[$0]!, $1) }) {
      text += "  \(counts[sentence]!) of them \(sentence)\n"
    }
    for (service, actions) in report.grantedByService {
      var levels: [String: Int] = [:]
      for action in actions { levels[action.accessLevel.rawValue, default: 0] += 1 }
      let counts = levels.keys.sorted().map { "\($0) \(levels[$0]!)" }.joined(separator: ", ")
      let only = actions.filter(\.conditional).count
      text += "  \(service): \(actions.count) (\(counts))" + (only == 0 ? "" : ", \(only) conditional") + "\n"
      if listsActions {
        for action in actions {
          text += "    \(action.action)" + (action.conditional ? " (conditional)" : "")
            + (action.allowedIf.map { " (\($0.sentence))" } ?? "") + "\n"
        }
      }
    }
    if !report.cut.isEmpty {
      var by: [String: Int] = [:]
      for action in report.cut { by[action.cutBy, default: 0] += 1 }
      text += "  cut: " + by.keys.sorted().map { "\(by[$0]!) by \($0)" }.joined(separator: ", ") + "\n"
    }
    return text
  }

  /// The action patterns of Allow statements by service prefix, sorted; `*` and NotAction go under `*`.
  static func grantsByService(_ policies: [PolicyDocument]) -> [(String, [(text: String, conditional: Bool)])] {
    var byService: [String: [(text: String, conditional: Bool)]] = [:]
    for statement in policies.flatMap(\.statements) where statement.effect == .allow {
      let conditional = !statement.conditions.isEmpty
      if statement.action.isNegated {
        let except = statement.action.patterns.map(\.source).joined(separator: ", ")
        byService["*", default: []].append(("every action except \(except)", conditional))
        continue
      }
      for pattern in statement.action.patterns {
        let service = pattern.matchesEverything ? "*" : pattern.service
        if !(byService[service] ?? []).contains(where: { $0.text == pattern.source && $0.conditional == conditional }) {
          byService[service, default: []].append((pattern.source, conditional))
        }
      }
    }
    return byService.keys.sorted().map { ($0, byService[$0] ?? []) }
  }
}
