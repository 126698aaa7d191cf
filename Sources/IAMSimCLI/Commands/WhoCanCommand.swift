import IAMCatalog
import IAMEvaluation
import IAMOrganization
import IAMPolicy

/// `iamsim who-can`: which people, roles and IAM users can call an action, and how.
enum WhoCanCommand {
  static let help = """
    USAGE: iamsim who-can ACTION --org DIR [--resource ARN] [--resource-account ID] [--resource-policy P]
                          [--context KEY=VALUE ...] [--format text|json]

    Evaluates ACTION for every caller of the organization and lists those that are allowed:
      - every user of the identity store in every account and permission set their assignments give them
        (directly or through a group);
      - every user in every IAM role an account access manager grant gives them (grants whose role does not
        trust account access manager are unusable, and reported as warnings);
      - every IAM role (other than the AWSReservedSSO_ roles, which are the people above) and IAM user of
        the accounts whose IAM the organization holds.
    The SCP levels of the caller's account and the RCP levels of the resource's account apply. Sessions that
    cannot be evaluated (an account whose IAM was not collected) are listed as unknown, never as allowed.

    --context is read as by `eval`: repeating a key makes it multivalued.

    An action that the shipped AWS catalog does not know is evaluated all the same, with a warning that names the
    closest real actions (in JSON: `diagnostics`).

    Exit status: 0 answered (whoever can or cannot); 2 invalid input; 64 bad usage.

    """

  static func run(_ arguments: [String], environment: [String: String], out: (String) -> Void, err: (String) -> Void)
    throws -> ExitStatus
  {
    let parsed = try ParsedArguments(
      arguments, valueFlags: ["--org", "--resource", "--resource-account", "--resource-policy", "--context", "--format"],
      switchFlags: [], command: "who-can")
    let format = try parsed.format(["text", "json"], command: "who-can")
    guard parsed.positionals.count == 1, let action = parsed.positionals.first,
      action.split(separator: ":", omittingEmptySubsequences: false).count == 2
    else { throw UsageError("name exactly one action, service:Action", command: "who-can") }
    guard let directory = try parsed.single("--org", command: "who-can") else {
      throw UsageError("--org DIR is required", command: "who-can")
    }
    let warnings = [try CatalogCommand.loadBundled().unknownAction(action)?.diagnostic()].compactMap { $0 }
    let context = try RequestArguments.context(parsed, command: "who-can")
    var loader = PolicyLoader(environment: environment, searchRoots: [directory, EvalCommand.executableDirectory])
    let resourcePolicy = try parsed.single("--resource-policy", command: "who-can").map { try loader.load($0, kind: .resource) }
    let organization = try OrganizationCommand.load(directory, err: err)
    let resource = try parsed.single("--resource", command: "who-can") ?? "*"
    let resourceAccount = try parsed.single("--resource-account", command: "who-can")

    let result = organization.whoCan(AccessQuery(action: action, resource: resource, resourceAccount: resourceAccount,
                                                 context: context, resourcePolicy: resourcePolicy))
    let allowed = result.allowed.map(row)
    let unknown: [(text: String, json: JSONOutput)] = result.unknown.map { caller, reason in
      ("\(caller): not evaluated: \(reason.message)",
       JSONOutput.object([("caller", .string(caller.description)), ("reason", .string(reason.message))]))
    }
    if format == "json" {
      out(JSONOutput.object([
        ("version", 1), ("action", .string(action)), ("resource", .string(resource)), ("allowed", .array(allowed.map(\.json))),
        ("unknown", .array(unknown.map(\.json))), ("diagnostics", .array(warnings.map(JSONOutput.diagnostic))),
      ]).rendered(pretty: true) + "\n")
    } else {
      out("who can call \(action) on \(resource):\n")
      for warning in warnings { out("  \(warning.severity.rawValue): \(warning.message)\n") }
      out(allowed.isEmpty ? "  nobody\n" : allowed.map { "  " + $0.text + "\n" }.joined())
      if !unknown.isEmpty {
        out("not evaluated (the organization lacks what these sessions need):\n" + unknown.map { "  " + $0.text + "\n" }.joined())
      }
    }
    return .success
  }

  private static func row(_ answer: CallerAnswer) -> (text: String, json: JSONOutput) {
    let (caller, group) = (answer.caller, answer.group)
    let via = group.map { "group \($0)" } ?? "direct assignment"
    var members: [(String, JSONOutput)]
    let text: String
    switch caller {
    case .identityCenter(let user, let permissionSet, let account):
      text = "\(user)  \(permissionSet)  \(account)  (\(via))"
      members = [("kind", "identityCenter"), ("user", .string(user)), ("group", .optional(group)),
                 ("permissionSet", .string(permissionSet)), ("account", .string(account))]
    case .accountAccess(let user, let account, let role):
      text = "\(user)  role \(role)  \(account)  (account access manager, \(group.map { "group \($0)" } ?? "direct grant"))"
      members = [("kind", "accountAccess"), ("user", .string(user)), ("group", .optional(group)), ("role", .string(role)),
                 ("account", .string(account))]
    case .role(let account, let name):
      text = "role \(name)  \(account)  (whoever its trust policy admits)"
      members = [("kind", "role"), ("role", .string(name)), ("account", .string(account))]
    case .iamUser(let account, let name):
      text = "IAM user \(name)  \(account)"
      members = [("kind", "iamUser"), ("iamUser", .string(name)), ("account", .string(account))]
    }
    members += [("principal", .string(answer.principal)),
                ("determiningStatements", .array(answer.response.determiningStatements.map(JSONOutput.statement)))]
    return (text, .object(members))
  }
}
