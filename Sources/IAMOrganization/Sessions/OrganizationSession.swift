import IAMEvaluation

/// Everything needed to evaluate one caller's requests in an organization: the caller, its principal and
/// context, and the identity side of its policies with the SCP levels of its account.
public struct OrganizationSession: Sendable {
  public var caller: Caller
  /// The principal, with its session or principal tags.
  public var principal: Principal
  /// Keys the session adds to every request (`identitystore:UserId` for Identity Center sessions).
  public var context: RequestContext
  /// Identity policies, boundary and SCP levels; no RCPs or resource policy, which depend on the resource.
  public var policies: PolicySet
  /// For Identity Center sessions: the group the assignment came through (`nil` for a direct assignment).
  public var group: String?
  /// For Identity Center sessions: the permission set resolved in the account.
  public var resolved: ResolvedPermissionSet?
  /// Findings of the ABAC resolution (attribute collisions, missing values).
  public var findings: [Finding]
}

/// Why a session cannot be evaluated: the organization lacks what it needs, or the caller cannot sign in there.
public struct SessionUnavailable: Error, Sendable, Hashable, CustomStringConvertible {
  /// A stable code, as in diagnostics.
  public var code: Diagnostic.Code
  public var message: String

  public init(_ code: Diagnostic.Code, _ message: String) {
    self.code = code
    self.message = message
  }

  public var description: String { message }

  /// The same, as an input error for commands that were asked about this session.
  public var inputError: InputError { InputError(code, message) }
}

/// An assignment a user reaches, and the group it came through (`nil` for a direct assignment).
public struct AccessGrant: Sendable, Hashable {
  public var assignment: Assignment
  public var group: String?
}

extension Organization {
  /// The assignments a user reaches, directly or through a group they are a direct member of (nested groups are
  /// not provisioned from Entra ID, so membership is not followed further), in the order of `assignments`.
  public func grants(for userName: String) -> [AccessGrant] {
    reached(userName, assignments.count, \.assignmentsByUser, \.assignmentsByGroup) { assignments[$0].principal }
      .map { AccessGrant(assignment: assignments[$0.position], group: $0.group) }
  }

  /// The account access manager grants a user reaches, with the group each came through.
  public func accountAccessGrants(for userName: String) -> [(grant: AccountAccessGrant, group: String?)] {
    reached(userName, accountAccess.grants.count, \.grantsByUser, \.grantsByGroup) { accountAccess.grants[$0].principal }
      .map { (accountAccess.grants[$0.position], $0.group) }
  }

  /// The positions a user reaches directly or through a group, in order, each once, with the group's display name
  /// as the assignment or grant writes it (`nil` for a direct one).
  private func reached(
    _ userName: String, _ count: Int, _ direct: KeyPath<PrincipalIndex.Built, [String: [Int]]>,
    _ viaGroup: KeyPath<PrincipalIndex.Built, [String: [Int]]>, _ principal: (Int) -> String
  ) -> [(position: Int, group: String?)] {
    guard let user = identityStore.user(named: userName) else { return [] }
    let index = principals.get(self)
    var result: [(position: Int, group: String?)] = (index[keyPath: direct][user.userName.lowercased()] ?? []).map { ($0, nil) }
    for group in user.id.flatMap({ index.groupsByMember[$0] }) ?? [] {
      for position in index[keyPath: viaGroup][group] ?? [] {
        result.append((position, identityStore.group(named: principal(position))?.displayName ?? principal(position)))
      }
    }
    result.sort { $0.position < $1.position }
    return result
  }

  /// Every caller of the organization: each user in each account and permission set their assignments give,
  /// each usable account access manager grant, each IAM role (other than those Identity Center provisions, which
  /// are the people above) and each IAM user. Sorted as people first, by user name.
  public var callers: [Caller] {
    var result: [Caller] = []
    for user in identityStore.users.sorted(by: { $0.userName < $1.userName }) {
      var seen: Set<Caller> = []
      for grant in grants(for: user.userName) {
        let caller = Caller.identityCenter(user: user.userName, permissionSet: grant.assignment.permissionSet, account: grant.assignment.account)
        if seen.insert(caller).inserted { result.append(caller) }
      }
      for (grant, _) in accountAccessGrants(for: user.userName) {
        let caller = Caller.accountAccess(user: user.userName, account: grant.account, role: grant.role)
        if seen.insert(caller).inserted { result.append(caller) }
      }
    }
    for account in accounts {
      for role in account.iam?.roles ?? [] where !role.isIdentityCenterRole { result.append(.role(account: account.id, name: role.name)) }
      for user in account.iam?.users ?? [] { result.append(.iamUser(account: account.id, name: user.name)) }
    }
    return result
  }

  /// Opens a caller's session, as AWS would form it.
  ///
  /// - Parameter samlAttributes: `AccessControl:` attributes of the user's SAML response, combined with the
  ///   configured attributes for access control by Identity Center's precedence.
  /// - Throws: ``SessionUnavailable`` when the caller cannot sign in there (unknown user, no assignment, a grant
  ///   whose role does not trust account access manager) or when the organization lacks what the session needs
  ///   (an account whose IAM was not collected): never a guess.
  public func session(for caller: Caller, samlAttributes: [SessionTag] = []) throws(SessionUnavailable) -> OrganizationSession {
    switch caller {
    case .identityCenter(let user, let permissionSet, let account):
      return try identityCenterSession(caller, user: user, permissionSet: permissionSet, account: account, samlAttributes: samlAttributes)
    case .accountAccess(let userName, let account, let roleName):
      guard let user = identityStore.user(named: userName) else { throw unknownUser(userName) }
      guard let (grant, group) = accountAccessGrants(for: user.userName).first(where: {
        $0.grant.account == account && $0.grant.role.lowercased() == roleName.lowercased()
      }) else {
        throw SessionUnavailable("organization.not-granted", "`\(userName)` has no account access manager grant to the role `\(roleName)` in account \(account)")
      }
      let role = try iamRole(account, grant.role)
      let trust = accountAccessTrust(role)
      guard trust.usable else {
        throw SessionUnavailable(.unusableGrant, "the grant of `\(grant.role)` in account \(account) is unusable: \(trust.reason)")
      }
      var session = try roleSession(caller, role, account: account, sessionName: user.userName)
      session.group = group
      if trust.tagsSession, let accessControl {
        let abac = accessControl.resolve(for: user, samlAttributes: samlAttributes)
        for tag in abac.tags { session.principal.setTag(tag.key, tag.value) }
        session.findings = abac.findings
      }
      return session
    case .role(let account, let name):
      return try roleSession(caller, try iamRole(account, name), account: account, sessionName: OrganizationSession.roleSessionName)
    case .iamUser(let account, let name):
      guard let iam = try accountIAM(account), let user = iam.user(named: name) else {
        throw SessionUnavailable("organization.unknown-iam-user", "account \(account) has no IAM user `\(name)`")
      }
      guard case .success(var principal) = Principal.parse(user.arn) else {
        throw SessionUnavailable("organization.invalid-session", "`\(user.arn)` is not an IAM user ARN")
      }
      for tag in user.tags { principal.setTag(tag.key, tag.value) }
      return OrganizationSession(
        caller: caller, principal: principal, context: RequestContext(),
        policies: identitySide(user.policies, boundary: user.permissionsBoundary, account: account), group: nil, resolved: nil,
        findings: [])
    }
  }

  /// The full policy set of a session's request on a resource: its identity side, and the RCP levels of the
  /// resource's account (`resourceAccount`, else the account in the resource's ARN, else the caller's).
  public func policySet(for session: OrganizationSession, resource: String, resourceAccount: String? = nil,
                        resourcePolicy: PolicyDocument? = nil) -> PolicySet {
    let owner = Self.resourceOwner(resource: resource, resourceAccount: resourceAccount, callerAccount: session.caller.account)
    var policies = session.policies
    policies.resourceControlPolicies = resourceControlLevels(for: owner)
    policies.resourceAccountIsManagement = owner == managementAccount
    policies.resourcePolicy = resourcePolicy
    return policies
  }

  /// The account that owns a resource: `resourceAccount`, else the account in the resource's ARN, else the caller's.
  public static func resourceOwner(resource: String, resourceAccount: String?, callerAccount: String) -> String {
    resourceAccount ?? ARN(resource).map(\.account).flatMap { $0.isEmpty ? nil : $0 } ?? callerAccount
  }

  // MARK: - Sessions

  private func identityCenterSession(
    _ caller: Caller, user userName: String, permissionSet name: String, account: String, samlAttributes: [SessionTag]
  ) throws(SessionUnavailable) -> OrganizationSession {
    guard let user = identityStore.user(named: userName) else { throw unknownUser(userName) }
    guard let permissionSet = permissionSet(named: name) else {
      throw SessionUnavailable("organization.unknown-permission-set",
                               "the organization has no permission set named `\(name)`\(Loading.closest(name, permissionSets.map(\.name)))")
    }
    guard let grant = grants(for: user.userName).first(where: {
      $0.assignment.permissionSet == permissionSet.name && $0.assignment.account == account
    }) else {
      throw SessionUnavailable(
        "organization.not-assigned",
        "`\(user.userName)` is not assigned the permission set `\(permissionSet.name)` in account \(account), directly or through a group, so there is no session to evaluate")
    }
    return try assignedSession(user: user, permissionSet: permissionSet, account: account, group: grant.group,
                               samlAttributes: samlAttributes)
  }

  /// The session of a user known to be assigned `permissionSet` in `account` (through `group`, or directly).
  func assignedSession(
    user: IdentityStoreUser, permissionSet: PermissionSet, account: String, group: String?, samlAttributes: [SessionTag] = []
  ) throws(SessionUnavailable) -> OrganizationSession {
    let caller = Caller.identityCenter(user: user.userName, permissionSet: permissionSet.name, account: account)
    let resolved = try resolve(permissionSet, in: account)
    let session = identityCenterSession(permissionSet: permissionSet.name, account: account, user: user)
    guard var principal = session.principal else {
      throw SessionUnavailable("organization.invalid-session", "cannot form a session for `\(user.userName)` in account \(account)")
    }
    let abac = accessControl?.resolve(for: user, samlAttributes: samlAttributes)
    for tag in abac?.tags ?? (accessControl == nil ? samlAttributes : []) { principal.setTag(tag.key, tag.value) }
    return OrganizationSession(
      caller: caller, principal: principal, context: session.context,
      policies: identitySide(resolved.identityPolicies, boundary: resolved.permissionsBoundary, account: account),
      group: group, resolved: resolved, findings: abac?.findings ?? [])
  }

  /// The role session Identity Center gives a user with a permission set in an account (its role suffix as the
  /// account records it).
  func identityCenterSession(permissionSet: String, account: String, user: IdentityStoreUser?) -> IdentityCenterSession {
    IdentityCenterSession(
      permissionSetName: permissionSet, account: account, userName: user?.userName ?? "",
      roleSuffix: self.account(account)?.roleSuffixes[permissionSet] ?? IdentityCenterSession.defaultRoleSuffix,
      region: identityCenter.region, identityStoreUserID: user?.id)
  }

  private func roleSession(_ caller: Caller, _ role: IAMRole, account: String, sessionName: String) throws(SessionUnavailable)
    -> OrganizationSession
  {
    guard var principal = Principal.roleSession(roleARN: role.arn, sessionName: sessionName) else {
      throw SessionUnavailable("organization.invalid-session", "`\(role.arn)` is not an IAM role ARN")
    }
    for tag in role.tags { principal.setTag(tag.key, tag.value) }
    return OrganizationSession(
      caller: caller, principal: principal, context: RequestContext(),
      policies: identitySide(role.policies, boundary: role.permissionsBoundary, account: account), group: nil, resolved: nil,
      findings: [])
  }

  private func identitySide(_ policies: [PolicyDocument], boundary: PolicyDocument?, account: String) -> PolicySet {
    var set = PolicySet(identityPolicies: policies, permissionsBoundary: boundary,
                        serviceControlPolicies: serviceControlLevels(for: account))
    set.principalAccountIsManagement = account == managementAccount
    return set
  }

  private func unknownUser(_ name: String) -> SessionUnavailable {
    SessionUnavailable("organization.unknown-user",
                       "the identity store has no user named `\(name)`\(Loading.closest(name, identityStore.users.map(\.userName)))")
  }

  /// The account's IAM; `nil` is never returned for a collected account. Throws for accounts not in the tree or not collected.
  private func accountIAM(_ account: String) throws(SessionUnavailable) -> AccountIAM? {
    guard let found = self.account(account) else {
      throw SessionUnavailable("organization.unknown-account", "account \(account) is not in the organization's tree")
    }
    guard let iam = found.iam else {
      throw SessionUnavailable(.iamNotCollected, "the IAM of account \(account) was not collected (`\"iam\": \"not-collected\"`), so its roles, users and customer managed policies are unknown")
    }
    return iam
  }

  private func iamRole(_ account: String, _ name: String) throws(SessionUnavailable) -> IAMRole {
    guard let role = try accountIAM(account)?.role(named: name) else {
      throw SessionUnavailable("organization.unknown-role", "account \(account) has no IAM role `\(name)`")
    }
    return role
  }

  /// A permission set's policies as they are in one account.
  public func resolve(_ permissionSet: PermissionSet, in account: String) throws(SessionUnavailable) -> ResolvedPermissionSet {
    var provider = OrganizationPolicyProvider(organization: self)
    do {
      return try permissionSet.resolve(inAccount: account, provider: &provider)
    } catch {
      if let unavailable = provider.unavailable { throw unavailable }
      let first = error.diagnostics.first { $0.severity == .error }
      throw SessionUnavailable(first?.code ?? "organization.unresolved-policy", first?.message ?? error.description)
    }
  }
}

extension OrganizationSession {
  /// The session name iamsim gives sessions of IAM roles, whose real names depend on who assumes them.
  public static let roleSessionName = "iamsim"
}

/// Supplies a permission set's documents from the organization: AWS managed policies parsed once, customer
/// managed policies from the account's IAM.
struct OrganizationPolicyProvider: PolicyProvider {
  let organization: Organization
  var unavailable: SessionUnavailable?

  mutating func awsManagedPolicy(arn: String, kind: PolicyKind) throws(InputError) -> PolicyDocument {
    try organization.managed.document(arn, kind: kind, file: nil, path: .root, position: nil)
  }

  mutating func customerManagedPolicy(_ reference: CustomerManagedPolicyReference, account: String, kind: PolicyKind)
    throws(InputError) -> PolicyDocument?
  {
    guard let iam = organization.account(account)?.iam else {
      unavailable = SessionUnavailable(
        .iamNotCollected,
        "the permission set needs the customer managed policy `\(reference)` of account \(account), whose IAM was not collected, so the session cannot be evaluated")
      throw unavailable!.inputError
    }
    return iam.policy(path: reference.path, name: reference.name)?.document
  }
}
