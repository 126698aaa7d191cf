/// The users and groups of an Identity Center identity store, as loaded from `aws identitystore` output and SCIM payloads.
public struct IdentityStore: Sendable, Hashable {
  /// The users, in the order they were added.
  public var users: [IdentityStoreUser]
  /// The groups, in the order they were added.
  public var groups: [IdentityStoreGroup]

  /// Creates a store.
  public init(users: [IdentityStoreUser] = [], groups: [IdentityStoreGroup] = []) {
    self.users = users
    self.groups = groups
  }

  /// The user with this user name, compared without regard to case.
  public func user(named userName: String) -> IdentityStoreUser? {
    users.first { $0.userName.lowercased() == userName.lowercased() }
  }

  /// The user with this identity-store ID.
  public func user(id: String) -> IdentityStoreUser? { users.first { $0.id == id } }

  /// The group with this display name, compared without regard to case.
  public func group(named displayName: String) -> IdentityStoreGroup? {
    groups.first { $0.displayName.lowercased() == displayName.lowercased() }
  }

  /// Adds a user, replacing the one with the same ID.
  mutating func put(_ user: IdentityStoreUser) {
    if let id = user.id, let index = users.firstIndex(where: { $0.id == id }) {
      users[index] = user
    } else {
      users.append(user)
    }
  }

  /// Adds a group, replacing the one with the same ID.
  mutating func put(_ group: IdentityStoreGroup) {
    if let id = group.id, let index = groups.firstIndex(where: { $0.id == id }) {
      groups[index] = group
    } else {
      groups.append(group)
    }
  }
}
