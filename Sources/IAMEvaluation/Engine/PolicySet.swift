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
  /// The policy of the VPC endpoint the request is made through (a resource-based policy: it has a `Principal`). It
  /// takes part only in requests whose context has `aws:SourceVpce`: "This key is included in the request context
  /// only if the requester uses a VPC endpoint to make the request." It must allow, and its Deny is an explicit deny;
  /// it grants nothing by itself.
  public var vpcEndpointPolicy: PolicyDocument?
  /// The kind of that endpoint, when known: in a gateway endpoint's policy an account principal names the account's
  /// root user only; for an interface endpoint AWS documents no such rule, and iamsim fails closed.
  public var vpcEndpointType: VPCEndpointType?
  /// The S3 Block Public Access settings in effect for the bucket whose policy is ``resourcePolicy`` (the most
  /// restrictive combination of the account's and the bucket's).
  public var blockPublicAccess = BlockPublicAccess()
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

/// The kind of a VPC endpoint.
public enum VPCEndpointType: String, Sendable, Hashable, CaseIterable {
  /// A gateway endpoint (S3, DynamoDB).
  case gateway
  /// An interface endpoint (AWS PrivateLink).
  case interface
}

/// S3 Block Public Access settings, by AWS's names.
///
/// Only `RestrictPublicBuckets` changes how a request is decided: it "restricts access to an access point or bucket
/// with a public policy to only AWS service principals and authorized users within the bucket owner's account".
/// `BlockPublicPolicy` rejects storing a public policy and "doesn't affect existing bucket policies"; the two ACL
/// settings concern ACLs, which iamsim does not model.
public struct BlockPublicAccess: Sendable, Hashable {
  public var blockPublicAcls = false
  public var ignorePublicAcls = false
  public var blockPublicPolicy = false
  public var restrictPublicBuckets = false

  /// Settings, all off by default.
  public init(
    blockPublicAcls: Bool = false, ignorePublicAcls: Bool = false, blockPublicPolicy: Bool = false,
    restrictPublicBuckets: Bool = false
  ) {
    self.blockPublicAcls = blockPublicAcls
    self.ignorePublicAcls = ignorePublicAcls
    self.blockPublicPolicy = blockPublicPolicy
    self.restrictPublicBuckets = restrictPublicBuckets
  }

  /// The settings' names, as AWS spells them.
  public static let names = ["BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets"]

  /// Turns on the setting named `name` (AWS's spelling, case-sensitive); `false` for an unknown name.
  public mutating func turnOn(_ name: String) -> Bool {
    switch name {
    case "BlockPublicAcls": blockPublicAcls = true
    case "IgnorePublicAcls": ignorePublicAcls = true
    case "BlockPublicPolicy": blockPublicPolicy = true
    case "RestrictPublicBuckets": restrictPublicBuckets = true
    default: return false
    }
    return true
  }
}
