import Foundation
import IAMEvaluation
import IAMOrganization

extension EvalCommand {
  /// The session, compiled policies and requests of a caller of an organization directory (`--org`).
  static func organizationSetup(_ directory: String, parsed: ParsedArguments, loader: inout PolicyLoader, err: (String) -> Void) throws
    -> (SessionAuthorizers, [AuthorizationRequest], (text: String, json: JSONOutput))
  {
    for flag in ["--policy", "--boundary", "--session-policy", "--scp", "--rcp", "--principal", "--case"]
    where !parsed.all(flag).isEmpty {
      throw UsageError("`\(flag)` cannot be combined with --org, which gives the session's policies", command: "eval")
    }
    if parsed.has("--management-account") {
      throw UsageError("`--management-account` cannot be combined with --org, which names the management account", command: "eval")
    }
    let caller = try organizationCaller(parsed, command: "eval")
    let organization = try OrganizationCommand.load(directory, err: err)
    let samlTags = try parsed.single("--saml", command: "eval").map { try samlSession($0).session.tags } ?? []
    let session: OrganizationSession
    do {
      session = try organization.session(for: caller, samlAttributes: samlTags)
    } catch {
      throw error.inputError
    }
    let resourcePolicy = try parsed.single("--resource-policy", command: "eval").map { try loader.load($0, kind: .resource) }
    var principal = session.principal
    try RequestArguments.addTags(parsed, to: &principal, command: "eval")
    let context = session.context.merging(try RequestArguments.context(parsed, command: "eval"))
    let resource = try parsed.single("--resource", command: "eval") ?? "*"
    let resourceAccount = try parsed.single("--resource-account", command: "eval")
    var template = AuthorizationRequest(principal: principal, action: "", resource: resource, resourceAccount: resourceAccount,
                                        context: context)
    let actions = parsed.all("--action")
    let requests = actions.isEmpty ? [template] : actions.map {
      template.action = $0
      return template
    }
    var tagged = session
    tagged.principal = principal
    let authorizers = SessionAuthorizers(organization: organization, session: tagged, resourcePolicy: resourcePolicy)
    return (authorizers, actions.isEmpty && parsed.all("--requests").isEmpty ? [] : requests, header(session, principal: principal))
  }

  /// The caller the flags name: `--user` with `--permission-set` (Identity Center) or `--role` (account access
  /// manager), `--role` alone (an IAM role session), or `--iam-user`; always with `--account`.
  static func organizationCaller(_ parsed: ParsedArguments, command: String) throws -> Caller {
    guard let account = try parsed.single("--account", command: command) else {
      throw UsageError("--org needs --account and a caller: --user with --permission-set, --role, or --iam-user", command: command)
    }
    let user = try parsed.single("--user", command: command)
    let permissionSet = try parsed.single("--permission-set", command: command)
    let role = try parsed.single("--role", command: command)
    let iamUser = try parsed.single("--iam-user", command: command)
    guard let caller = caller(account: account, user: user, permissionSet: permissionSet, role: role, iamUser: iamUser) else {
      throw UsageError(
        "with --org, name one caller: --user U --permission-set P (Identity Center), --user U --role R (account access manager), --role R (an IAM role) or --iam-user N",
        command: command)
    }
    return caller
  }

  /// The caller a combination names: a user with a permission set (Identity Center) or a role (account access
  /// manager), a role alone (an IAM role session), or an IAM user; `nil` for any other combination. Shared by
  /// `--org` and the case files' `caller`.
  static func caller(account: String, user: String?, permissionSet: String?, role: String?, iamUser: String?) -> Caller? {
    switch (user, permissionSet, role, iamUser) {
    case (let user?, let permissionSet?, nil, nil): .identityCenter(user: user, permissionSet: permissionSet, account: account)
    case (let user?, nil, let role?, nil): .accountAccess(user: user, account: account, role: role)
    case (nil, nil, let role?, nil): .role(account: account, name: role)
    case (nil, nil, nil, let iamUser?): .iamUser(account: account, name: iamUser)
    default: nil
    }
  }

  private static func header(_ session: OrganizationSession, principal: Principal) -> (text: String, json: JSONOutput) {
    let tags = principal.tags.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
    var text: String
    switch session.caller {
    case .identityCenter(let user, let permissionSet, let account):
      text = "session: \(user) in account \(account) with permission set \(permissionSet), assigned "
        + (session.group.map { "through group `\($0)`" } ?? "directly")
    case .accountAccess(let user, let account, let role):
      text = "session: \(user) in account \(account) in the IAM role \(role), through account access manager, granted "
        + (session.group.map { "through group `\($0)`" } ?? "directly")
    case .role, .iamUser:
      text = "session: \(session.caller)"
    }
    text += "\n  caller: \(principal.arn)\n"
    if let resolved = session.resolved {
      let managed = resolved.permissionSet.awsManagedPolicies + resolved.permissionSet.customerManagedPolicies.map(\.description)
      text += "  policies: \(managed.joined(separator: ", "))" + (resolved.permissionSet.inlinePolicy == nil ? "" : " + inline policy") + "\n"
    } else {
      text += "  policies: \(session.policies.identityPolicies.map(\.name).joined(separator: ", "))\n"
    }
    if let boundary = session.policies.permissionsBoundary { text += "  permissions boundary: \(boundary.name)\n" }
    text += tags.isEmpty ? "" : "  session tags: \(tags)\n"
    text += session.findings.map { "  \($0.severity.rawValue): \($0.message)\n" }.joined() + "\n"
    var members: [(String, JSONOutput)] = [("caller", .string(session.caller.description))]
    switch session.caller {
    case .identityCenter(let user, let permissionSet, let account):
      members += [("user", .string(user)), ("account", .string(account)), ("permissionSet", .string(permissionSet)),
                  ("assignedThroughGroup", .optional(session.group))]
    case .accountAccess(let user, let account, let role):
      members += [("user", .string(user)), ("account", .string(account)), ("role", .string(role)),
                  ("grantedThroughGroup", .optional(session.group))]
    case .role(let account, let name):
      members += [("account", .string(account)), ("role", .string(name))]
    case .iamUser(let account, let name):
      members += [("account", .string(account)), ("iamUser", .string(name))]
    }
    members += [
      ("principal", .string(principal.arn)),
      ("policies", .array(session.policies.identityPolicies.map { .string($0.name) })),
      ("permissionsBoundary", .optional(session.policies.permissionsBoundary?.name)),
      ("sessionTags", .object(principal.tags.map { ($0.key, .string($0.value)) })),
    ]
    return (text, .object(members))
  }
}
