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
      for entry in entries {
        guard let groupID = entry.string("GroupId"), let userID = entry.value("MemberId")?.string("UserId"),
          let index = store.groups.firstIndex(where: { $0.id == groupID }),
          !store.groups[index].memberIDs.contains(userID)
        else { continue }
        store.groups[index].memberIDs.append(userID)
      }
      (kind, subject) = (.identityStoreMemberships, "\(entries.count) memberships")
    default:
      return nil
    }
    return SCIMPayloadResult(
      file: file, jsonPath: payload.path, position: value.position, kind: kind, subject: subject, findings: [])
  }
}
