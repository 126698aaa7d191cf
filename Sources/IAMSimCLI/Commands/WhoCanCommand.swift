import IAMCatalog
import IAMEvaluation
import IAMIdentityCenter
import IAMPolicy

/// `iamsim who-can`: which users can call an action, through which group, permission set and account.
enum WhoCanCommand {
  static let help = """
    USAGE: iamsim who-can ACTION --org DIR [--resource ARN] [--resource-account ID] [--context KEY=VALUE ...]
                          [--format text|json]

    Evaluates ACTION for every user of the organization's identity store in every account and permission
    set their assignments give them (directly or through a group), and lists those that are allowed.

    An action that the shipped AWS catalog does not know is evaluated all the same, with a warning that names the
    closest real actions (in JSON: `diagnostics`).

    Exit status: 0 answered (whoever can or cannot); 2 invalid input; 64 bad usage.

    """

  static func run(_ arguments: [String], environment: [String: String], out: (String) -> Void, err: (String) -> Void)
    throws -> ExitStatus
  {
    let parsed = try ParsedArguments(arguments, valueFlags: ["--org", "--resource", "--resource-account", "--context", "--format"],
                                     switchFlags: [], command: "who-can")
    let format = try parsed.format(["text", "json"], command: "who-can")
    guard parsed.positionals.count == 1, let action = parsed.positionals.first,
      action.split(separator: ":", omittingEmptySubsequences: false).count == 2
    else { throw UsageError("name exactly one action, service:Action", command: "who-can") }
    guard let directory = try parsed.single("--org", command: "who-can") else {
      throw UsageError("--org DIR is required", command: "who-can")
    }
    let warnings = [try CatalogCommand.loadBundled().unknownAction(action)?.diagnostic()].compactMap { $0 }
    var loader = PolicyLoader(environment: environment, searchRoots: [directory, EvalCommand.executableDirectory])
    let organization = try OrganizationLoader.load(directory, loader: &loader)
    let resource = try parsed.single("--resource", command: "who-can") ?? "*"
    let resourceAccount = try parsed.single("--resource-account", command: "who-can")
    var context = RequestContext()
    for item in parsed.all("--context") {
      let (key, value) = try EvalCommand.keyValue(item, flag: "--context", command: "who-can")
      context.set(key, value)
    }
    var rows: [JSONOutput] = []
    var lines: [String] = []
    var provider = WorkspacePolicyProvider(loader: loader, folders: [directory])
    for user in organization.identityStore.users.sorted(by: { $0.userName < $1.userName }) {
      for grant in organization.grants(for: user.userName) {
        let assignment = grant.assignment
        let session = try organization.session(user: user.userName, permissionSet: assignment.permissionSet,
                                                account: assignment.account, provider: &provider)
        var policies = session.policies
        let owner = resourceAccount ?? ARN(resource).map(\.account).flatMap { $0.isEmpty ? nil : $0 } ?? assignment.account
        policies.resourceControlPolicies = organization.resourceControlLevels(for: owner)
        let request = AuthorizationRequest(principal: session.principal, action: action, resource: resource,
                                           resourceAccount: resourceAccount, context: session.context.merging(context))
        let response = try Authorizer(policies).authorize(request)
        guard response.decision == .allowed else { continue }
        let via = grant.group.map { "group \($0)" } ?? "direct assignment"
        lines.append("\(user.userName)  \(assignment.permissionSet)  \(assignment.account)  (\(via))")
        rows.append(.object([
          ("user", .string(user.userName)), ("group", .optional(grant.group)),
          ("permissionSet", .string(assignment.permissionSet)), ("account", .string(assignment.account)),
          ("principal", .string(session.principal.arn)),
          ("determiningStatements", .array(response.determiningStatements.map(JSONOutput.statement))),
        ]))
      }
    }
    if format == "json" {
      out(JSONOutput.object([
        ("version", 1), ("action", .string(action)), ("resource", .string(resource)), ("allowed", .array(rows)),
        ("diagnostics", .array(warnings.map(JSONOutput.diagnostic))),
      ]).rendered(pretty: true) + "\n")
    } else {
      out("who can call \(action) on \(resource):\n")
      for warning in warnings { out("  \(warning.severity.rawValue): \(warning.message)\n") }
      out(lines.isEmpty ? "  nobody\n" : lines.map { "  " + $0 + "\n" }.joined())
    }
    return .success
  }
}
