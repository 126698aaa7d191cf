import IAMPolicy

/// Every policy that can take part in a request, held by the role it plays (rule E-1).
public struct PolicySet: Sendable, Hashable {
  /// Identity-based policies: managed, inline, permission-set policies.
  public var identityPolicies: [PolicyDocument] = []
  /// The caller's permissions boundary, if any.
  public var permissionsBoundary: PolicyDocument?
  /// The session policy passed when the session was created, if any.
  public var sessionPolicy: PolicyDocument?
  /// Service control policies, one list per level of the organization, root first.
  public var serviceControlPolicies: [[PolicyDocument]] = []
  /// Resource control policies, one list per level, root first.
  public var resourceControlPolicies: [[PolicyDocument]] = []
  /// The resource-based policy of the requested resource (a bucket policy, key policy, trust policy …).
  public var resourcePolicy: PolicyDocument?
  /// Whether the caller's account is the organization's management account (SCPs do not apply there).
  public var principalAccountIsManagement = false
  /// Whether the resource's account is the management account (RCPs do not apply there).
  public var resourceAccountIsManagement = false
  /// For audits of what the caller's side grants: when no resource policy is given, a KMS key or a role to assume
  /// (whose own policy must allow) is taken to have a key or trust policy that delegates to the account's IAM
  /// policies, so that the identity side decides. Off by default: without the resource's own policy, AWS denies.
  public var assumesOwnPolicyDelegatesToAccount = false

  /// Creates a policy set.
  public init(
    identityPolicies: [PolicyDocument] = [], permissionsBoundary: PolicyDocument? = nil,
    sessionPolicy: PolicyDocument? = nil, serviceControlPolicies: [[PolicyDocument]] = [],
    resourceControlPolicies: [[PolicyDocument]] = [], resourcePolicy: PolicyDocument? = nil
  ) {
    self.identityPolicies = identityPolicies
    self.permissionsBoundary = permissionsBoundary
    self.sessionPolicy = sessionPolicy
    self.serviceControlPolicies = serviceControlPolicies
    self.resourceControlPolicies = resourceControlPolicies
    self.resourcePolicy = resourcePolicy
  }
}
