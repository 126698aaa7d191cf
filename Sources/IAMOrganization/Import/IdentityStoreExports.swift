/// Reads the `aws identitystore` outputs: `list-users`, `list-groups`, `list-group-memberships`.
enum IdentityStoreExports {
  static func read(_ json: JSONValue, command: ExportCommand, name: ExportFileName, reader: ExportReader) throws(InputError)
    -> (key: String, payload: ExportPayload, summary: String)
  {
    let root = JSONPath.root
    try reader.object(json, "`\(command.rawValue)` output", at: root)
    switch command {
    case .listUsers:
      var users: [IdentityEntry] = []
      for (item, at) in try reader.objects(json, "Users", "a user", at: root) {
        let id = try reader.string(item, "UserId", at: at)!
        let userName = try reader.string(item, "UserName", at: at)!
        users.append(IdentityEntry(id: id, name: userName, json: item))
      }
      return (command.rawValue, .users(users), "\(users.count.counted("user"))")
    case .listGroups:
      var groups: [IdentityEntry] = []
      for (item, at) in try reader.objects(json, "Groups", "a group", at: root) {
        let id = try reader.string(item, "GroupId", at: at)!
        // AWS documents DisplayName as optional; a group without one cannot be named in assignments.
        guard let displayName = try reader.string(item, "DisplayName", at: at, required: false) else {
          throw reader.error(.importMissingMember, "the group \(id) has no `DisplayName`, which iamsim names groups by", at, item.position)
        }
        groups.append(IdentityEntry(id: id, name: displayName, json: item))
      }
      return (command.rawValue, .groups(groups), "\(groups.count.counted("group"))")
    default:
      let named = name.command == command ? name.part(0, where: { !$0.isEmpty }) : nil
      var memberships: [Membership] = []
      for (item, at) in try reader.objects(json, "GroupMemberships", "a group membership", at: root) {
        let group = try reader.string(item, "GroupId", at: at, required: named == nil) ?? named!
        if let named, group != named {
          throw reader.error(.importNameMismatch, "the file name says group \(named), but this membership is of group \(group)",
                             at.appending("GroupId"), item["GroupId"]?.position)
        }
        guard let member = try reader.member(item, "MemberId", at: at, required: true) else { continue }
        try reader.object(member, "`MemberId`", at: at.appending("MemberId"))
        guard let user = try reader.string(member, "UserId", at: at.appending("MemberId"), required: false) else {
          throw reader.error(.importWrongType, "a group member must be a user (`MemberId.UserId`)", at.appending("MemberId"), member.position)
        }
        memberships.append(Membership(group: group, user: user, json: item))
      }
      let groups = Set(memberships.map(\.group))
      if named == nil, groups.count > 1 {
        throw reader.error(.importConflict, "these memberships are of several groups; one file per `list-group-memberships` call",
                           root, json.position)
      }
      guard let group = named ?? groups.first else {
        throw Recognition.needsName(reader, json, what: "which group it lists (it is empty)",
                                    name: "list-group-memberships.GROUP-ID.json", explain: "GROUP-ID being the group's identity-store ID")
      }
      return ("\(command.rawValue).\(group)", .memberships(group: group, memberships), "\(memberships.count.counted("member")) of group \(group)")
    }
  }
}
