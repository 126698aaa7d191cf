/// A caller read once for many requests: the context keys AWS derives from it (rules V-8, F-2), with the context
/// that every one of its requests shares laid over them, indexed for lookups.
///
/// ``PreparedRequest/init(_:caller:)`` lays each request's own context over this one, so a stream of requests
/// from one caller derives the caller's keys once, and a request without context of its own shares this index.
public struct PreparedCaller: Sendable {
  /// The caller.
  public let principal: Principal
  /// The derived keys, with the shared context laid over them.
  let context: RequestContext
  let contextIndex: ContextIndex
  /// The principal ARN used to match role principals: the context's `aws:PrincipalArn` if given.
  let principalARN: String
  /// Whether the caller is a session of a service-linked role, which SCPs do not affect.
  let isServiceLinkedRole: Bool

  /// Prepares a caller and the context its requests share.
  public init(_ principal: Principal, sharedContext: RequestContext = RequestContext()) {
    self.principal = principal
    var context = sharedContext
    principal.addDerivedKeys(to: &context)
    self.context = context
    contextIndex = ContextIndex(context)
    principalARN = PreparedCaller.principalARN(in: context, principal)
    isServiceLinkedRole = principal.isServiceLinkedRole
  }

  /// The context's single-valued `aws:PrincipalArn`, else the principal's own.
  static func principalARN(in context: RequestContext, _ principal: Principal) -> String {
    context.singleValue(lowercased: "aws:principalarn") ?? principal.principalARN
  }
}
