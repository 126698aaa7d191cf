/// The users and groups of an Identity Center identity store, as loaded from `aws identitystore` output and SCIM payloads.
///
/// Lookups by ID, name, e-mail address and external ID go through indexes kept beside the lists, so that checking
/// a batch of payloads against the store takes time linear in the batch, not quadratic.
public struct IdentityStore: Sendable, Hashable {
  /// The users, in the order they were added.
  public var users: [IdentityStoreUser] {
    get { userList }
    set {
      userList = newValue
      userIndex = UserIndex(newValue)
    }
  }
  /// The groups, in the order they were added.
  public var groups: [IdentityStoreGroup] {
    get { groupList }
    set {
      groupList = newValue
      groupIndex = GroupIndex(newValue)
    }
  }

  private var userList: [IdentityStoreUser]
  private var groupList: [IdentityStoreGroup]
  private var userIndex: UserIndex
  private var groupIndex: GroupIndex

  /// Creates a store.
  public init(users: [IdentityStoreUser] = [], groups: [IdentityStoreGroup] = []) {
    userList = users
    groupList = groups
    userIndex = UserIndex(users)
    groupIndex = GroupIndex(groups)
  }

  public static func == (lhs: IdentityStore, rhs: IdentityStore) -> Bool {
    lhs.userList == rhs.userList && lhs.groupList == rhs.groupList
  }

  public func hash(into hasher: inout Hasher) {
    hasher.combine(userList)
    hasher.combine(groupList)
  }

  /// The user with this user name, compared without regard to case.
  public func user(named userName: String) -> IdentityStoreUser? {
    userIndex.byName.first(userName.lowercased()).map { userList[$0] }
  }

  /// The user with this identity-store ID.
  public func user(id: String) -> IdentityStoreUser? { userIndex.byID.first(id).map { userList[$0] } }

  /// The group with this display name, compared without regard to case.
  public func group(named displayName: String) -> IdentityStoreGroup? {
    groupIndex.byName.first(displayName.lowercased()).map { groupList[$0] }
  }

  /// Whether a group has this identity-store ID.
  func hasGroup(id: String) -> Bool { groupIndex.byID.first(id) != nil }

  /// The position in ``groups`` of the group with this identity-store ID.
  func groupPosition(id: String) -> Int? { groupIndex.byID.first(id) }

  /// Adds a member to the group at `position` of ``groups``.
  mutating func addMember(_ userID: String, toGroupAt position: Int) {
    groupList[position].memberIDs.append(userID)
  }

  /// The first user other than `user` (by ID) whose user name equals this one without regard to case.
  func otherUser(than user: IdentityStoreUser, userName: String) -> IdentityStoreUser? {
    other(than: user.id, in: userIndex.byName, userName.lowercased())
  }

  /// The first user other than `user` (by ID) whose primary e-mail address equals this one without regard to case.
  func otherUser(than user: IdentityStoreUser, primaryEmail: String) -> IdentityStoreUser? {
    other(than: user.id, in: userIndex.byEmail, primaryEmail.lowercased())
  }

  /// The first user other than `user` (by ID) that has this external ID.
  func otherUser(than user: IdentityStoreUser, externalID: String) -> IdentityStoreUser? {
    other(than: user.id, in: userIndex.byExternalID, externalID)
  }

  /// Whether a group other than `group` (by ID) has this display name, compared without regard to case.
  func hasOtherGroup(than group: IdentityStoreGroup, displayName: String) -> Bool {
    groupIndex.byName.first(displayName.lowercased()) { groupList[$0].id == nil || groupList[$0].id != group.id } != nil
  }

  /// Whether a group other than `group` (by ID) has this external ID.
  func hasOtherGroup(than group: IdentityStoreGroup, externalID: String) -> Bool {
    groupIndex.byExternalID.first(externalID) { groupList[$0].id == nil || groupList[$0].id != group.id } != nil
  }

  private func other(than id: String?, in lookup: Lookup, _ key: String) -> IdentityStoreUser? {
    lookup.first(key) { userList[$0].id == nil || userList[$0].id != id }.map { userList[$0] }
  }

  /// Adds a user, replacing the one with the same ID.
  mutating func put(_ user: IdentityStoreUser) {
    if let id = user.id, let position = userIndex.byID.first(id) {
      userIndex.remove(userList[position], at: position)
      userList[position] = user
      userIndex.add(user, at: position)
    } else {
      userList.append(user)
      userIndex.add(user, at: userList.count - 1)
    }
  }

  /// Adds a group, replacing the one with the same ID.
  mutating func put(_ group: IdentityStoreGroup) {
    if let id = group.id, let position = groupIndex.byID.first(id) {
      groupIndex.remove(groupList[position], at: position)
      groupList[position] = group
      groupIndex.add(group, at: position)
    } else {
      groupList.append(group)
      groupIndex.add(group, at: groupList.count - 1)
    }
  }
}

/// Positions in a list by key, each key's positions in ascending order.
private struct Lookup: Sendable {
  private var positions: [String: [Int]] = [:]

  mutating func add(_ key: String, _ position: Int) {
    if let last = positions[key]?.last, last > position, let at = positions[key]?.firstIndex(where: { $0 > position }) {
      positions[key]?.insert(position, at: at)
    } else {
      positions[key, default: []].append(position)
    }
  }

  mutating func remove(_ key: String, _ position: Int) {
    positions[key]?.removeAll { $0 == position }
    if positions[key]?.isEmpty == true { positions[key] = nil }
  }

  /// The first position with this key that satisfies `accept`.
  func first(_ key: String, where accept: (Int) -> Bool = { _ in true }) -> Int? {
    positions[key]?.first(where: accept)
  }
}

private struct UserIndex: Sendable {
  var byID = Lookup()
  var byName = Lookup()
  var byEmail = Lookup()
  var byExternalID = Lookup()

  init(_ users: [IdentityStoreUser]) {
    for (position, user) in users.enumerated() { add(user, at: position) }
  }

  mutating func add(_ user: IdentityStoreUser, at position: Int) {
    forEachKey(of: user) { $0.add($1, position) }
  }

  mutating func remove(_ user: IdentityStoreUser, at position: Int) {
    forEachKey(of: user) { $0.remove($1, position) }
  }

  /// Each lookup the user is found by, with the user's key in it: the one list that `add` and `remove` share.
  private mutating func forEachKey(of user: IdentityStoreUser, _ body: (inout Lookup, String) -> Void) {
    if let id = user.id { body(&byID, id) }
    body(&byName, user.userName.lowercased())
    if let email = user.primaryEmail { body(&byEmail, email.lowercased()) }
    for id in Set(user.externalIDs) { body(&byExternalID, id) }
  }
}

private struct GroupIndex: Sendable {
  var byID = Lookup()
  var byName = Lookup()
  var byExternalID = Lookup()

  init(_ groups: [IdentityStoreGroup]) {
    for (position, group) in groups.enumerated() { add(group, at: position) }
  }

  mutating func add(_ group: IdentityStoreGroup, at position: Int) {
    forEachKey(of: group) { $0.add($1, position) }
  }

  mutating func remove(_ group: IdentityStoreGroup, at position: Int) {
    forEachKey(of: group) { $0.remove($1, position) }
  }

  /// Each lookup the group is found by, with the group's key in it: the one list that `add` and `remove` share.
  private mutating func forEachKey(of group: IdentityStoreGroup, _ body: (inout Lookup, String) -> Void) {
    if let id = group.id { body(&byID, id) }
    body(&byName, group.displayName.lowercased())
    for id in Set(group.externalIDs) { body(&byExternalID, id) }
  }
}
