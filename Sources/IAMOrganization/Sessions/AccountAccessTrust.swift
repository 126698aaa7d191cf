import IAMEvaluation

/// Whether an IAM role's trust policy lets AWS's account access manager use it, per the IAM User Guide's
/// "Prepare IAM roles" page: "allow the service principal `account-access.amazonaws.com` the actions
/// `sts:AssumeRole` and `sts:SetContext`", and `sts:TagSession` "if upstream assertion attributes … propagate as
/// principal tags in sessions that account access manager issues".
public struct AccountAccessTrust: Sendable, Hashable {
  /// Whether account access manager can assume the role and set the session's context.
  public var usable: Bool
  /// Whether it may also tag the session (attributes become principal tags).
  public var tagsSession: Bool
  /// Why the grant is unusable, naming the missing statement; empty when usable.
  public var reason: String

  /// The service principal of account access manager.
  public static let servicePrincipal = "account-access.amazonaws.com"
  /// The statement AWS documents, for messages.
  static let requiredStatement =
    #"{"Effect": "Allow", "Principal": {"Service": "account-access.amazonaws.com"}, "Action": ["sts:AssumeRole", "sts:SetContext"], "Condition": {"StringEquals": {"aws:SourceAccount": "<account>", "aws:SourceArn": "<application ARN>"}}}"#
}

extension Organization {
  /// Checks a role's trust policy for account access manager, evaluating the statements that name its service
  /// principal with `aws:SourceAccount` and `aws:SourceArn` taken from the application's ARN.
  ///
  /// Fails closed: a statement whose conditions test other keys, which iamsim cannot know for this service, is
  /// taken not to allow (if an Allow) and to deny (if a Deny), and the reason says so.
  public func accountAccessTrust(_ role: IAMRole) -> AccountAccessTrust {
    guard let json = role.trustPolicyJSON else {
      return AccountAccessTrust(usable: false, tagsSession: false, reason: "the trust policy of `\(role.name)` is not available")
    }
    let statementsJSON = json["Statement"].map { $0.elements ?? [$0] } ?? []
    var kept: [String] = []
    var unknownKeys: Set<String> = []
    for (index, statement) in role.trustPolicy.statements.enumerated() where index < statementsJSON.count {
      guard let principal = statement.principal else { continue }
      let names = principal.values.contains { value in
        if case .service(let name) = value { return name == AccountAccessTrust.servicePrincipal }
        return value == .anyone
      }
      guard names != principal.isNegated else { continue }
      let keys = Set(statement.conditions.map { $0.key.lowercased() })
      let other = keys.subtracting(["aws:sourceaccount", "aws:sourcearn"])
      if !other.isEmpty {
        unknownKeys.formUnion(statement.conditions.map(\.key).filter { other.contains($0.lowercased()) })
        // An Allow that depends on what iamsim cannot know does not apply; a Deny does, unconditionally.
        if statement.effect == .allow { continue }
      }
      var members = (statementsJSON[index].members ?? []).filter {
        !["Principal", "NotPrincipal", "Resource", "NotResource", "Sid"].contains($0.key)
      }.map { "\(JSONOutput.string($0.key).rendered()):\($0.value.output.rendered())" }
      if !other.isEmpty { members.removeAll { $0.hasPrefix("\"Condition\"") } }
      kept.append("{" + (members + [#""Resource":"*""#]).joined(separator: ",") + "}")
    }
    let text = #"{"Version":"2012-10-17","Statement":["# + kept.joined(separator: ",") + "]}"
    guard !kept.isEmpty, let document = try? PolicyDocument(parsing: Array(text.utf8), name: "\(role.name) trust policy for account access manager", kind: .identity),
      let authorizer = try? Authorizer(Self.trustOnly(document))
    else {
      return AccountAccessTrust(usable: false, tagsSession: false,
                                reason: "the trust policy of `\(role.name)` has no statement for \(AccountAccessTrust.servicePrincipal); AWS requires \(AccountAccessTrust.requiredStatement)")
    }
    var context = RequestContext()
    if let application = accountAccess.applicationArn, let arn = ARN(application) {
      context.set("aws:SourceArn", application)
      context.set("aws:SourceAccount", arn.account)
    }
    let stand = Principal.roleSession(roleARN: role.arn, sessionName: "account-access") ?? Principal.roleSession(
      roleARN: "arn:aws:iam::000000000000:role/\(role.name)", sessionName: "account-access")!
    func allows(_ action: String) -> Bool {
      let request = AuthorizationRequest(principal: stand, action: action, resource: role.arn, context: context)
      return authorizer.authorize(request).decision == .allowed
    }
    let missing = ["sts:AssumeRole", "sts:SetContext"].filter { !allows($0) }
    let note = unknownKeys.isEmpty ? "" : "; conditions on \(unknownKeys.sorted().map { "`\($0)`" }.joined(separator: ", ")) cannot be known for account access manager, so iamsim takes them as not met"
    let source = accountAccess.applicationArn == nil ? "; `account-access.json` gives no `applicationArn`, so `aws:SourceArn` and `aws:SourceAccount` are unknown" : ""
    guard missing.isEmpty else {
      return AccountAccessTrust(
        usable: false, tagsSession: false,
        reason: "the trust policy of `\(role.name)` does not allow \(AccountAccessTrust.servicePrincipal) \(missing.joined(separator: " and "))\(note)\(source); AWS requires \(AccountAccessTrust.requiredStatement)")
    }
    return AccountAccessTrust(usable: true, tagsSession: allows("sts:TagSession"), reason: "")
  }

  /// The trust statements, rewritten without their principal, as the only policy: the role to assume is the one
  /// whose trust policy this is, so nothing else takes part.
  private static func trustOnly(_ document: PolicyDocument) -> PolicySet {
    var policies = PolicySet(identityPolicies: [document])
    policies.assumesOwnPolicyDelegatesToAccount = true
    return policies
  }
}
