import IAMEvaluation
import IAMFederation
import IAMPolicy

/// Everything needed to evaluate requests of one user signed in to one account with one permission set.
public struct OrganizationSession: Sendable {
  /// The assignment that makes the session possible.
  public var grant: AccessGrant
  /// The permission set resolved in the account.
  public var resolved: ResolvedPermissionSet
  /// The caller, with its ABAC session tags.
  public var principal: Principal
  /// Keys the session adds: `identitystore:UserId`.
  public var context: RequestContext
  /// The policy set: permission-set policies, boundary, and the account's SCP levels.
  public var policies: PolicySet
  /// Findings of the ABAC resolution (attribute collisions, missing values).
  public var findings: [Finding]
}

extension Organization {
  /// Opens the session of `userName` in `account` with `permissionSet`, as Identity Center would (rules F-1 … F-5).
  ///
  /// - Throws: ``InputError`` when the user is unknown, no assignment grants the permission set in the account,
  ///   or the permission set cannot be provisioned there.
  ///
  /// - Parameter samlAttributes: `AccessControl:` attributes of the user's SAML response, combined with the
  ///   configured mapping by Identity Center's precedence (rule F-5, D-9).
  public func session(
    user userName: String, permissionSet name: String, account: String, samlAttributes: [SessionTag] = [],
    provider: inout some PolicyProvider
  ) throws(InputError) -> OrganizationSession {
    guard let user = identityStore.user(named: userName) else {
      throw InputError("organization.unknown-user", "the identity store has no user named `\(userName)`")
    }
    guard let grant = grants(for: user.userName).first(where: { $0.assignment.permissionSet == name && $0.assignment.account == account })
    else {
      throw InputError(
        "organization.not-assigned",
        "`\(userName)` is not assigned the permission set `\(name)` in account \(account), directly or through a group, so there is no session to evaluate")
    }
    guard let permissionSet = permissionSets[name] else {
      throw InputError("organization.unknown-permission-set", "the organization has no permission set named `\(name)`")
    }
    let resolved = try permissionSet.resolve(inAccount: account, provider: &provider)
    let suffix = path(to: account)?.account.roleSuffixes[name] ?? IdentityCenterSession.defaultRoleSuffix
    let session = IdentityCenterSession(
      permissionSetName: name, account: account, userName: user.userName, roleSuffix: suffix,
      region: identityCenterRegion, identityStoreUserID: user.id)
    guard var principal = session.principal else {
      throw InputError("organization.invalid-session", "cannot form a session for `\(userName)` in account \(account)")
    }
    let abac = accessControl?.resolve(for: user, samlAttributes: samlAttributes)
    for tag in abac?.tags ?? (accessControl == nil ? samlAttributes : []) { principal.setTag(tag.key, tag.value) }
    var policies = PolicySet(
      identityPolicies: resolved.identityPolicies, permissionsBoundary: resolved.permissionsBoundary,
      serviceControlPolicies: serviceControlLevels(for: account))
    policies.principalAccountIsManagement = account == managementAccount
    return OrganizationSession(
      grant: grant, resolved: resolved, principal: principal, context: session.context, policies: policies,
      findings: abac?.findings ?? [])
  }
}
