import IAMPolicy

/// Loads `aws identitystore` output (`list-users`, `describe-user`, `list-groups`, `describe-group`,
/// `list-group-memberships`) into an ``IdentityStore``.
enum IdentityStoreOutput {
  static func isOutput(_ payload: SCIMPayload) -> Bool {
    switch payload.kind {
    case .cliUsers, .cliGroups, .cliMemberships: true
    default: false
    }
  }

  /// Adds the payload's users, groups or memberships to `store` and describes what was loaded, or returns `nil`
  /// when the payload is not `aws identitystore` output.
  static func load(_ payload: SCIMPayload, file: String, into store: inout IdentityStore) -> SCIMPayloadResult? {
    let value = payload.value
    let kind: SCIMPayloadResult.Kind
    let subject: String
    switch payload.kind {
    case .cliUsers:
      let entries = value.value("Users")?.elements ?? [value]
      for entry in entries { store.put(IdentityStoreUser(cli: entry)) }
      (kind, subject) = (.identityStoreUsers, "\(entries.count) users")
    case .cliGroups:
      let entries = value.value("Groups")?.elements ?? [value]
      for entry in entries { store.put(IdentityStoreGroup(cli: entry)) }
      (kind, subject) = (.identityStoreGroups, "\(entries.count) groups")
    case .cliMemberships:
      let entries = value.value("GroupMemberships")?.elements ?? []
      // The members of each group touched, as a set, so that a long list of memberships loads in linear time.
      var members: [Int: Set<String>] = [:]
      for entry in entries {
        guard let groupID = entry.string("GroupId"), let userID = entry.value("MemberId")?.string("UserId"),
          let position = store.groupPosition(id: groupID)
        else { continue }
        if members[position] == nil { members[position] = Set(store.groups[position].memberIDs) }
        guard members[position]?.insert(userID).inserted == true else { continue }
        store.addMember(userID, toGroupAt: position)
      }
      (kind, subject) = (.identityStoreMemberships, "\(entries.count) memberships")
    default:
      return nil
    }
    return SCIMPayloadResult(
      file: file, jsonPath: payload.path, position: value.position, kind: kind, subject: subject, findings: [])
  }
}
