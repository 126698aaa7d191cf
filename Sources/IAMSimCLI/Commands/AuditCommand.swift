import Foundation
import IAMAudit
import IAMCatalog
import IAMEvaluation
import IAMOrganization
import IAMPolicy

/// `iamsim audit`: what policies, permission sets or an organization really grant, and what of it is risky.
enum AuditCommand {
  static let help = """
    USAGE: iamsim audit --policy P [--policy P ...] [--boundary P] [--session-policy P] [--scp P[,P...] ...]
           iamsim audit --permission-set NAME|FILE|DIR [--permission-set ...] [--account ID] [--scp ...]
           iamsim audit --org DIR [--permission-set NAME] [--account ID]
           iamsim audit --resource-policy P [--resource-policy P ...] --resource-account ID [--org DIR]

    Lists every action of the AWS catalog the policies grant, by service and access level, with the resources
    it is granted on and the condition keys that gate it, and reports risks. Each action is decided by the
    evaluation engine, on a resource standing for each Resource pattern of the Allow statements that name it:

      granted      the policies allow it on some resource once conditions are assumed to hold
      conditional  granted, but only by statements with a Condition (their keys are named)
      cut          the identity policies grant it, but a boundary, session policy, SCP or RCP level, or an
                   unconditional Deny removes it (the layer is named)

    Findings are checked with concrete requests: privilege-escalation.pass-role, .create-policy-version,
    .attach-policy, .update-assume-role-policy, .assume-any-role, data-exfiltration, resource-exposure,
    credentials-exposure, infrastructure-modification, service-wide-wildcard, and suppression.expired.
    The privilege-escalation paths pathfinding.cloud catalogues (Documentation/Escalation.md) are findings too, each
    when the engine allows one action of every group the path needs; a path an existing finding covers is named in
    that finding's details (`pathfinding.cloud iam-014: … allowed`). Paths of their own:
    \(escalationCodes)
    With --org, privilege-escalation.chain.permission-set and .chain.pass-role report two-step chains, every hop
    proven by an allowed request (see Documentation/Escalation.md for what "more powerful" means).

    A resource-based policy (--resource-policy) is checked for access from outside the zone of trust (the resource's
    account; with --org, the organization), as IAM Access Analyzer's external-access findings:
    external-access.public (S3's definition of a public policy; proven by an anonymous request) and
    external-access.cross-account (each outside principal, proven by a request from that account that the resource
    policy allows; its own account must allow it too). AWS service principals are not reported.

    INPUTS (each P is a file, inline JSON, or the ARN or name of a shipped AWS managed policy):
      --policy P               an identity-based policy (repeatable)
      --boundary P             the permissions boundary
      --session-policy P       the session policy
      --scp P[,P...]           the SCPs of one organization level; repeat once per level, root first
      --rcp P[,P...]           the RCPs of one level, root first
      --management-account     the caller's account is the management account (SCPs do not apply)
      --permission-set REF     a permission set: shipped name, file, or a folder of them (repeatable); with
                               --org, only that permission set
      --account ID             the account permission sets are resolved in (default 111122223333); with --org,
                               only that account
      --user NAME              the Identity Center user of the sessions (default alice@example.com)
      --org DIR                an organization directory: every permission set in every account it is assigned
                               in, with the account's SCP and RCP levels, as the session of a user who has it;
                               accounts where its policies are the same (and read nothing caller-specific) are
                               audited once, as one subject that lists them (JSON: `accounts`)
      --name NAME              the subject's name for --policy (default: the policies' names)
      --resource-policy P      a resource-based policy (bucket, key, queue, trust policy) to check for external
                               access (repeatable); a subject of its own, named after it
      --resource-account ID    the account that owns the resources of --resource-policy (required with it)

    OUTPUT:
      --format text|json|html  text (default); json with a top-level `granted` list of
                               {"action", "accessLevel", "conditional", ...}; html: one self-contained page,
                               riskiest first: the findings with the permission sets, accounts and people (with
                               --org) that have them, then a permission-set × service heatmap whose cells open
                               their actions
      --details                text: every granted action, cut and piece of evidence (default: a screen per
                               subject: counts per service and access level and the findings, riskiest first)
      --summary                text: the default screen per subject (kept for scripts that pass it)
      --suppressions FILE      JSON [{"code", "principal", "reason", "expires": "YYYY-MM-DD"}]: hides a finding
                               (code, family or *) of a subject (permission set, subject name or *) through its
                               expiry day; an expired suppression is reported as suppression.expired
      --today YYYY-MM-DD       the date suppressions are compared with (default: today, UTC)
      --fail-on SEVERITY       exit 1 when an unsuppressed finding is at or above error, security-warning,
                               warning or suggestion
      --region R               the Region the requests are made in (aws:RequestedRegion): conditions on it are
                               evaluated as written, so a Deny of other Regions (an SCP's) cuts what it denies

    EXAMPLE:
      iamsim audit --policy arn:aws:iam::aws:policy/job-function/DatabaseAdministrator --format json
      iamsim audit --org cases/example-org --format html > audit.html

    Exit status: 0 audited; 1 a finding at or above --fail-on; 2 invalid input; 64 bad usage.

    """

  /// The codes of the escalation paths that have a rule of their own, wrapped under the help's indent.
  static var escalationCodes: String {
    let codes = EscalationPath.catalogue.filter { $0.reportedBy == nil }.map {
      String($0.code.dropFirst("privilege-escalation".count))
    }
    var lines: [String] = []
    var line = "privilege-escalation" + codes[0]
    for code in codes.dropFirst() {
      if line.count + code.count + 2 > 112 {
        lines.append(line + ",")
        line = code
      } else {
        line += ", " + code
      }
    }
    return (lines + [line + "."]).joined(separator: "\n  ")
  }

  static let valueFlags: Set<String> = [
    "--policy", "--boundary", "--session-policy", "--scp", "--rcp", "--permission-set", "--account", "--user", "--org",
    "--name", "--format", "--suppressions", "--today", "--fail-on", "--resource-policy", "--resource-account",
    "--region",
  ]

  static func run(_ arguments: [String], environment: [String: String], out: (String) -> Void, err: (String) -> Void)
    throws -> ExitStatus
  {
    let parsed = try ParsedArguments(
      arguments, valueFlags: valueFlags, switchFlags: ["--management-account", "--summary", "--details"],
      command: "audit")
    let format = try parsed.format(["text", "json", "html"], command: "audit")
    guard parsed.positionals.isEmpty else {
      throw UsageError(
        "audit takes no positional arguments; give --policy, --permission-set, --org or --resource-policy",
        command: "audit")
    }
    if parsed.has("--summary") && parsed.has("--details") {
      throw UsageError("give --summary or --details, not both", command: "audit")
    }
    let failOn = try severity(parsed.single("--fail-on", command: "audit"), command: "audit")
    let today = try parsed.single("--today", command: "audit") ?? AuditInputs.today
    guard Suppression.isValidDate(today) else {
      throw UsageError("--today must be a date YYYY-MM-DD", command: "audit")
    }

    let external = try AuditInputs.externalAccessInputs(parsed, environment: environment)
    let externalOnly = try external != nil && AuditInputs.onlyExternalAccess(parsed)
    var (subjects, organization) =
      externalOnly ? ([], nil) : try subjects(parsed, environment: environment, err: err)
    let given = try RequestArguments.context(parsed, command: "audit")
    for index in subjects.indices { subjects[index].given = given }
    let suppressions =
      try parsed.single("--suppressions", command: "audit").map {
        try Suppression.read(InputFile.readJSON($0), file: $0)
      } ?? []
    let catalog = try CatalogCommand.loadBundled()
    let auditor = Auditor(catalog: catalog)
    var progress = Progress(environment: environment)
    var reports: [AuditReport] = []
    for (offset, subject) in subjects.enumerated() {
      progress.show("auditing \(offset + 1) of \(subjects.count): \(subject.name)")
      reports.append(try auditor.audit(subject))
    }
    if let organization {
      progress.show("looking for escalation chains")
      reports = auditor.addingChains(to: reports, in: organization)
    }
    if let external {
      // With --org, the organization is the zone of trust.
      let zone = AuditInputs.zoneOfTrust(account: external.account, organization: organization, err: err)
      for document in external.policies {
        reports.append(try auditor.externalAccess(document, zone: zone, name: AuditInputs.shortName(document.name)))
      }
    }
    reports = reports.map { $0.applying(suppressions, today: today) }
    progress.done()

    switch format {
    case "json":
      out(AuditJSON.render(reports, catalog: catalog.metadata, catalog: catalog).rendered(pretty: true) + "\n")
    case "html":
      out(AuditHTML.render(reports, catalog: catalog.metadata, catalog: catalog, today: today))
    default:
      out(AuditText.render(reports, catalog: catalog.metadata, details: parsed.has("--details")))
    }
    if let failOn, reports.contains(where: { $0.findings.contains { $0.severity <= failOn } }) { return .failure }
    return .success
  }

  /// The subjects the flags describe.
  static func subjects(_ parsed: ParsedArguments, environment: [String: String], err: (String) -> Void) throws
    -> ([AuditSubject], Organization?)
  {
    let cwd = FileManager.default.currentDirectoryPath
    var inputs = AuditInputs(environment: environment, searchRoots: [cwd, EvalCommand.executableDirectory])
    if let user = try parsed.single("--user", command: "audit") { inputs.user = user }
    let account = try parsed.single("--account", command: "audit")
    if let account, account.count != 12 || !account.allSatisfy({ $0.isASCII && $0.isNumber }) {
      throw UsageError("--account must be a 12-digit account ID", command: "audit")
    }
    let permissionSets = parsed.all("--permission-set")
    if let directory = try parsed.single("--org", command: "audit") {
      for flag in ["--policy", "--boundary", "--session-policy", "--scp", "--rcp", "--name"]
      where !parsed.all(flag).isEmpty {
        throw UsageError(
          "`\(flag)` cannot be combined with --org, which gives every session's policies", command: "audit")
      }
      guard permissionSets.count <= 1 else {
        throw UsageError("with --org, give at most one --permission-set", command: "audit")
      }
      let organization = try OrganizationCommand.load(directory, err: err)
      let subjects = AuditInputs.organizationSubjects(
        organization, permissionSet: permissionSets.first, account: account, err: err)
      guard !subjects.isEmpty else {
        throw UsageError("no assignment of the organization matches --permission-set and --account", command: "audit")
      }
      return (subjects, organization)
    }
    let extra = try inputs.policySet(parsed, command: "audit")
    if !permissionSets.isEmpty {
      if !parsed.all("--name").isEmpty {
        throw UsageError("--name goes with --policy, not --permission-set", command: "audit")
      }
      return (
        try inputs.permissionSetSubjects(
          permissionSets, account: account ?? "111122223333", extra: extra, command: "audit"), nil
      )
    }
    guard !extra.identityPolicies.isEmpty else {
      throw UsageError("give at least one --policy, a --permission-set or --org", command: "audit")
    }
    if let flag = ["--account", "--user"].first(where: { !parsed.all($0).isEmpty }) {
      throw UsageError("`\(flag)` goes with --permission-set or --org", command: "audit")
    }
    return ([AuditInputs.policySubject(extra, name: try parsed.single("--name", command: "audit"))], nil)
  }

  /// Reads a `--fail-on` severity.
  static func severity(_ text: String?, command: String) throws -> Diagnostic.Severity? {
    guard let text else { return nil }
    guard let severity = Diagnostic.Severity(rawValue: text), severity != .note else {
      throw UsageError("`--fail-on` must be error, security-warning, warning or suggestion", command: command)
    }
    return severity
  }
}
