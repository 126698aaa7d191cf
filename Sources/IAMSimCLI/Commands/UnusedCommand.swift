import Foundation
import IAMActivity
import IAMAudit
import IAMCatalog
import IAMEvaluation
import IAMIdentityCenter
import IAMOrganization
import IAMPolicy

/// `iamsim unused`: access a permission set grants that CloudTrail shows nobody used, and a narrower policy.
enum UnusedCommand {
  static let help = """
    USAGE: iamsim unused TRAIL... (--org DIR | --permission-set NAME|FILE) [--format text|json]

    Reads CloudTrail events (the JSON of `aws cloudtrail lookup-events`, log files as CloudTrail delivers them
    to S3 ({"Records": [...]}), or a bare JSON array of records; gzipped or not) and attributes them to
    permission sets through their AWSReservedSSO_ role sessions. Each event becomes the IAM actions it needed
    (Documentation/CloudTrailMapping.md): API-versioned names (Lambda's UpdateFunctionCode20150331v2) and
    operations authorized under another name (S3's ListObjectsV2 is s3:ListBucket) are mapped; sign-ins and
    calls no policy controls (ConsoleLogin, sts:GetCallerIdentity, AssumeRoleWithSAML) need nothing; an event
    whose action cannot be determined is listed as such, never guessed.

    Per permission set and account: the users seen, the actions used (and those possibly used, such as
    iam:PassRole for a role passed), the actions refused, the catalog actions it grants there (decided by the
    engine as `iamsim audit` does: boundaries, SCPs and Deny statements count) that nobody used, and a narrower
    policy: the permission set's own statements cut down to the actions used (same resources and conditions),
    which passes `iamsim validate` and which the engine checks to allow every observed request the permission
    set allows and nothing the permission set denies. With --org, permission sets assigned in an account but
    never used there are reported as wholly unused, without a policy.

    Exit status: 0 answered; 2 invalid input; 64 bad usage.

    """

  static func run(_ arguments: [String], environment: [String: String], out: (String) -> Void, err: (String) -> Void)
    throws -> ExitStatus
  {
    let parsed = try ParsedArguments(arguments, valueFlags: ["--org", "--permission-set", "--format"], switchFlags: [],
                                     command: "unused")
    let format = try parsed.format(["text", "json"], command: "unused")
    guard !parsed.positionals.isEmpty else { throw UsageError("name at least one CloudTrail file", command: "unused") }
    var events: [CloudTrailEvent] = []
    for path in parsed.positionals {
      do {
        events += try CloudTrailReader.read(InputFile.read(path), name: path)
      } catch let error as CloudTrailReader.ReadError {
        throw InputError("cloudtrail.unreadable", error.message, file: error.file, position: error.position)
      }
    }
    let cwd = FileManager.default.currentDirectoryPath
    var loader = PolicyLoader(environment: environment, searchRoots: [cwd, EvalCommand.executableDirectory])
    let organization = try parsed.single("--org", command: "unused").map { try OrganizationCommand.load($0, err: err) }
    var single: (PermissionSet, String)?
    if let reference = try parsed.single("--permission-set", command: "unused") {
      single = try PermissionSetLoader.load(reference, loader: &loader)
    }
    guard organization != nil || single != nil else {
      throw UsageError("give --org DIR or --permission-set to know what the permission sets grant", command: "unused")
    }
    let catalog = try CatalogCommand.loadBundled()
    let analysis = UnusedAnalysis(catalog: catalog)
    let auditor = Auditor(catalog: catalog)
    let activities = PermissionSetActivity.group(events, resolver: EventActionResolver(catalog: catalog))
    var reports: [UnusedReport] = []
    var skipped: [String] = []

    /// The policy set of a permission set in an account, and its identity policies.
    func policies(_ name: String, _ account: String) throws -> (PolicySet, [PolicyDocument])? {
      if let organization, let found = organization.permissionSet(named: name) {
        let resolved: ResolvedPermissionSet
        do {
          resolved = try organization.resolve(found, in: account)
        } catch {
          skipped.append("\(account) \(name): not analysed: \(error.message)")
          return nil
        }
        var set = PolicySet(identityPolicies: resolved.identityPolicies, permissionsBoundary: resolved.permissionsBoundary,
                            serviceControlPolicies: organization.serviceControlLevels(for: account))
        set.principalAccountIsManagement = account == organization.managementAccount
        return (set, resolved.identityPolicies)
      }
      if let (found, folder) = single, found.name == name {
        var provider = WorkspacePolicyProvider(loader: loader, folders: [folder, cwd])
        let resolved = try found.resolve(inAccount: account, provider: &provider)
        loader = provider.loader
        return (PolicySet(identityPolicies: resolved.identityPolicies, permissionsBoundary: resolved.permissionsBoundary),
                resolved.identityPolicies)
      }
      return nil
    }

    for activity in activities {
      guard let (set, identityPolicies) = try policies(activity.permissionSet, activity.account) else {
        if !skipped.contains(where: { $0.hasPrefix("\(activity.account) \(activity.permissionSet):") }) {
          skipped.append("\(activity.account) \(activity.permissionSet): not described by the given permission sets; skipped")
        }
        continue
      }
      let principal = analysis.sessionPrincipal(activity, sessionName: activity.users.sorted().first)
      let subject = AuditSubject(name: "\(activity.permissionSet)@\(activity.account)", permissionSet: activity.permissionSet,
                                 account: activity.account, principal: principal, policies: set)
      let granted = try auditor.audit(subject).granted.map(\.action)
      reports.append(analysis.analyse(activity, identityPolicies: identityPolicies, policies: set, granted: granted))
    }
    // Permission sets with no recorded use.
    let seen = Set(activities.map { $0.account + "/" + $0.permissionSet })
    if let organization {
      var pairs = Set<String>()
      for assignment in organization.assignments.sorted(by: { ($0.account, $0.permissionSet) < ($1.account, $1.permissionSet) })
      where !seen.contains(assignment.account + "/" + assignment.permissionSet)
        && pairs.insert(assignment.account + "/" + assignment.permissionSet).inserted
      {
        guard let (set, _) = try policies(assignment.permissionSet, assignment.account) else { continue }
        let principal = analysis.sessionPrincipal(
          PermissionSetActivity(permissionSet: assignment.permissionSet, account: assignment.account), sessionName: nil)
        let subject = AuditSubject(name: "\(assignment.permissionSet)@\(assignment.account)",
                                   permissionSet: assignment.permissionSet, account: assignment.account,
                                   principal: principal, policies: set)
        let granted = try auditor.audit(subject).granted.map(\.action)
        reports.append(analysis.whollyUnused(permissionSet: assignment.permissionSet, account: assignment.account,
                                             granted: granted))
      }
    } else if let (found, _) = single, !activities.contains(where: { $0.permissionSet == found.name }) {
      skipped.append("\(found.name): no event of the trail was made through this permission set: it is wholly unused in the period the trail covers")
    }
    reports.sort { ($0.account, $0.permissionSet) < ($1.account, $1.permissionSet) }
    let times = events.map(\.eventTime).filter { !$0.isEmpty }
    if format == "json" {
      out(JSONOutput.object([
        ("version", 1), ("catalog", CatalogCommand.info(catalog.metadata)), ("policies", PoliciesCommand.shippedInfo()),
        ("trail", .object([("files", .array(parsed.positionals.map(JSONOutput.string))), ("events", .int(events.count)),
                           ("from", .optional(times.min())), ("to", .optional(times.max()))])),
        ("permissionSets", .array(reports.map(json))), ("skipped", .array(skipped.map(JSONOutput.string))),
      ]).rendered(pretty: true) + "\n")
    } else {
      var text = "trail: \(events.count) event\(events.count == 1 ? "" : "s")"
      if let from = times.min(), let to = times.max() { text += " from \(from) to \(to)" }
      text += "\n"
      if reports.isEmpty && skipped.isEmpty { text += "no event was made through an Identity Center permission set\n" }
      for report in reports { text += self.text(report) }
      for line in skipped { text += line + "\n" }
      out(text)
    }
    return .success
  }

  static func text(_ report: UnusedReport) -> String {
    var text = "\n\(report.account) \(report.permissionSet)"
    if report.whollyUnused {
      text += ": WHOLLY UNUSED (no recorded use; \(report.grantedCount) granted actions)\n"
      return text + report.notes.map { "  note: \($0)\n" }.joined()
    }
    text += " (users: \(report.users.joined(separator: ", ")); \(report.eventCount) events)\n"
    text += "  used \(report.used.count) actions: \(report.used.joined(separator: ", "))\n"
    if !report.possiblyUsed.isEmpty {
      text += "  possibly used: " + report.possiblyUsed.map { "\($0.action) (\($0.reason))" }.joined(separator: "; ") + "\n"
    }
    if !report.refused.isEmpty { text += "  refused: \(report.refused.joined(separator: ", "))\n" }
    text += "  \(report.unused.count) of \(report.grantedCount) granted actions were not used"
    var byService: [String: Int] = [:]
    for action in report.unused { byService[String(action.prefix { $0 != ":" }), default: 0] += 1 }
    if !byService.isEmpty {
      text += ": " + byService.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
    }
    text += "\n"
    if !report.unknownUse.isEmpty { text += "  \(report.unknownUse.count) granted actions of unknown use (see notes)\n" }
    for event in report.noPermissionEvents {
      text += "  needs no permission: \(event.eventName) (\(event.eventSource)) ×\(event.count): \(event.reason)\n"
    }
    for event in report.undeterminedEvents {
      text += "  action undetermined: \(event.eventName) (\(event.eventSource)) ×\(event.count)\(event.refused ? ", refused" : ""): \(event.reason)\n"
    }
    text += report.notes.map { "  note: \($0)\n" }.joined()
    if let policy = report.narrowerPolicy, let check = report.check {
      text += "  narrower policy (the permission set's own statements cut to the actions used; engine-checked on \(check.observedRequests) observed and \(check.comparedRequests) compared requests):\n"
      text += policy.split(separator: "\n").map { "    \($0)\n" }.joined()
    }
    return text
  }

  static func json(_ report: UnusedReport) -> JSONOutput {
    func counts(_ events: [EventCount]) -> JSONOutput {
      .array(events.map {
        .object([("eventSource", .string($0.eventSource)), ("eventName", .string($0.eventName)), ("count", .int($0.count)),
                 ("refused", .bool($0.refused)), ("reason", .string($0.reason))])
      })
    }
    return .object([
      ("permissionSet", .string(report.permissionSet)), ("account", .string(report.account)),
      ("status", .string(report.whollyUnused ? "unused" : "used")),
      ("users", .array(report.users.map(JSONOutput.string))), ("events", .int(report.eventCount)),
      ("from", .optional(report.firstEventTime)), ("to", .optional(report.lastEventTime)),
      ("used", .array(report.used.map(JSONOutput.string))),
      ("possiblyUsed", .array(report.possiblyUsed.map {
        .object([("action", .string($0.action)), ("reason", .string($0.reason))])
      })),
      ("refused", .array(report.refused.map(JSONOutput.string))),
      ("grantedCount", .int(report.grantedCount)), ("unused", .array(report.unused.map(JSONOutput.string))),
      ("unknownUse", .array(report.unknownUse.map(JSONOutput.string))),
      ("noPermissionNeeded", counts(report.noPermissionEvents)), ("undetermined", counts(report.undeterminedEvents)),
      ("narrowerPolicy", .optional(report.narrowerPolicy)),
      ("check", report.check.map { check in
        .object([("observedRequests", .int(check.observedRequests)),
                 ("allowedByPermissionSet", .int(check.allowedByPermissionSet)),
                 ("comparedRequests", .int(check.comparedRequests)),
                 ("failures", .array(check.failures.map(JSONOutput.string)))])
      } ?? .null),
      ("notes", .array(report.notes.map(JSONOutput.string))),
    ])
  }
}
