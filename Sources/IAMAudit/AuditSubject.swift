import IAMEvaluation
import IAMPolicy

/// What an audit is about: a caller and the policies that decide its requests.
///
/// A subject is a list of policies (with an optional boundary, session policy and SCP levels), a
/// permission set in one account, or one (permission set, account) pair of an organization.
public struct AuditSubject: Sendable {
  /// The name findings, suppressions and reports use, such as `DatabaseAdministrator` or
  /// `DatabaseAdministrator@111122223333`.
  public var name: String
  /// The permission set, when the subject is one.
  public var permissionSet: String?
  /// The account the permission set is resolved in, when known.
  public var account: String?
  /// The caller whose requests are evaluated.
  public var principal: Principal
  /// Context keys every request carries besides the principal's (such as `identitystore:UserId`).
  public var context: RequestContext
  /// The policies: identity policies, boundary, session policy, SCP and RCP levels. A resource policy is ignored.
  public var policies: PolicySet

  /// Creates a subject.
  public init(
    name: String, permissionSet: String? = nil, account: String? = nil, principal: Principal = .defaultSession,
    context: RequestContext = RequestContext(), policies: PolicySet
  ) {
    self.name = name
    self.permissionSet = permissionSet
    self.account = account
    self.principal = principal
    self.context = context
    self.policies = policies
  }

  /// The names a suppression may use for this subject: its name, and its permission set's name.
  public var names: [String] {
    [name] + (permissionSet.map { [$0] } ?? [])
  }

  /// The request for an action on a probe resource, always in the caller's own account.
  func request(action: String, probe: Probe) -> AuthorizationRequest {
    var context = self.context
    for variable in probe.variables { context.set(variable.key, variable.value) }
    return AuthorizationRequest(
      principal: principal, action: action, resource: probe.resource, resourceAccount: principal.account,
      context: context)
  }
}
