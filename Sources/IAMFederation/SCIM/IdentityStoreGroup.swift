/// A group of the Identity Center identity store.
public struct IdentityStoreGroup: Sendable, Hashable {
  /// The identity-store group ID, when known.
  public var id: String?
  /// The group's name, unique in the identity store.
  public var displayName: String
  /// The IdP's identifiers for the group.
  public var externalIDs: [String]
  /// The IDs of the group's members (users; Identity Center has no nested groups).
  public var memberIDs: [String]

  /// Creates a group.
  public init(id: String? = nil, displayName: String, externalIDs: [String] = [], memberIDs: [String] = []) {
    self.id = id
    self.displayName = displayName
    self.externalIDs = externalIDs
    self.memberIDs = memberIDs
  }
}
