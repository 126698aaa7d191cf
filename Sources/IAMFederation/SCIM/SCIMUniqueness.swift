import IAMPolicy

/// Identity Center's uniqueness rules: user name, primary e-mail and external ID among users; display name and
/// external ID among groups (S-8). Names and e-mail addresses compare without regard to case, external IDs exactly.
enum SCIMUniqueness {
  static func check(_ user: IdentityStoreUser, payload: JSONValue, store: IdentityStore, _ context: inout SCIMContext) {
    if let other = store.otherUser(than: user, userName: user.userName), let value = payload.value("userName")
    {
      context.add(
        .scimDuplicate, "userName \(user.userName) already belongs to \(describe(other))", at: [.key("userName")], value
      )
    }
    if let email = user.primaryEmail, let other = store.otherUser(than: user, primaryEmail: email),
      let value = payload.value("emails")
    {
      context.add(
        .scimDuplicate, "primary e-mail \(email) already belongs to \(describe(other))", at: [.key("emails")], value)
    }
    for id in user.externalIDs {
      if let other = store.otherUser(than: user, externalID: id), let value = payload.value("externalId") {
        context.add(
          .scimDuplicate, "externalId \(id) already belongs to \(describe(other))", at: [.key("externalId")], value)
      }
    }
  }

  static func check(_ group: IdentityStoreGroup, payload: JSONValue, store: IdentityStore, _ context: inout SCIMContext)
  {
    if store.hasOtherGroup(than: group, displayName: group.displayName), let value = payload.value("displayName")
    {
      context.add(
        .scimDuplicate, "a group named \(group.displayName) already exists (\"Group already exists\")",
        at: [.key("displayName")], value)
    }
    for id in group.externalIDs where store.hasOtherGroup(than: group, externalID: id) {
      if let value = payload.value("externalId") {
        context.add(
          .scimDuplicate, "externalId \(id) already belongs to another group", at: [.key("externalId")], value)
      }
    }
  }

  private static func describe(_ user: IdentityStoreUser) -> String {
    "user \(user.userName)" + (user.id.map { " (\($0))" } ?? "")
  }
}
