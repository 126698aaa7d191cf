import IAMPolicy

@testable import IAMEvaluation

/// Every policy of a request, in the abstract vocabulary of ``RandomStatement``: what the plain reference reads.
struct ReferencePolicies: Hashable {
  /// Identity-based policies, each a list of statements.
  var identity: [[RandomStatement]] = []
  /// The caller's permissions boundary.
  var boundary: [RandomStatement]? = nil
  /// The session policy passed when the session was created.
  var session: [RandomStatement]? = nil
  /// SCP levels (root first), each a list of policies.
  var scps: [[[RandomStatement]]] = []
  /// RCP levels (root first), each a list of policies.
  var rcps: [[[RandomStatement]]] = []
  /// The resource-based policy of the requested resource (bucket, key, queue, secret policy, role trust policy).
  var resource: [RandomStatement]? = nil
  var principalAccountIsManagement = false
  var resourceAccountIsManagement = false
}

/// A deliberately plain evaluator of AWS's documented evaluation logic over the vocabulary of ``RandomStatement``:
/// no indexes, no compiled patterns, a textbook glob. It is written from AWS's pages, not from the engine:
///
/// * "How AWS enforcement code logic evaluates requests to allow or deny access" (deny evaluation, RCPs, SCPs,
///   resource-based policies, identity-based policies, permissions boundaries, session policies);
/// * "Cross-account policy evaluation logic" ("The request is allowed only if both evaluations return a decision of
///   Allow");
/// * the `NotPrincipal` page, the GetFederationToken permissions page, the RCP evaluation page;
/// * spec rules E-3, E-5, E-6, E-7, E-8, E-8a, M-9.
///
/// Where the spec and AWS differ, AWS wins:
/// * E-8a step 2 still says each RCP level "needs an applicable Allow, else implicitDeny"; AWS: RCPFullAWSAccess
///   "can't be detached, so there will always be an Allow statement" — RCPs only ever deny (as E-3 step 2 says).
/// * E-3 step 7 says federated-user sessions "always have" a session policy; AWS (GetFederationToken): the
///   parameter "is optional. However, if you do not pass any session policies, then the resulting federated user
///   session has no permissions" — only a resource policy naming the session can then allow.
///
/// The optimised ``Authorizer`` must agree with it.
enum ReferenceAuthorizer {
  /// The two accounts of the generated vocabulary.
  static let home = "111122223333"
  static let other = "444455556666"
  /// Services AWS lists as supporting RCPs, among those the generator uses (ec2 and iam are not on AWS's list).
  static let rcpServices: Set<String> = ["s3", "sts", "kms", "sqs", "secretsmanager"]

  /// The reference decision and the rule that produced it (a short tag, used to group counterexamples).
  struct Verdict: Equatable {
    var decision: Decision
    var rule: String
  }

  /// The former entry point: identity policies, a boundary and SCP levels of one policy each.
  static func decision(
    identity: [[RandomStatement]], boundary: [RandomStatement]?, scpLevels: [[RandomStatement]],
    request: AuthorizationRequest
  ) -> Decision {
    evaluate(ReferencePolicies(identity: identity, boundary: boundary, scps: scpLevels.map { [$0] }), request).decision
  }

  // MARK: - Strings

  /// Byte-exact equality (a case-sensitive comparison of code points; no Unicode normalisation).
  static func same(_ a: String, _ b: String) -> Bool { a.utf8.elementsEqual(b.utf8) }

  /// Textbook wildcard match over code points: `*` any run (possibly empty), `?` exactly one.
  static func glob(_ pattern: String, _ text: String) -> Bool {
    let p = Array(pattern.unicodeScalars)
    let t = Array(text.unicodeScalars)
    // matched[i]: the pattern prefix read so far matches the text prefix of length i.
    var matched = [Bool](repeating: false, count: t.count + 1)
    matched[0] = true
    for c in p {
      if c == "*" {
        if t.count > 0 { for i in 1...t.count where matched[i - 1] { matched[i] = true } }
      } else {
        if t.count > 0 {
          for i in stride(from: t.count, through: 1, by: -1) { matched[i] = matched[i - 1] && (c == "?" || c == t[i - 1]) }
        }
        matched[0] = false
      }
    }
    return matched[t.count]
  }

  // MARK: - Evaluation

  static func evaluate(_ policies: ReferencePolicies, _ request: AuthorizationRequest) -> Verdict {
    let principal = request.principal
    // The keys AWS derives from the caller (global condition keys page), then the request's own keys over them.
    // Keys compare regardless of case.
    var keys: [String: String] = [:]
    keys["aws:principalarn"] = principal.kind == .roleSession ? principal.roleARN : principal.arn
    keys["aws:principalaccount"] = principal.account
    for tag in principal.tags { keys["aws:principaltag/" + tag.key.lowercased()] = tag.value }
    for entry in request.context.sortedEntries {
      keys[entry.key.lowercased()] = entry.isMultivalued ? nil : entry.values.first
    }
    func value(_ key: String) -> String? { keys[key.lowercased()] }

    // Statement matching (M-1…M-9, C-1…C-4).
    func actionMatches(_ pattern: String) -> Bool {
      if pattern == "*" { return true }
      let p = pattern.lowercased().split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
      let a = request.action.lowercased().split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        .map(String.init)
      return p.count == 2 && a.count == 2 && p[0] == a[0] && glob(p[1], a[1])
    }
    func resourceMatches(_ pattern: String) -> Bool {
      if pattern == "*" { return true }
      guard request.resource.hasPrefix("arn:") else { return false }
      var resolved = pattern
      if pattern.contains("${aws:PrincipalTag/team}") {
        guard let team = value("aws:PrincipalTag/team") else { return false }
        resolved = pattern.replacingOccurrences(of: "${aws:PrincipalTag/team}", with: team)
      }
      let p = resolved.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false).map(String.init)
      let r = request.resource.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false).map(String.init)
      return p.count == 6 && r.count == 6 && zip(p, r).allSatisfy { glob($0, $1) }
    }
    func conditionHolds(_ spec: RandomStatement.ConditionSpec) -> Bool {
      let present = value(spec.key)
      switch spec.op {
      case "Null": return (present == nil) == (spec.values[0] == "true")
      case "StringEquals", "StringEqualsIfExists":
        guard let present else { return spec.op.hasSuffix("IfExists") }
        return spec.values.contains { policyValue in
          if policyValue == "${aws:PrincipalTag/region}" {
            return value("aws:PrincipalTag/region").map { same($0, present) } ?? false
          }
          return same(policyValue, present)
        }
      case "StringNotEquals":
        guard let present else { return true }
        return !spec.values.contains { same($0, present) }
      case "StringLike":
        guard let present else { return false }
        return spec.values.contains { glob($0, present) }
      case "Bool", "BoolIfExists":
        guard let present else { return spec.op.hasSuffix("IfExists") }
        return spec.values.contains { $0 == present.lowercased() }
      default: preconditionFailure("unknown operator \(spec.op)")
      }
    }
    /// Action, resource and conditions: everything but the principal.
    func matchesRequest(_ statement: RandomStatement) -> Bool {
      let action = statement.actions.contains(where: actionMatches) != statement.notAction
      // A resource policy without `Resource` applies to the resource it is attached to (G-9, D-12).
      let resource =
        statement.omitsResource || (statement.resources.contains(where: resourceMatches) != statement.notResource)
      return action && resource && statement.conditions.allSatisfy(conditionHolds)
    }
    func verdict(_ statements: [RandomStatement]) -> (deny: Bool, allow: Bool) {
      let applying = statements.filter(matchesRequest)
      return (applying.contains { $0.effect == "Deny" }, applying.contains { $0.effect == "Allow" })
    }

    // Who the caller is, as AWS names it in a Principal element (principal page).
    let account = principal.account
    let hasBoundary = policies.boundary != nil
    /// How directly an AWS principal value names the caller.
    func grant(_ value: String) -> Grant {
      if value == "*" { return .direct }
      if same(value, account) || same(value, "arn:aws:iam::\(account):root") { return .account }
      if same(value, principal.arn) { return .direct }  // the user, the role session, the federated-user session
      if principal.kind == .roleSession, let role = principal.roleARN, same(value, role) { return .role }
      return .none
    }
    /// Whether a Deny with `NotPrincipal` leaves the caller out (NotPrincipal page, brief).
    func exempt(_ listed: [String]) -> Bool {
      if hasBoundary { return false }  // "always deny any IAM principal that has a permissions boundary"
      let lists = { (value: String) in listed.contains { same($0, value) } }
      let accountListed = lists(account) || lists("arn:aws:iam::\(account):root")
      switch principal.kind {
      case .roleSession: return accountListed && principal.roleARN.map(lists) == true && lists(principal.arn)
      case .user: return accountListed && lists(principal.arn)
      case .federatedUser: return accountListed && lists(principal.arn)  // not generated (undocumented)
      case .root: return accountListed
      case .anonymous: return false  // not generated
      }
    }
    /// Whether a resource-policy or RCP statement names the caller, and how.
    func principalGrant(_ statement: RandomStatement) -> Grant {
      guard let spec = statement.principal else { return .direct }
      let values: [String]
      switch spec.form {
      case .star, .awsStar: values = ["*"]
      case .aws(let list): values = list
      case .service: values = []
      }
      if spec.negated { return exempt(values) ? .none : .direct }
      return values.map(grant).max() ?? .none
    }

    // Which layers apply.
    let service = request.action.lowercased().split(separator: ":", maxSplits: 1).first.map(String.init) ?? ""
    let resourceAccount: String = {
      if let given = request.resourceAccount { return given }
      let parts = request.resource.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
      if parts.count == 6, !parts[4].isEmpty { return String(parts[4]) }
      return account
    }()
    let crossAccount = resourceAccount != account
    let scpsApply = !policies.principalAccountIsManagement
    let rcpsApply = rcpServices.contains(service) && !policies.resourceAccountIsManagement
    let resourceParts = request.resource.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
    let requiresResourcePolicyAllow =
      (service == "kms" && resourceParts.count == 6 && resourceParts[2] == "kms" && resourceParts[5].hasPrefix("key/"))
      || (request.action.lowercased().hasPrefix("sts:assumerole") && resourceParts.count == 6
        && resourceParts[2] == "iam" && resourceParts[5].hasPrefix("role/"))

    // 1. Deny evaluation: every applicable policy.
    let identity = policies.identity.map(verdict)
    let boundary = policies.boundary.map(verdict)
    let session = policies.session.map(verdict)
    let scpLevels = scpsApply ? policies.scps.map { verdict($0.flatMap { $0 }) } : []
    let rcpDeny = rcpsApply && policies.rcps.contains { level in level.joined().contains { $0.effect == "Deny" && matchesRequest($0) && principalGrant($0) != .none } }
    let resourceStatements = (policies.resource ?? []).filter { matchesRequest($0) }
    let resourceDeny = resourceStatements.contains { $0.effect == "Deny" && principalGrant($0) != .none }
    if identity.contains(where: \.deny) { return Verdict(decision: .explicitDeny, rule: "deny:identity") }
    if boundary?.deny == true { return Verdict(decision: .explicitDeny, rule: "deny:boundary") }
    if session?.deny == true { return Verdict(decision: .explicitDeny, rule: "deny:session") }
    if scpLevels.contains(where: \.deny) { return Verdict(decision: .explicitDeny, rule: "deny:scp") }
    if rcpDeny { return Verdict(decision: .explicitDeny, rule: "deny:rcp") }
    if resourceDeny {
      let viaNotPrincipal = resourceStatements.contains {
        $0.effect == "Deny" && $0.principal?.negated == true && principalGrant($0) != .none
      }
      return Verdict(decision: .explicitDeny, rule: viaNotPrincipal ? "deny:resource-notprincipal" : "deny:resource")
    }

    // 2. RCPs: RCPFullAWSAccess is attached to every root, OU and account and cannot be detached, so a level never
    //    lacks an Allow: RCPs only ever deny (step 1).

    // 3. SCPs of the caller's account: every level needs an applicable Allow.
    if scpLevels.contains(where: { !$0.allow }) { return Verdict(decision: .implicitDeny, rule: "scp:no-allow") }

    // 4.–7. Resource-based policy, identity-based policies, boundary, session policy.
    let grantLevel = resourceStatements.filter { $0.effect == "Allow" }.map(principalGrant).max() ?? .none
    let identityAllows = identity.contains(where: \.allow)
    let boundaryAllows = boundary?.allow ?? true
    let sessionAllows: Bool
    switch principal.kind {
    case .roleSession: sessionAllows = session?.allow ?? true
    // GetFederationToken: "if you do not pass any session policies, then the resulting federated user session has
    // no permissions"; with one, "the intersection of the IAM user policies and the session policies".
    case .federatedUser: sessionAllows = session?.allow ?? false
    case .user, .root, .anonymous: sessionAllows = true
    }
    let identityPath = identityAllows && boundaryAllows && sessionAllows
    func why(_ prefix: String) -> String {
      !identityAllows ? "\(prefix):identity" : !boundaryAllows ? "\(prefix):boundary" : "\(prefix):session"
    }

    if crossAccount {
      // E-8a: the trusting account's resource policy must name the caller (any form), and the trusted account's
      // identity side must allow on its own.
      guard grantLevel != .none else { return Verdict(decision: .implicitDeny, rule: "cross:no-resource-grant") }
      return identityPath
        ? Verdict(decision: .allowed, rule: "cross:allowed") : Verdict(decision: .implicitDeny, rule: why("cross:no-allow"))
    }
    // Same account (E-5): a grant to the session / user / federated-user ARN or `*` decides alone; a grant to the
    // role ARN is still limited by the boundary and the session policy; an account grant delegates to identity.
    if grantLevel == .direct { return Verdict(decision: .allowed, rule: "same:direct-grant") }
    if grantLevel == .role && boundaryAllows && sessionAllows {
      return Verdict(decision: .allowed, rule: "same:role-grant")
    }
    if requiresResourcePolicyAllow && grantLevel == .none {
      // Key policies and role trust policies "must explicitly allow access for principals".
      return Verdict(decision: .implicitDeny, rule: "same:key-or-trust-policy-silent")
    }
    if identityPath {
      return Verdict(decision: .allowed, rule: grantLevel == .none ? "same:allowed-by-identity" : "same:allowed-by-identity-with-account-grant")
    }
    if grantLevel == .role { return Verdict(decision: .implicitDeny, rule: "same:role-grant-limited") }
    return Verdict(decision: .implicitDeny, rule: why("same:no-allow"))
  }

  /// How directly a resource policy names the caller, weakest first.
  enum Grant: Int, Comparable {
    case none, account, role, direct
    static func < (lhs: Grant, rhs: Grant) -> Bool { lhs.rawValue < rhs.rawValue }
  }
}
