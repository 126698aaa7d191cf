import IAMPolicy

/// A group of policies that the evaluation consults as one step (rule E-3).
public enum Layer: Sendable, Hashable, CustomStringConvertible {
  case serviceControl(level: Int)
  case resourceControl(level: Int)
  case resource
  /// The policy of the VPC endpoint the request is made through.
  case vpcEndpoint
  case identity
  case permissionsBoundary
  case session

  /// The policy kind of the layer's policies.
  public var policyKind: PolicyKind {
    switch self {
    case .serviceControl: .serviceControl
    case .resourceControl: .resourceControl
    case .resource, .vpcEndpoint: .resource
    case .identity: .identity
    case .permissionsBoundary: .permissionsBoundary
    case .session: .session
    }
  }

  /// A stable name for output: `identity`, `scp[0]`, `rcp[1]`, …
  public var name: String {
    switch self {
    case .serviceControl(let level): "scp[\(level)]"
    case .resourceControl(let level): "rcp[\(level)]"
    case .resource: "resource"
    case .vpcEndpoint: "vpc-endpoint"
    case .identity: "identity"
    case .permissionsBoundary: "boundary"
    case .session: "session"
    }
  }

  /// The layer in words, for explanations.
  public var description: String {
    switch self {
    case .serviceControl(let level): "service control policies at level \(level) (\(level == 0 ? "root" : "OU or account"))"
    case .resourceControl(let level): "resource control policies at level \(level) (\(level == 0 ? "root" : "OU or account"))"
    case .resource: "the resource-based policy"
    case .vpcEndpoint: "the VPC endpoint policy"
    case .identity: "the identity-based policies"
    case .permissionsBoundary: "the permissions boundary"
    case .session: "the session policy"
    }
  }
}
