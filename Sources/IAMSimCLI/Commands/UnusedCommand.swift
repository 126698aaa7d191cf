import Foundation
import IAMActivity
import IAMAudit
import IAMCatalog
import IAMEvaluation
import IAMOrganization
import IAMPolicy

/// `iamsim unused`: access a permission set grants that CloudTrail shows nobody used, and a narrower policy.
enum UnusedCommand {
  static let help = """
    USAGE: iamsim unused TRAIL... (--org DIR | --permission-set NAME|FILE) [--format text|json]

    Reads CloudTrail events (the JSON of `aws cloudtrail lookup-events`, or log files as CloudTrail delivers
    them to S3, gzipped or not), attributes them to permission sets through their AWSReservedSSO_ role
    sessions, and reports per permission set and account: the users seen, the actions used, the actions
    refused, the catalog actions the permission set grants in that account (decided by the engine, as
    `iamsim audit` does: boundaries, SCPs and Deny statements count) but nobody used, and a narrower policy
    that allows every action used, checked with the engine.

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
    var reports: [JSONOutput] = []
    var text = ""
    for activity in PermissionSetActivity.group(events) {
      let resolved: ResolvedPermissionSet
      var policies: PolicySet
      if let organization, let found = organization.permissionSet(named: activity.permissionSet) {
        do {
          resolved = try organization.resolve(found, in: activity.account)
        } catch {
          text += "\(activity.account) \(activity.permissionSet): not analysed: \(error.message)\n"
          continue
        }
        policies = PolicySet(identityPolicies: resolved.identityPolicies, permissionsBoundary: resolved.permissionsBoundary,
                             serviceControlPolicies: organization.serviceControlLevels(for: activity.account))
        policies.principalAccountIsManagement = activity.account == organization.managementAccount
      } else if let (found, folder) = single, found.name == activity.permissionSet {
        var provider = WorkspacePolicyProvider(loader: loader, folders: [folder, cwd])
        resolved = try found.resolve(inAccount: activity.account, provider: &provider)
        loader = provider.loader
        policies = PolicySet(identityPolicies: resolved.identityPolicies, permissionsBoundary: resolved.permissionsBoundary)
      } else {
        text += "\(activity.account) \(activity.permissionSet): not described by the given permission sets; skipped\n"
        continue
      }
      let subject = AuditSubject(name: "\(activity.permissionSet)@\(activity.account)", permissionSet: activity.permissionSet,
                                 account: activity.account, policies: policies)
      let granted = Set(try Auditor(catalog: catalog).audit(subject).granted.map(\.action))
      let report = try analyse(activity, resolved, granted: granted, catalog: catalog)
      reports.append(report.json)
      text += report.text
    }
    if format == "json" {
      out(JSONOutput.object([("version", 1), ("catalog", CatalogCommand.info(catalog.metadata)),
                               ("policies", PoliciesCommand.shippedInfo()), ("permissionSets", .array(reports))])
        .rendered(pretty: true) + "\n")
    } else {
      out(text.isEmpty ? "no event was made through an Identity Center permission set\n" : text)
    }
    return .success
  }

  /// Used versus granted for one permission set in one account, and the narrower policy.
  static func analyse(
    _ activity: PermissionSetActivity, _ resolved: ResolvedPermissionSet, granted: Set<String>, catalog: Catalog
  ) throws -> (text: String, json: JSONOutput) {
    let canonical = { (action: String) in catalog.action(named: action)?.qualifiedName ?? action }
    let used = Set(activity.usedActions.map(canonical))
    let unused = granted.subtracting(used).sorted()
    let narrowerText = JSONOutput.object([
      ("Version", "2012-10-17"),
      ("Statement", .array([.object([("Effect", "Allow"), ("Action", .array(used.sorted().map(JSONOutput.string))), ("Resource", "*")])])),
    ]).rendered(pretty: true)
    // Check with the engine: the narrower policy allows every action used, and the original set allowed it too.
    let narrower = try PolicyDocument(parsing: Array(narrowerText.utf8), name: "narrower policy", kind: .identity)
    let narrowAuthorizer = try Authorizer(PolicySet(identityPolicies: [narrower]))
    let originalAuthorizer = try Authorizer(PolicySet(identityPolicies: resolved.identityPolicies,
                                                  permissionsBoundary: resolved.permissionsBoundary))
    var notes: [String] = []
    for action in used.sorted() {
      let request = AuthorizationRequest(action: action)
      guard narrowAuthorizer.decision(for: PreparedRequest(request)) == .allowed else {
        throw InputError("unused.check-failed", "the narrower policy does not allow `\(action)`, which was used")
      }
      if originalAuthorizer.decision(for: PreparedRequest(request)) != .allowed {
        notes.append("`\(action)` was used but is not allowed on `*` by the permission set as given: it is allowed only on specific resources or under conditions, or the trail and the permission set differ")
      }
      if catalog.action(named: action) == nil { notes.append("`\(action)` is not in the catalog (CloudTrail event name without an IAM action of that name)") }
    }
    var text = "\(activity.account) \(activity.permissionSet) (users: \(activity.users.sorted().joined(separator: ", ")))\n"
    text += "  used \(used.count) of \(granted.count) granted actions; \(unused.count) granted actions were not used\n"
    if !activity.deniedActions.isEmpty { text += "  refused: \(activity.deniedActions.sorted().joined(separator: ", "))\n" }
    var byService: [String: Int] = [:]
    for action in unused { byService[String(action.prefix { $0 != ":" }), default: 0] += 1 }
    text += "  unused by service: " + byService.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + "\n"
    text += notes.map { "  note: \($0)\n" }.joined()
    text += "  narrower policy (allows every action used; scope its Resource before use):\n"
    text += narrowerText.split(separator: "\n").map { "    \($0)\n" }.joined()
    let json: JSONOutput = .object([
      ("permissionSet", .string(activity.permissionSet)), ("account", .string(activity.account)),
      ("users", .array(activity.users.sorted().map(JSONOutput.string))),
      ("used", .array(used.sorted().map(JSONOutput.string))),
      ("refused", .array(activity.deniedActions.sorted().map(JSONOutput.string))),
      ("grantedCount", .int(granted.count)), ("unused", .array(unused.map(JSONOutput.string))),
      ("narrowerPolicy", narrower.statements.isEmpty ? .null : .string(narrowerText)),
      ("notes", .array(notes.map(JSONOutput.string))),
    ])
    return (text, json)
  }
}
