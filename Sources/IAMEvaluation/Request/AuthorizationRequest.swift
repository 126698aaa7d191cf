import IAMPolicy

/// A request to authorize: who calls which action on which resource, with which context.
public struct AuthorizationRequest: Sendable, Hashable {
  // The context is declared first so that the memberwise initializer (`init(context:principal:…)`) differs from the
  // public one, which calls it: a struct assigned field by field in its initializer is built in a temporary, then
  // copied out and destroyed, a retain and a release of every field (measured: 300 instructions per request).

  /// The context keys given with the request; they override keys derived from the principal.
  public var context: RequestContext
  /// The caller.
  public var principal: Principal
  /// The action, `service:Action`.
  public var action: String
  /// The resource ARN, or `*`.
  public var resource: String
  /// The resource's account when its ARN has none (S3 buckets); `nil` to take it from the ARN.
  public var resourceAccount: String?
}

extension AuthorizationRequest {
  /// Creates a request.
  public init(
    principal: Principal = .defaultSession, action: String, resource: String = "*", resourceAccount: String? = nil,
    context: RequestContext = RequestContext()
  ) {
    self.init(context: context, principal: principal, action: action, resource: resource, resourceAccount: resourceAccount)
  }
}

/// A request read once for evaluation: action split and lower-cased, resource split, context merged.
///
/// Copying a prepared request copies one reference: everything it holds is read once and shared.
public struct PreparedRequest: Sendable {
  private let storage: Storage

  /// Prepares a request.
  public init(_ request: consuming AuthorizationRequest) {
    // The request's context goes into the caller's, so that it is merged and indexed once.
    let caller = PreparedCaller(request.principal, sharedContext: request.context)
    storage = Storage(consume request, caller: caller, contextIsOwn: false)
  }

  /// Prepares a request of a caller prepared once: the request's context is laid over the caller's, and the
  /// caller replaces the request's principal.
  public init(_ request: consuming AuthorizationRequest, caller: PreparedCaller) {
    storage = Storage(consume request, caller: caller, contextIsOwn: true)
  }

  /// Prepares a request of a caller prepared once whose action was prepared once too: `action` must be the
  /// request's action, read by ``PreparedAction/init(_:)``.
  public init(_ request: consuming AuthorizationRequest, caller: PreparedCaller, action: PreparedAction) {
    precondition(action.action == request.action, "a prepared action must be the request's")
    storage = Storage(consume request, caller: caller, contextIsOwn: true, action: action)
  }

  /// Prepares a request of a caller prepared once whose action and resource were prepared once too: `action` must
  /// be the request's action (``PreparedAction/init(_:)``) and `resource` its resource (``PreparedResource/init(_:)``).
  public init(
    _ request: consuming AuthorizationRequest, caller: PreparedCaller, action: PreparedAction, resource: PreparedResource
  ) {
    precondition(action.action == request.action, "a prepared action must be the request's")
    precondition(resource.resource == request.resource, "a prepared resource must be the request's")
    storage = Storage(consume request, caller: caller, contextIsOwn: true, action: action, resource: resource)
  }

  /// Prepares a request for policies that read none of the keys derived from the caller when `derivingKeys` is
  /// false: the derived keys are then left out of the index (``context`` still has them), and the request's
  /// context is laid over the caller's without merging; and for policies that look up no key when `readsContext` is
  /// false, without making each key's looked-up form or deriving `aws:ResourceAccount`.
  init(_ request: consuming AuthorizationRequest, derivingKeys: Bool, readsContext: Bool = true) {
    if derivingKeys {
      let caller = PreparedCaller(request.principal, sharedContext: request.context)
      storage = Storage(consume request, caller: caller, contextIsOwn: false)
    } else {
      // The caller is the request's principal alone: nothing to prepare once, so nothing is allocated for it.
      storage = Storage(consume request, caller: nil, contextIsOwn: true, readsContext: readsContext)
    }
  }

  /// The longest request text (action, resource, or a value matched by `StringLike` or `ArnLike`) that is matched
  /// against wildcard patterns, in UTF-8 bytes. Wildcard matching takes time quadratic in the text's length in the
  /// worst case (`*aaaa…b`): a longer text is not matched at all, and the statement fails closed. AWS's own limits
  /// are far lower (an ARN has at most 2,048 characters).
  public static let maximumMatchedLength = 8_192

  /// The request as given, with the caller's principal.
  public var request: AuthorizationRequest { storage.request }
  /// The derived context, with the caller's shared context and then the request's own laid over it.
  public var context: RequestContext {
    var callerContext = storage.caller?.context ?? RequestContext()
    if !(storage.caller?.derivesKeys ?? false) { storage.request.principal.addDerivedKeys(to: &callerContext) }
    return storage.contextIsOwn ? callerContext.merging(storage.request.context) : callerContext
  }
  /// The account that owns the resource.
  public var resourceAccount: String { storage.resourceAccount }
  /// Whether the caller and the resource belong to different accounts (rule E-8).
  public var isCrossAccount: Bool { storage.isCrossAccount }

  // The internal accessors yield the stored values in place (`_read`), so that reading one on the hot path
  // borrows it instead of copying it (and retaining each of its parts).

  /// The lower-cased service prefix.
  var service: String { _read { yield storage.action.service } }
  /// The lower-cased service prefix with its hash computed once.
  var serviceKey: HashedKey { _read { yield storage.action.serviceKey } }
  /// The lower-cased action name, as UTF-8: the prepared action's, valid while this request is.
  var lowercasedName: UnsafeBufferPointer<UInt8> { storage.action.lowercasedName }
  /// The resource, split.
  var resource: ResourceName { _read { yield storage.resource } }
  /// The principal ARN used to match role principals: the context's `aws:PrincipalArn` if given. The request's own
  /// context is looked up when this is read (only statements with a `Principal` read it), not when the request is
  /// prepared; it hides the caller's key, even with a multivalued one (which names no ARN).
  var principalARN: String {
    if storage.contextIsOwn, !storage.request.context.isEmpty,
      storage.request.context.contains(DerivedContextKeys.principalARN)
    {
      return PreparedCaller.principalARN(in: storage.request.context, storage.request.principal)
    }
    return storage.caller?.principalARN ?? storage.request.principal.principalARN
  }
  /// The caller.
  var principal: Principal { _read { yield storage.request.principal } }
  /// Whether the caller is a session of a service-linked role, which SCPs do not affect.
  var isServiceLinkedRole: Bool { storage.caller?.isServiceLinkedRole ?? storage.request.principal.isServiceLinkedRole }
  /// Whether the resource is one whose own policy must allow: a KMS key, or a role being assumed (rule E-3 4).
  var requiresResourcePolicyAllow: Bool { storage.requiresResourcePolicyAllow }
  /// Whether the action is one AWS answers without any permission (`sts:GetCallerIdentity`).
  var needsNoPermission: Bool { storage.action.needsNoPermission }
  /// Whether the action is IAM's.
  var isIAMAction: Bool { storage.action.isIAM }
  /// Whether the action's service is one that resource control policies apply to.
  var isInResourceControlScope: Bool { storage.isInResourceControlScope }
  /// Why the action or resource is too long to be matched, if it is (computed once per request).
  var overlongProblem: String? { storage.overlongProblem }
  /// The context, indexed for lookups by precomputed key hashes.
  var contextIndex: ContextIndex { _read { yield storage.contextIndex } }

  private final class Storage: Sendable {
    let request: AuthorizationRequest
    let action: PreparedAction
    let resource: ResourceName
    /// The caller, whose context (with the derived keys when it derives them) the request's own is laid over;
    /// `nil` for the request's principal alone, with no context and no derived keys.
    let caller: PreparedCaller?
    /// Whether the request's own context is laid over the caller's (otherwise the caller holds it already).
    let contextIsOwn: Bool
    let isCrossAccount: Bool
    let requiresResourcePolicyAllow: Bool
    let overlongProblem: String?
    let contextIndex: ContextIndex

    /// Prepares `request`, whose context is laid over the caller's when `contextIsOwn` (otherwise the caller holds
    /// it already); a `nil` caller is the request's principal alone. `readsContext` false, for policies that look up
    /// no key, leaves out what only lookups read: each own key's looked-up form and `aws:ResourceAccount`.
    init(
      _ request: consuming AuthorizationRequest, caller: PreparedCaller?, contextIsOwn: Bool,
      action: PreparedAction? = nil, resource prepared: PreparedResource? = nil, readsContext: Bool = true
    ) {
      if let caller, !caller.principal.isSameStorage(as: request.principal) { request.principal = caller.principal }
      let action = action ?? PreparedAction.shared(request.action)
      self.action = action
      let resource = prepared?.name ?? ResourceName(request.resource)
      self.caller = caller
      self.contextIsOwn = contextIsOwn
      let callerAccount = request.principal.account
      // The owning account is compared with the caller's where it is written: no string is made for it unless a
      // lookup may read `aws:ResourceAccount`.
      isCrossAccount =
        if let given = request.resourceAccount { given != callerAccount }
        else if let prepared { prepared.owner.map { $0.account != callerAccount } ?? false }
        else { resource.namesAccount(otherThan: callerAccount) }
      requiresResourcePolicyAllow = Storage.requiresResourcePolicyAllow(action, resource: request.resource)
      // aws:ResourceAccount: "The key value is the account ID of the resource owner". Derived only for a resource
      // whose account is known, an ARN's 12-digit account or the request's `resourceAccount`, unless the context
      // gives it.
      var derivedAccount: String?
      if readsContext {
        if let given = request.resourceAccount {
          derivedAccount = given
        } else if let owner = prepared != nil ? prepared!.owner : resource.owningAccount, owner.isAccountID {
          derivedAccount = owner.account
        }
      }
      if contextIsOwn && !request.context.isEmpty {
        contextIndex = ContextIndex(
          laying: request.context, over: caller, preparing: readsContext, resourceAccount: derivedAccount)
      } else {
        contextIndex = ContextIndex(
          laying: RequestContext(), over: caller, preparing: false, resourceAccount: derivedAccount)
      }
      let limit = PreparedRequest.maximumMatchedLength
      overlongProblem =
        request.action.utf8.count > limit
        ? "the request's action is \(request.action.utf8.count) bytes long; iamsim matches at most \(limit)"
        : request.resource.utf8.count > limit
          ? "the request's resource is \(request.resource.utf8.count) bytes long; iamsim matches at most \(limit)" : nil
      // Stored last, so that what was read and the request given are moved here rather than copied.
      self.resource = consume resource
      self.request = consume request
    }

    /// The account that owns the resource: the request's `resourceAccount`, the ARN's account, or the caller's.
    var resourceAccount: String {
      request.resourceAccount ?? resource.owningAccount?.account ?? request.principal.account
    }

    /// Whether the action's service is one that resource control policies apply to: looked up only when there are
    /// RCPs.
    var isInResourceControlScope: Bool { ResourceControlScope.servicePrefixes.contains(action.service) }

    static func requiresResourcePolicyAllow(_ action: PreparedAction, resource: String) -> Bool {
      if action.isKMS && resource.hasPrefix("arn:") && resource.contains(":kms:") { return true }
      if action.assumesRole {
        return ARN(resource).map { $0.service == "iam" && $0.resource.hasPrefix("role/") } ?? false
      }
      return false
    }
  }
}

/// A resource read once for evaluation: split at its colons, its account found.
///
/// A stream of requests names the same resources again and again: preparing each distinct resource once and passing
/// it to ``PreparedRequest/init(_:caller:action:resource:)`` spares every request the splitting. Sharing one between
/// threads is safe.
public final class PreparedResource: Sendable {
  /// The resource as given.
  public var resource: String { name.text }
  /// The resource, split.
  let name: ResourceName
  /// The account of an ARN that names one, and whether it is a 12-digit account ID, which `aws:ResourceAccount`
  /// is derived from (``ResourceName/owningAccount``).
  let owner: (account: String, isAccountID: Bool)?

  /// Prepares a resource (an ARN, or `*`).
  public init(_ resource: String) {
    name = ResourceName(resource)
    owner = name.owningAccount
  }
}
