/// A caller read once for many requests: the context keys AWS derives from it (rules V-8, F-2), with the context
/// that every one of its requests shares laid over them, indexed for lookups.
///
/// ``PreparedRequest/init(_:caller:)`` lays each request's own context over this one, so a stream of requests
/// from one caller derives the caller's keys once, and a request's own context is looked up as it is.
public struct PreparedCaller: Sendable {
  /// Everything read once, held by one reference: a prepared request keeps its caller, and copying a caller (once
  /// per request of a stream) retains one object instead of each of its parts.
  private let storage: Storage

  private final class Storage: Sendable {
    let principal: Principal
    let context: RequestContext
    let contextIndex: ContextIndex
    let principalARN: String
    let isServiceLinkedRole: Bool
    let derivesKeys: Bool

    init(_ principal: Principal, context: RequestContext, derivesKeys: Bool) {
      self.principal = principal
      self.context = context
      contextIndex = ContextIndex(context)
      principalARN = PreparedCaller.principalARN(in: context, principal)
      isServiceLinkedRole = principal.isServiceLinkedRole
      self.derivesKeys = derivesKeys
    }
  }

  /// The caller.
  public var principal: Principal { storage.principal }
  /// The shared context, with the derived keys when ``derivesKeys``.
  var context: RequestContext { storage.context }
  var contextIndex: ContextIndex { _read { yield storage.contextIndex } }
  /// The principal ARN used to match role principals: the context's `aws:PrincipalArn` if given.
  var principalARN: String { storage.principalARN }
  /// Whether the caller is a session of a service-linked role, which SCPs do not affect.
  var isServiceLinkedRole: Bool { storage.isServiceLinkedRole }
  /// Whether the derived keys are in ``context``: they are left out for policies that read none of them.
  var derivesKeys: Bool { storage.derivesKeys }

  /// The same caller, sharing no object with this one: its principal, context entries and strings are copies of
  /// their own, for a thread that prepares many requests of the caller (see ``Authorizer/unsharedCopy()``).
  public func unsharedCopy() -> PreparedCaller {
    PreparedCaller(
      storage: Storage(principal.unsharedCopy(), context: context.unsharedCopy(), derivesKeys: derivesKeys))
  }

  private init(storage: Storage) {
    self.storage = storage
  }

  /// Prepares a caller and the context its requests share.
  public init(_ principal: Principal, sharedContext: RequestContext = RequestContext()) {
    self.init(principal, sharedContext: sharedContext, derivingKeys: true)
  }

  /// Prepares a caller, with its derived keys only when `derivingKeys`: a policy set that reads none of them (no
  /// condition key, no variable, no length bound that counts every value) decides the same without them.
  init(_ principal: Principal, sharedContext: RequestContext, derivingKeys: Bool) {
    var context = sharedContext
    if derivingKeys { principal.addDerivedKeys(to: &context) }
    storage = Storage(principal, context: context, derivesKeys: derivingKeys)
  }

  /// The context's single-valued `aws:PrincipalArn`, else the principal's own.
  static func principalARN(in context: RequestContext, _ principal: Principal) -> String {
    if context.isEmpty { return principal.principalARN }
    return context.singleValue(DerivedContextKeys.principalARN) ?? principal.principalARN
  }
}
