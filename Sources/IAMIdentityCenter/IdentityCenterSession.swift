import IAMEvaluation
import IAMPolicy

/// The role session of a user signed in to an account with a permission set (rules F-1, F-2).
public struct IdentityCenterSession: Sendable, Hashable {
  /// The spec's example role suffix; the real one is opaque and read from the account (F-1).
  public static let defaultRoleSuffix = "0123456789abcdef"
  /// The Identity Center region assumed when none is configured; `nil` gives the us-east-1 shape without a region.
  public static let defaultRegion: String? = "eu-west-1"

  /// The permission set's name.
  public var permissionSetName: String
  /// The account signed in to.
  public var account: String
  /// The Identity Center user name: the session name.
  public var userName: String
  /// The role's opaque 16-character suffix.
  public var roleSuffix: String
  /// The Identity Center instance's region segment in the role path, or `nil` for the shape without one.
  public var region: String?
  /// The user's identity-store ID, when known: `identitystore:UserId`.
  public var identityStoreUserID: String?

  /// Creates a session description.
  public init(
    permissionSetName: String, account: String, userName: String, roleSuffix: String = defaultRoleSuffix,
    region: String? = defaultRegion, identityStoreUserID: String? = nil
  ) {
    self.permissionSetName = permissionSetName
    self.account = account
    self.userName = userName
    self.roleSuffix = roleSuffix
    self.region = region
    self.identityStoreUserID = identityStoreUserID
  }

  /// `arn:aws:iam::ACCOUNT:role/aws-reserved/sso.amazonaws.com/[REGION/]AWSReservedSSO_NAME_SUFFIX`.
  public var roleARN: String {
    "arn:aws:iam::\(account):role/aws-reserved/sso.amazonaws.com/\(region.map { $0 + "/" } ?? "")AWSReservedSSO_\(permissionSetName)_\(roleSuffix)"
  }

  /// The caller: an assumed-role session of the reserved role named after the user; no `aws:username` (F-2).
  public var principal: Principal? {
    Principal.roleSession(roleARN: roleARN, sessionName: userName)
  }

  /// The session ARN without the session name: `arn:aws:sts::ACCOUNT:assumed-role/AWSReservedSSO_NAME_SUFFIX/`
  /// (an assumed-role ARN has no role path); ``principal``'s ARN is this and the user name.
  public var sessionARNPrefix: String {
    "arn:aws:sts::\(account):assumed-role/AWSReservedSSO_\(permissionSetName)_\(roleSuffix)/"
  }

  /// Keys the session adds to requests beyond the principal's: `identitystore:UserId` when known.
  public var context: RequestContext {
    var context = RequestContext()
    if let identityStoreUserID { context.set("identitystore:UserId", identityStoreUserID) }
    return context
  }
}
