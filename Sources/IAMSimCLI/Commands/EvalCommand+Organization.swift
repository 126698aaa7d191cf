import Foundation
import IAMEvaluation
import IAMIdentityCenter
import IAMPolicy

extension EvalCommand {
  /// The policies and requests of a user's session in an organization directory (`--org`).
  static func organizationSetup(_ directory: String, parsed: ParsedArguments, loader: inout PolicyLoader) throws
    -> (PolicySet, [AuthorizationRequest], (text: String, json: JSONOutput))
  {
    for flag in ["--policy", "--boundary", "--session-policy", "--scp", "--rcp", "--principal", "--case"]
    where !parsed.all(flag).isEmpty {
      throw UsageError("`\(flag)` cannot be combined with --org, which gives the session's policies", command: "eval")
    }
    guard let user = try parsed.single("--user", command: "eval"), let account = try parsed.single("--account", command: "eval"),
      let name = try parsed.single("--permission-set", command: "eval")
    else { throw UsageError("--org needs --user, --account and --permission-set", command: "eval") }
    let organization = try OrganizationLoader.load(directory, loader: &loader)
    var provider = WorkspacePolicyProvider(loader: loader, folders: [directory])
    let samlTags = try parsed.single("--saml", command: "eval").map { try samlSession($0).session.tags } ?? []
    let session = try organization.session(user: user, permissionSet: name, account: account, samlAttributes: samlTags,
                                            provider: &provider)
    loader = provider.loader
    var policies = session.policies
    policies.resourcePolicy = try parsed.single("--resource-policy", command: "eval").map { try loader.load($0, kind: .resource) }
    var principal = session.principal
    for tag in parsed.all("--tag") {
      let (key, value) = try keyValue(tag, flag: "--tag")
      principal.setTag(key, value)
    }
    var context = session.context
    for item in parsed.all("--context") {
      let (key, value) = try keyValue(item, flag: "--context")
      context.set(key, value)
    }
    let resource = try parsed.single("--resource", command: "eval") ?? "*"
    let resourceAccount = try parsed.single("--resource-account", command: "eval")
    let owner = resourceAccount ?? ARN(resource).map(\.account).flatMap { $0.isEmpty ? nil : $0 } ?? account
    policies.resourceControlPolicies = organization.resourceControlLevels(for: owner)
    policies.resourceAccountIsManagement = owner == organization.managementAccount
    let requests = parsed.all("--action").map {
      AuthorizationRequest(principal: principal, action: $0, resource: resource, resourceAccount: resourceAccount, context: context)
    }
    let via = session.grant.group.map { "through group `\($0)`" } ?? "directly"
    let managed = session.resolved.permissionSet.awsManagedPolicies + session.resolved.permissionSet.customerManagedPolicies.map(\.description)
    let tags = principal.tags.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
    var text = "session: \(user) in account \(account) with permission set \(name), assigned \(via)\n"
    text += "  caller: \(principal.arn)\n  policies: \(managed.joined(separator: ", "))"
    text += session.resolved.permissionSet.inlinePolicy == nil ? "" : " + inline policy"
    text += "\n" + (tags.isEmpty ? "" : "  session tags: \(tags)\n")
    text += session.findings.map { "  \($0.severity.rawValue): \($0.message)\n" }.joined() + "\n"
    let json: JSONOutput = .object([
      ("user", .string(user)), ("account", .string(account)), ("permissionSet", .string(name)),
      ("assignedThroughGroup", .optional(session.grant.group)), ("principal", .string(principal.arn)),
      ("managedPolicies", .array(managed.map(JSONOutput.string))),
      ("sessionTags", .object(principal.tags.map { ($0.key, .string($0.value)) })),
    ])
    return (policies, requests, (text, json))
  }
}
