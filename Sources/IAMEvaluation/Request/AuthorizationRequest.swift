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

  /// The longest request text (action, resource, or a value matched by `StringLike` or `ArnLike`) that is matched
  /// against wildcard patterns, in UTF-8 bytes. Wildcard matching takes time quadratic in the text's length in the
  /// worst case (`*aaaa…b`): a longer text is not matched at all, and the statement fails closed. AWS's own limits
  /// are far lower (an ARN has at most 2,048 characters).
  public static let maximumMatchedLength = 8_192

  /// Why the action or resource is too long to be matched, if it is.
  var overlongProblem: String? {
    for (name, text) in [("action", request.action), ("resource", request.resource)]
    where text.utf8.count > PreparedRequest.maximumMatchedLength {
      return "the request's \(name) is \(text.utf8.count) bytes long; iamsim matches at most \(PreparedRequest.maximumMatchedLength)"
    }
    return nil
  }

  /// Whether the caller and the resource belong to different accounts (rule E-8).
  public var isCrossAccount: Bool { resourceAccount != request.principal.account }
}
