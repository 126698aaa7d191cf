import Foundation
import IAMCatalog
import IAMEvaluation
import IAMFederation
import IAMIdentityCenter
import IAMPolicy

/// `iamsim eval`: the what-if query.
enum EvalCommand {
  static let help = """
    USAGE: iamsim eval --action A [--action A ...] [options]
           iamsim eval --case FILE [--explain] [--format text|json]
           iamsim eval --requests FILE|- [options]

    Decides each request as AWS would: allowed, explicitDeny or implicitDeny, and says why. When the decision
    depends on context keys the request lacks (other than the caller's own), it adds the context under which it
    would change, tried with the values the policies name: "would be allowed if aws:RequestedRegion ∈
    {eu-west-1, eu-central-1}" (JSON: `changesIf`; not with --requests).

    POLICIES (each P is a file, inline JSON, or the ARN or name of a shipped AWS managed policy):
      --policy P               an identity-based policy (repeatable)
      --boundary P             the permissions boundary
      --session-policy P       the session policy
      --scp P[,P...]           the SCPs of one organization level; repeat once per level, root first
      --rcp P[,P...]           the RCPs of one level; repeat once per level, root first
      --resource-policy P      the resource-based policy of the requested resource
      --management-account     the caller's account is the management account (SCPs do not apply)
      --vpc-endpoint-policy P  the policy of the VPC endpoint the request goes through; it applies to requests
                               whose context has aws:SourceVpce (give it with --context), must allow, and its
                               Deny is an explicit deny
      --vpc-endpoint-type T    gateway or interface: in a gateway endpoint's policy an account principal names
                               the account's root user only (for interface endpoints AWS documents nothing, and
                               such a grant fails closed)
      --block-public-access S[,S...]  the S3 Block Public Access settings in effect for the bucket of
                               --resource-policy (BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy,
                               RestrictPublicBuckets); RestrictPublicBuckets limits a public bucket policy's grants

    IDENTITY CENTER:
      --permission-set NAME|FILE  a permission set (shipped in policies/permission-sets/, or a file): its
                               policies join the identity policies, its boundary becomes the boundary, and
                               the caller is the AWSReservedSSO_NAME_… role session of --user in --account
      --account ID             the account signed in to (default 111122223333)
      --user NAME              the Identity Center user name, the session name (default alice@example.com)
      --saml FILE              a SAML response: its PrincipalTag:/AccessControl: attributes become session
                               tags and its subject fills saml:sub, saml:sub_type (signatures are not verified)
      --org DIR                an organization directory (Documentation/OrganizationFormat.md); with --account
                               and one caller, the session and its policies come from the organization, the
                               account's SCP levels apply, and the RCP levels of each resource's account:
                                 --user U --permission-set P   U signed in with the permission set P
                                 --user U --role R             U in the IAM role R through account access manager
                                 --role R                      a session of the IAM role R
                                 --iam-user N                  the IAM user N

    REQUEST (an action the shipped catalog does not know is decided all the same, with a warning naming the
    closest real actions):
      --principal ARN          the caller (default: an Identity Center session of account 111122223333)
      --anonymous              the caller signs nothing: only a resource-based policy naming everyone
                               ("Principal": "*") can allow it; give the resource's account with --resource-account
      --tag KEY=VALUE          a principal or session tag (repeatable)
      --action A               service:Action (repeatable: one request each)
      --resource ARN           the resource (default `*`)
      --resource-account ID    the resource's account when its ARN has none (S3)
      --context KEY=VALUE      a context key; repeat a key to make it multivalued
      --region R               the Region called: --context aws:RequestedRegion=R
      --requests FILE|-        JSON Lines of {"action","resource","resourceAccount","context"}; one JSON result per line,
                               in input order (lines are decided on every core); the flags give what a line leaves out
      --case FILE              evaluate a case file's setup and requests, ignoring its expectations

    OUTPUT:
      --explain                show every statement, what it missed, and the statement nearest to allowing
      --format text|json       output format (default text)
    \(Colour.helpLine)
      --expect DECISION        exit 1 unless every request comes to DECISION

    EXAMPLE:
      iamsim eval --policy arn:aws:iam::aws:policy/job-function/DatabaseAdministrator \\
        --action rds:CreateDBInstance --action s3:DeleteBucket --explain

    Exit status: 0 answered; 1 a decision differs from --expect; 2 invalid input; 64 bad usage.

    """

  static let valueFlags: Set<String> = [
    "--policy", "--boundary", "--session-policy", "--scp", "--rcp", "--resource-policy", "--principal", "--tag",
    "--action", "--resource", "--resource-account", "--context", "--case", "--format", "--requests", "--expect",
    "--permission-set", "--account", "--user", "--saml", "--org", "--role", "--iam-user", "--color",
    "--vpc-endpoint-policy", "--vpc-endpoint-type", "--block-public-access", "--region",
  ]

  static let switchFlags: Set<String> = ["--explain", "--management-account", "--anonymous"]

  static func run(_ arguments: [String], environment: [String: String], out: (String) -> Void, err: (String) -> Void)
    throws -> ExitStatus
  {
    let parsed = try ParsedArguments(arguments, valueFlags: valueFlags, switchFlags: switchFlags, command: "eval")
    ActionWarnings.prefetchCatalog()
    let format = try parsed.format(["text", "json"], command: "eval")
    let colour = try Colour.decide(
      option: parsed.single("--color", command: "eval"), environment: environment, command: "eval")
    let explain = parsed.has("--explain")
    var expected: Decision?
    if let text = try parsed.single("--expect", command: "eval") {
      guard let decision = Decision(rawValue: text) else {
        throw UsageError("`--expect` must be allowed, explicitDeny or implicitDeny", command: "eval")
      }
      expected = decision
    }
    let cwd = FileManager.default.currentDirectoryPath
    var loader = PolicyLoader(environment: environment, searchRoots: [cwd, executableDirectory])
    var header: (text: String, json: JSONOutput)?
    let authorizers: RequestAuthorizers
    let requests: [AuthorizationRequest]
    if let directory = try parsed.single("--org", command: "eval") {
      let (session, organizationRequests, sessionHeader) = try organizationSetup(directory, parsed: parsed, loader: &loader, err: err)
      (authorizers, requests, header) = (.session(session), organizationRequests, sessionHeader)
    } else {
      if let flag = ["--role", "--iam-user"].first(where: { !parsed.all($0).isEmpty }) {
        throw UsageError("`\(flag)` goes with --org", command: "eval")
      }
      let (policies, plainRequests) = try setup(parsed, loader: &loader)
      (authorizers, requests) = (.one(try Authorizer(policies)), plainRequests)
    }
    let actionNames = ActionNameChecker(catalog: try CatalogCommand.loadBundled())

    if let source = try parsed.single("--requests", command: "eval") {
      guard parsed.all("--action").isEmpty else { throw UsageError("use either --action or --requests", command: "eval") }
      guard let template = requests.first else { throw UsageError("--requests needs the caller's setup", command: "eval") }
      return try streamRequests(source, template: template, authorizers: authorizers, actionNames: actionNames,
                                expected: expected, out: out, err: err)
    }
    guard !requests.isEmpty else {
      throw UsageError("name at least one --action (or give --case or --requests)", command: "eval")
    }
    var results: [JSONOutput] = []
    var texts: [String] = []
    var status = ExitStatus.success
    for request in requests {
      let response = ActionWarnings.adding(
        actionNames.check(request.action), to: try authorizers.authorizer(for: request).authorizeWithCondition(request, explain: explain))
      if let expected, response.decision != expected { status = .failure }
      if format == "json" {
        results.append(.response(response, for: request))
      } else {
        texts.append(ResponseText.render(response, for: request, explain: explain, colour: colour))
      }
    }
    if format == "json" {
      let members: [(String, JSONOutput)] = [("version", 1)] + (header.map { [("session", $0.json)] } ?? []) + [("results", .array(results))]
      out(JSONOutput.object(members).rendered(pretty: true) + "\n")
    } else {
      out((header.map { [$0.text] } ?? []).joined() + texts.joined(separator: "\n\n") + "\n")
    }
    return status
  }

  /// The policies and requests the flags (or `--case`) describe; with `--requests`, one template request.
  static func setup(_ parsed: ParsedArguments, loader: inout PolicyLoader) throws -> (PolicySet, [AuthorizationRequest]) {
    if let casePath = try parsed.single("--case", command: "eval") {
      let setupFlags = valueFlags.subtracting(["--case", "--format", "--expect", "--color"])
      if let flag = setupFlags.sorted().first(where: { !parsed.all($0).isEmpty })
        ?? ["--anonymous", "--management-account"].first(where: parsed.has)
      {
        throw UsageError("`\(flag)` cannot be combined with --case, which gives the whole setup", command: "eval")
      }
      var caseLoader = CaseFileLoader(policyLoader: loader, allowsOutsidePaths: false, requiresExpectations: false)
      let caseFile = try caseLoader.load(casePath, json: InputFile.readJSON(casePath))
      if caseFile.usesOrganization {
        // Its callers' policies come from an organization: evaluating without them would answer for nobody.
        throw UsageError(
          "`\(casePath)` asks as callers of an organization: run it with `iamsim test`, or ask one caller with `eval --org DIR`",
          command: "eval")
      }
      let requests = caseFile.requests.map {
        AuthorizationRequest(principal: caseFile.principal, action: $0.action, resource: $0.resource,
                             resourceAccount: $0.resourceAccount, context: caseFile.context.merging($0.context))
      }
      return (caseFile.policies, requests)
    }
    var policies = PolicySet()
    policies.identityPolicies = try parsed.all("--policy").map { try loader.load($0, kind: .identity) }
    policies.permissionsBoundary = try parsed.single("--boundary", command: "eval").map { try loader.load($0, kind: .permissionsBoundary) }
    policies.sessionPolicy = try parsed.single("--session-policy", command: "eval").map { try loader.load($0, kind: .session) }
    policies.resourcePolicy = try parsed.single("--resource-policy", command: "eval").map { try loader.load($0, kind: .resource) }
    policies.serviceControlPolicies = try parsed.all("--scp").map { try level($0).map { try loader.load($0, kind: .serviceControl) } }
    policies.resourceControlPolicies = try parsed.all("--rcp").map { try level($0).map { try loader.load($0, kind: .resourceControl) } }
    policies.principalAccountIsManagement = parsed.has("--management-account")
    policies.vpcEndpointPolicy = try parsed.single("--vpc-endpoint-policy", command: "eval").map { try loader.load($0, kind: .resource) }
    if let type = try parsed.single("--vpc-endpoint-type", command: "eval") {
      guard let value = VPCEndpointType(rawValue: type) else {
        throw UsageError("--vpc-endpoint-type must be gateway or interface, not `\(type)`", command: "eval")
      }
      policies.vpcEndpointType = value
    }
    for setting in try parsed.single("--block-public-access", command: "eval")?.split(separator: ",").map(String.init) ?? [] {
      guard policies.blockPublicAccess.turnOn(setting) else {
        throw UsageError(
          "--block-public-access: `\(setting)` is not a setting (\(BlockPublicAccess.names.joined(separator: ", ")))", command: "eval")
      }
    }

    var principal = Principal.defaultSession
    if let arn = try parsed.single("--principal", command: "eval") {
      switch Principal.parse(arn) {
      case .success(let value): principal = value
      case .failure(let error): throw UsageError("--principal: \(error.message)", command: "eval")
      }
    }
    var context = RequestContext()
    let saml = try parsed.single("--saml", command: "eval").map { try samlSession($0) }
    if let reference = try parsed.single("--permission-set", command: "eval") {
      let user = try parsed.single("--user", command: "eval") ?? saml?.nameID ?? "alice@example.com"
      principal = try permissionSetSession(reference, user: user, parsed: parsed, policies: &policies, loader: &loader)
    } else if let flag = ["--account", "--user"].first(where: { !parsed.all($0).isEmpty }) {
      throw UsageError("`\(flag)` goes with --permission-set", command: "eval")
    }
    if let session = saml?.session {
      for tag in session.tags { principal.setTag(tag.key, tag.value) }
      for entry in session.sessionContext {
        if entry.isMultivalued { context.set(entry.key, values: entry.values) } else { context.set(entry.key, entry.values[0]) }
      }
    }
    if parsed.has("--anonymous") {
      let signed = ["--principal", "--permission-set", "--saml", "--tag", "--policy", "--boundary", "--session-policy", "--scp"]
      if let flag = signed.first(where: { !parsed.all($0).isEmpty }) {
        throw UsageError("`\(flag)` describes a signed caller and cannot be combined with --anonymous", command: "eval")
      }
      principal = .anonymous
    }
    try RequestArguments.addTags(parsed, to: &principal, command: "eval")
    context = context.merging(try RequestArguments.context(parsed, command: "eval"))
    let resource = try parsed.single("--resource", command: "eval") ?? "*"
    let resourceAccount = try parsed.single("--resource-account", command: "eval")
    let actions = parsed.all("--action")
    for action in actions where action.split(separator: ":", omittingEmptySubsequences: false).count != 2 {
      throw UsageError("--action `\(action)` is not of the form service:Action", command: "eval")
    }
    if principal.kind == .anonymous {
      // As in case files: what an anonymous request cannot have is refused, not evaluated.
      if resourceAccount == nil && !actions.isEmpty && (ARN(resource)?.account ?? "").count != 12 {
        throw UsageError("an anonymous caller has no account: give the resource's account with --resource-account", command: "eval")
      }
      if let key = ["aws:PrincipalArn", "aws:userid"].first(where: { context[$0] != nil }) {
        throw UsageError("`\(key)` is not in the context of an anonymous request (\"Anonymous requests do not include this key.\")",
                         command: "eval")
      }
    }
    let template = AuthorizationRequest(principal: principal, action: "", resource: resource,
                                        resourceAccount: resourceAccount, context: context)
    if actions.isEmpty && parsed.all("--requests").count == 1 { return (policies, [template]) }
    return (policies, actions.map {
      var request = template
      request.action = $0
      return request
    })
  }

  /// Resolves a permission set in the chosen account and returns the session of the chosen user (rules F-2, F-4).
  private static func permissionSetSession(
    _ reference: String, user: String, parsed: ParsedArguments, policies: inout PolicySet, loader: inout PolicyLoader
  ) throws -> Principal {
    if !parsed.all("--principal").isEmpty {
      throw UsageError("--principal cannot be combined with --permission-set, which makes the caller", command: "eval")
    }
    let account = try parsed.single("--account", command: "eval") ?? "111122223333"
    guard account.count == 12, account.allSatisfy({ $0.isASCII && $0.isNumber }) else {
      throw UsageError("--account must be a 12-digit account ID", command: "eval")
    }
    let (permissionSet, folder) = try PermissionSetLoader.load(reference, loader: &loader)
    var provider = WorkspacePolicyProvider(loader: loader, folders: [folder, FileManager.default.currentDirectoryPath])
    let resolved = try permissionSet.resolve(inAccount: account, provider: &provider)
    loader = provider.loader
    policies.identityPolicies = resolved.identityPolicies + policies.identityPolicies
    if let boundary = resolved.permissionsBoundary {
      guard policies.permissionsBoundary == nil else {
        throw UsageError("the permission set sets the permissions boundary; drop --boundary", command: "eval")
      }
      policies.permissionsBoundary = boundary
    }
    let session = IdentityCenterSession(permissionSetName: permissionSet.name, account: account, userName: user)
    guard let principal = session.principal else {
      throw UsageError("cannot make a session for `\(user)` in account \(account)", command: "eval")
    }
    return principal
  }

  /// Reads a SAML response whose session must be valid under AWS's rules; returns the session and the NameID.
  static func samlSession(_ path: String) throws -> (session: FederatedSession, nameID: String?) {
    let document: SAMLDocument
    do {
      document = try SAMLReader().read(InputFile.read(path))
    } catch let error as SAMLReadError {
      throw InputError("saml.unreadable", error.message, file: path, position: error.position)
    }
    let report = SAMLReport(document: document)
    let errors = report.findings.filter { $0.severity == .error }
    guard errors.isEmpty else {
      throw InputError(errors.map {
        Diagnostic(Diagnostic.Code(rawValue: "saml.\($0.code)"), .error, "the SAML response breaks AWS's rules: \($0.message)",
                   file: path)
      })
    }
    return (report.sessionForPolicies, document.nameID?.value)
  }

  /// The policies of one organization level: split at commas unless the value is inline JSON.
  private static func level(_ value: String) throws -> [String] {
    value.hasPrefix("{") ? [value] : value.split(separator: ",").map(String.init)
  }

  /// The folder of the running executable, to find the shipped policies from a build folder.
  static var executableDirectory: String {
    URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath().deletingLastPathComponent().path
  }
}
