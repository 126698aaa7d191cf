/// The session a SAML response would produce: its role, session name, tags and the context keys it supplies.
public struct FederatedSession: Sendable, Hashable {
  /// Every role the `Role` attribute offers, in document order.
  public var offeredRoles: [SAMLRolePair]
  /// The role the session is for: the one asked for, else the first offered.
  public var role: SAMLRolePair?
  /// The `RoleSessionName` value.
  public var roleSessionName: String?
  /// The `SessionDuration` value in seconds, when it is an integer.
  public var sessionDuration: Int?
  /// The `SourceIdentity` value.
  public var sourceIdentity: String?
  /// The session tags from `PrincipalTag:` and `AccessControl:` attributes, in document order, case preserved.
  public var tags: [SessionTag]
  /// The `TransitiveTagKeys` values.
  public var transitiveTagKeys: [String]
  /// The keys the session's own requests carry: `saml:sub`, `saml:sub_type`, `saml:namequalifier`
  /// and `aws:SourceIdentity` (F-8: no other `saml:` key survives the initial authentication).
  public var sessionContext: [ContextEntry]
  /// The keys a trust policy sees during `AssumeRoleWithSAML`: every `saml:` key, `aws:RequestTag/…`,
  /// `aws:TagKeys`, `sts:TransitiveTagKeys` and `sts:SourceIdentity`.
  public var trustPolicyContext: [ContextEntry]
}
