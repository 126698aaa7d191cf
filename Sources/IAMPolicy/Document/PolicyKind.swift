/// The role a policy plays in an authorization, which decides the grammar it must follow.
public enum PolicyKind: String, Sendable, Hashable, CaseIterable {
  /// An identity-based policy: managed or inline, of a user, group, role or permission set.
  case identity
  /// A resource-based policy: a bucket, key or queue policy, or a role trust policy.
  case resource
  /// A permissions boundary of a user or role.
  case permissionsBoundary = "boundary"
  /// A session policy passed when a session is created.
  case session
  /// An AWS Organizations service control policy.
  case serviceControl = "scp"
  /// An AWS Organizations resource control policy.
  case resourceControl = "rcp"

  /// Whether statements of this kind carry a Principal element.
  public var hasPrincipal: Bool { self == .resource || self == .resourceControl }

  /// The name used in messages.
  public var displayName: String {
    switch self {
    case .identity: "identity policy"
    case .resource: "resource policy"
    case .permissionsBoundary: "permissions boundary"
    case .session: "session policy"
    case .serviceControl: "service control policy"
    case .resourceControl: "resource control policy"
    }
  }
}
