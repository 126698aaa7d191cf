import IAMPolicy

/// The verdict on one payload of an input file.
public struct SCIMPayloadResult: Sendable, Hashable {
  /// What the payload is.
  public enum Kind: String, Sendable, Hashable {
    /// A SCIM user (`POST /Users` or `PUT /Users/{id}` body).
    case user
    /// A SCIM group (`POST /Groups` or `PUT /Groups/{id}` body).
    case group
    /// A PATCH request for a user.
    case userPatch = "user-patch"
    /// A PATCH request for a group.
    case groupPatch = "group-patch"
    /// A PATCH request whose target cannot be told from its body; the rules common to users and groups apply.
    case patch
    /// `aws identitystore list-users` or `describe-user` output: existing users.
    case identityStoreUsers = "identitystore-users"
    /// `aws identitystore list-groups` or `describe-group` output: existing groups.
    case identityStoreGroups = "identitystore-groups"
    /// `aws identitystore list-group-memberships` output.
    case identityStoreMemberships = "identitystore-memberships"
    /// Something else.
    case unrecognized
  }

  /// The file the payload is in.
  public var file: String
  /// The payload's place in the file, such as `$[3]` or `$.Resources[0]`.
  public var jsonPath: JSONPath
  /// Where the payload starts.
  public var position: SourcePosition
  /// What the payload is.
  public var kind: Kind
  /// The user name or group display name the payload is about.
  public var subject: String?
  /// Every finding, errors first.
  public var findings: [Finding]

  /// Whether Identity Center would accept the payload (no finding is an error).
  public var wouldProvision: Bool { !findings.containsErrors }
}

/// The verdicts on every payload of a set of files, and the identity store they build.
public struct SCIMReport: Sendable, Hashable {
  /// One result per payload: `aws identitystore` output first (it describes the existing store), then SCIM
  /// payloads in file and document order.
  public var payloads: [SCIMPayloadResult]
  /// The existing users and groups plus those of every SCIM user and group that would provision.
  public var store: IdentityStore

  /// Whether every payload would provision.
  public var wouldProvisionAll: Bool { payloads.allSatisfy(\.wouldProvision) }
}
