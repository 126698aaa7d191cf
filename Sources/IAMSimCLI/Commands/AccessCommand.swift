import IAMEvaluation
import IAMIdentityCenter
import IAMPolicy

/// `iamsim access`: every account and permission set a user can use, and what each grants per service.
enum AccessCommand {
  static let help = """
    USAGE: iamsim access --org DIR --user USER [--format text|json]

    Lists every account and permission set the user reaches (directly or through a group), with the session
    tags, the boundary, and per service the actions the permission set's Allow statements name (NotAction
    statements are shown as "every action except"). Statements with conditions are marked conditional.

    Exit status: 0 answered; 2 invalid input; 64 bad usage.

    """

  static func run(_ arguments: [String], environment: [String: String], out: (String) -> Void, err: (String) -> Void)
    throws -> ExitStatus
  {
    let parsed = try ParsedArguments(arguments, valueFlags: ["--org", "--user", "--format"], switchFlags: [], command: "access")
    let format = try parsed.format(["text", "json"], command: "access")
    guard let directory = try parsed.single("--org", command: "access"), let user = try parsed.single("--user", command: "access") else {
      throw UsageError("--org DIR and --user USER are required", command: "access")
    }
    var loader = PolicyLoader(environment: environment, searchRoots: [directory, EvalCommand.executableDirectory])
    let organization = try OrganizationLoader.load(directory, loader: &loader)
    guard organization.identityStore.user(named: user) != nil else {
      throw InputError("organization.unknown-user", "the identity store has no user named `\(user)`")
    }
    var provider = WorkspacePolicyProvider(loader: loader, folders: [directory])
    var entries: [JSONOutput] = []
    var text = ""
    for grant in organization.grants(for: user) {
      let assignment = grant.assignment
      let session = try organization.session(user: user, permissionSet: assignment.permissionSet,
                                              account: assignment.account, provider: &provider)
      let services = grantsByService(session.resolved.identityPolicies)
      let via = grant.group.map { "through group \($0)" } ?? "directly"
      text += "\(assignment.account) \(assignment.permissionSet) (\(via))\n"
      text += "  caller: \(session.principal.arn)\n"
      if !session.principal.tags.isEmpty {
        text += "  session tags: " + session.principal.tags.map { "\($0.key)=\($0.value)" }.joined(separator: ", ") + "\n"
      }
      if let boundary = session.resolved.permissionsBoundary { text += "  permissions boundary: \(boundary.name)\n" }
      for (service, patterns) in services {
        text += "  \(service): " + patterns.map { $0.conditional ? "\($0.text) (conditional)" : $0.text }.joined(separator: ", ") + "\n"
      }
      entries.append(.object([
        ("account", .string(assignment.account)), ("permissionSet", .string(assignment.permissionSet)),
        ("group", .optional(grant.group)), ("principal", .string(session.principal.arn)),
        ("sessionTags", .object(session.principal.tags.map { ($0.key, .string($0.value)) })),
        ("permissionsBoundary", .optional(session.resolved.permissionsBoundary?.name)),
        ("services", .object(services.map { service, patterns in
          (service, .array(patterns.map { .object([("actions", .string($0.text)), ("conditional", .bool($0.conditional))]) }))
        })),
      ]))
    }
    if format == "json" {
      out(JSONOutput.object([("version", 1), ("user", .string(user)), ("access", .array(entries))]).rendered(pretty: true) + "\n")
    } else {
      out(text.isEmpty ? "\(user) has no account assignments\n" : text)
    }
    return .success
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
