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
///
/// Copying a prepared request copies one reference: everything it holds is read once and shared.
public struct PreparedRequest: Sendable {
  private let storage: Storage

  /// Prepares a request.
  public init(_ request: AuthorizationRequest) {
    // The request's context goes into the caller's, so that it is merged and indexed once.
    storage = Storage(
      request, caller: PreparedCaller(request.principal, sharedContext: request.context), ownContext: RequestContext())
  }

  /// Prepares a request of a caller prepared once: the request's context is laid over the caller's, and the
  /// caller replaces the request's principal.
  public init(_ request: AuthorizationRequest, caller: PreparedCaller) {
    storage = Storage(request, caller: caller, ownContext: request.context)
  }

  /// The longest request text (action, resource, or a value matched by `StringLike` or `ArnLike`) that is matched
  /// against wildcard patterns, in UTF-8 bytes. Wildcard matching takes time quadratic in the text's length in the
  /// worst case (`*aaaa…b`): a longer text is not matched at all, and the statement fails closed. AWS's own limits
  /// are far lower (an ARN has at most 2,048 characters).
  public static let maximumMatchedLength = 8_192

  /// The request as given, with the caller's principal.
  public var request: AuthorizationRequest { storage.request }
  /// The derived context, with the caller's shared context and then the request's own laid over it.
  public var context: RequestContext { storage.context }
  /// The account that owns the resource.
  public var resourceAccount: String { storage.resourceAccount }
  /// Whether the caller and the resource belong to different accounts (rule E-8).
  public var isCrossAccount: Bool { storage.isCrossAccount }

  // The internal accessors yield the stored values in place (`_read`), so that reading one on the hot path
  // borrows it instead of copying it (and retaining each of its parts).

  /// The lower-cased service prefix.
  var service: String { _read { yield storage.service } }
  /// The lower-cased service prefix with its hash computed once.
  var serviceKey: HashedKey { _read { yield storage.serviceKey } }
  /// The lower-cased action name, as UTF-8.
  var lowercasedName: [UInt8] { _read { yield storage.lowercasedName } }
  /// The resource, split.
  var resource: ResourceName { _read { yield storage.resource } }
  /// The principal ARN used to match role principals: the context's `aws:PrincipalArn` if given.
  var principalARN: String { _read { yield storage.principalARN } }
  /// The caller.
  var principal: Principal { _read { yield storage.request.principal } }
  /// Whether the caller is a session of a service-linked role, which SCPs do not affect.
  var isServiceLinkedRole: Bool { storage.isServiceLinkedRole }
  /// Whether the resource is one whose own policy must allow: a KMS key, or a role being assumed (rule E-3 4).
  var requiresResourcePolicyAllow: Bool { storage.requiresResourcePolicyAllow }
  /// Whether the action is one AWS answers without any permission (`sts:GetCallerIdentity`).
  var needsNoPermission: Bool { storage.needsNoPermission }
  /// Whether the action's service is one that resource control policies apply to.
  var isInResourceControlScope: Bool { storage.isInResourceControlScope }
  /// Why the action or resource is too long to be matched, if it is (computed once per request).
  var overlongProblem: String? { storage.overlongProblem }
  /// The context, indexed for lookups by precomputed key hashes.
  var contextIndex: ContextIndex { _read { yield storage.contextIndex } }

  private final class Storage: Sendable {
    let request: AuthorizationRequest
    let service: String
    let serviceKey: HashedKey
    let lowercasedName: [UInt8]
    let resource: ResourceName
    let context: RequestContext
    let resourceAccount: String
    let principalARN: String
    let isCrossAccount: Bool
    let isServiceLinkedRole: Bool
    let requiresResourcePolicyAllow: Bool
    let needsNoPermission: Bool
    let isInResourceControlScope: Bool
    let overlongProblem: String?
    let contextIndex: ContextIndex

    /// Prepares `request`, whose `ownContext` (its context, unless the caller holds it already) is laid over the
    /// caller's.
    init(_ request: AuthorizationRequest, caller: PreparedCaller, ownContext: RequestContext) {
      var request = request
      request.principal = caller.principal
      self.request = request
      (service, lowercasedName) = Storage.splitAction(request.action)
      serviceKey = HashedKey(service)
      resource = ResourceName(request.resource)
      var contextIndex: ContextIndex
      if ownContext.isEmpty {
        context = caller.context
        contextIndex = caller.contextIndex
        principalARN = caller.principalARN
      } else {
        context = caller.context.merging(ownContext)
        contextIndex = ContextIndex(context)
        principalARN = PreparedCaller.principalARN(in: context, caller.principal)
      }
      let arnAccount = resource.account.flatMap { $0.isEmpty || $0 == "aws" ? nil : $0 }
      resourceAccount = request.resourceAccount ?? arnAccount ?? caller.principal.account
      isCrossAccount = resourceAccount != caller.principal.account
      isServiceLinkedRole = caller.isServiceLinkedRole
      requiresResourcePolicyAllow = Storage.requiresResourcePolicyAllow(
        service: service, lowercasedName: lowercasedName, resource: request.resource)
      needsNoPermission = service == "sts" && lowercasedName.elementsEqual("getcalleridentity".utf8)
      isInResourceControlScope = ResourceControlScope.servicePrefixes.contains(service)
      // aws:ResourceAccount: "The key value is the account ID of the resource owner". Derived only for a resource
      // whose account is known, an ARN's 12-digit account or the request's `resourceAccount`, unless the context
      // gives it.
      if request.resourceAccount != nil || (arnAccount.map(Storage.isAccountID) ?? false) {
        contextIndex = contextIndex.adding(resourceAccount: resourceAccount)
      }
      self.contextIndex = contextIndex
      let limit = PreparedRequest.maximumMatchedLength
      overlongProblem =
        request.action.utf8.count > limit
        ? "the request's action is \(request.action.utf8.count) bytes long; iamsim matches at most \(limit)"
        : request.resource.utf8.count > limit
          ? "the request's resource is \(request.resource.utf8.count) bytes long; iamsim matches at most \(limit)" : nil
    }

    /// The lower-cased service prefix and action name: the text before and after the first `:`.
    static func splitAction(_ action: String) -> (service: String, name: [UInt8]) {
      var action = action
      // ASCII text byte by byte; other text keeps the Character-based split and Unicode lower-casing.
      let ascii = action.withUTF8 { bytes -> (String, [UInt8])? in
        guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
        guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")) else { return ("", bytes.map(asciiLowercase)) }
        return (String(decoding: bytes[..<colon].map(asciiLowercase), as: UTF8.self), bytes[(colon + 1)...].map(asciiLowercase))
      }
      if let ascii { return ascii }
      let parts = action.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
      return parts.count == 2
        ? (parts[0].lowercased(), Array(parts[1].lowercased().utf8)) : ("", Array(action.lowercased().utf8))
    }

    static func isAccountID(_ text: String) -> Bool {
      text.utf8.count == 12 && text.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }

    static func requiresResourcePolicyAllow(service: String, lowercasedName: [UInt8], resource: String) -> Bool {
      if service == "kms" && resource.hasPrefix("arn:") && resource.contains(":kms:") { return true }
      if service == "sts" && String(decoding: lowercasedName, as: UTF8.self).hasPrefix("assumerole") {
        return ARN(resource).map { $0.service == "iam" && $0.resource.hasPrefix("role/") } ?? false
      }
      return false
    }
  }
}
