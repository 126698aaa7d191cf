import IAMPolicy

/// A request to authorize: who calls which action on which resource, with which context.
public struct AuthorizationRequest: Sendable, Hashable {
  /// The caller.
  public var principal: Principal
  /// The action, `service:Action`.
  public var action: String
  /// The resource ARN, or `*`.
  public var resource: String
  /// The resource's account when its ARN has none (S3 buckets); `nil` to take it from the ARN.
  public var resourceAccount: String?
  /// The context keys given with the request; they override keys derived from the principal.
  public var context: RequestContext

  /// Creates a request.
  public init(
    principal: Principal = .defaultSession, action: String, resource: String = "*", resourceAccount: String? = nil,
    context: RequestContext = RequestContext()
  ) {
    self.principal = principal
    self.action = action
    self.resource = resource
    self.resourceAccount = resourceAccount
    self.context = context
  }
}

/// A request read once for evaluation: action split and lower-cased, resource split, context merged.
public struct PreparedRequest: Sendable {
  /// The request as given.
  public let request: AuthorizationRequest
  /// The lower-cased service prefix.
  let service: String
  /// The lower-cased action name, as UTF-8.
  let lowercasedName: [UInt8]
  /// The resource, split.
  let resource: ResourceName
  /// The derived context with the request's context laid over it.
  public let context: RequestContext
  /// The account that owns the resource.
  public let resourceAccount: String
  /// The principal ARN used to match role principals: the context's `aws:PrincipalArn` if given.
  let principalARN: String

  /// Prepares a request.
  public init(_ request: AuthorizationRequest) {
    self.request = request
    let parts = request.action.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
    service = parts.count == 2 ? parts[0].lowercased() : ""
    lowercasedName = parts.count == 2 ? Array(parts[1].lowercased().utf8) : Array(request.action.lowercased().utf8)
    resource = ResourceName(request.resource)
    context = request.principal.derivedContext.merging(request.context)
    let arnAccount = resource.account.flatMap { $0.isEmpty ? nil : $0 }
    resourceAccount = request.resourceAccount ?? arnAccount ?? request.principal.account
    principalARN = context.singleValue(lowercased: "aws:principalarn") ?? request.principal.principalARN
  }

  /// Whether the caller and the resource belong to different accounts (rule E-8).
  public var isCrossAccount: Bool { resourceAccount != request.principal.account }
}
