import IAMPolicy

/// Checks a SCIM user, as Entra ID sends it in `POST /Users` and `PUT /Users/{id}` (S-1 … S-5, S-10, S-11).
enum SCIMUserRules {
  static func check(_ user: JSONValue, _ context: inout SCIMContext) {
    guard let members = user.members else {
      context.add(.scimAttributeType, "a user must be a json object, not \(user.typeName)", at: [], user)
      return
    }
    if let name = SCIMValueRules.required(
      user.value("userName"), "userName", at: [.key("userName")], parent: user, &context),
      let value = user.value("userName")
    {
      context.subject = name
      SCIMValueRules.userName(name, at: [.key("userName")], value, &context)
    }
    checkName(user, &context)
    if let displayName = SCIMValueRules.required(
      user.value("displayName"), "displayName", at: [.key("displayName")], parent: user, &context),
      let value = user.value("displayName")
    {
      SCIMValueRules.text(displayName, "displayName", at: [.key("displayName")], value, &context)
    }
    for member in members {
      let pointer: [JSONPath.Component] = [.key(member.key)]
      let key = member.key.lowercased()
      // Required attributes that are null are reported above as missing.
      if ["username", "displayname", "name"].contains(key) && member.value.kind == .null { continue }
      if SCIMValueRules.isUnassigned(member.value, member.key, at: pointer, &context) { continue }
      if SCIMSchema.unsupportedUserAttributes.contains(key) {
        let why =
          key == "groups"
          ? "cannot be sent when creating a user; memberships go through /Groups"
          : "is not supported by identity center"
        context.add(.scimUnsupportedAttribute, "\(member.key) \(why)", at: pointer, member.value)
      } else if !SCIMSchema.userAttributes.contains(key) {
        context.add(
          .scimUnsupportedAttribute, "\(member.key) is not a user attribute identity center supports", at: pointer,
          member.value)
      } else if let allowed = SCIMSchema.singleItemLists[key] {
        SCIMListRules.check(member.value, member.key, allowed: allowed, at: pointer, &context)
      } else if key == SCIMSchema.enterpriseSchemaLowercased {
        checkEnterprise(member.value, at: pointer, &context)
      } else if key == "meta", member.value.value("version") != nil {
        context.add(
          .scimUnsupportedAttribute, "meta.version is not supported", at: pointer + [.key("version")], member.value)
      } else if key == "active", member.value.boolValue == nil {
        context.add(
          .scimAttributeType, "active must be a boolean, not \(member.value.typeName)", at: pointer, member.value)
      } else if key == "externalid" {
        _ = SCIMValueRules.string(member.value, "externalId", at: pointer, &context)
      } else if let label = SCIMSchema.userTextAttributesLowercased.first(where: { $0.lowercased == key })?.label,
        let text = SCIMValueRules.string(member.value, label, at: pointer, &context)
      {
        SCIMValueRules.text(text, label, at: pointer, member.value, &context)
      }
    }
  }

  private static func checkName(_ user: JSONValue, _ context: inout SCIMContext) {
    guard let name = user.value("name"), name.kind != .null else {
      context.add(
        .scimRequiredAttribute, "name.givenName and name.familyName are required but name is missing",
        at: [.key("name")], user)
      return
    }
    guard let members = name.members else {
      context.add(.scimAttributeType, "name must be an object, not \(name.typeName)", at: [.key("name")], name)
      return
    }
    for part in ["givenName", "familyName"] {
      _ = SCIMValueRules.required(
        name.value(part), "name.\(part)", at: [.key("name"), .key(part)], parent: name, &context)
    }
    for member in members {
      let pointer: [JSONPath.Component] = [.key("name"), .key(member.key)]
      let key = member.key.lowercased()
      if ["givenname", "familyname"].contains(key) && member.value.kind == .null { continue }
      if SCIMValueRules.isUnassigned(member.value, "name.\(member.key)", at: pointer, &context) { continue }
      guard let label = SCIMSchema.namePartsLowercased.first(where: { $0.lowercased == key })?.label else {
        context.add(
          .scimUnsupportedAttribute, "name.\(member.key) is not a name sub-attribute", at: pointer, member.value)
        continue
      }
      if let text = SCIMValueRules.string(member.value, "name.\(label)", at: pointer, &context),
        !text.allSatisfy(\.isWhitespace)
      {
        SCIMValueRules.text(text, "name.\(label)", at: pointer, member.value, &context)
      }
    }
  }

  private static func checkEnterprise(
    _ value: JSONValue, at pointer: [JSONPath.Component], _ context: inout SCIMContext
  ) {
    guard let members = value.members else {
      context.add(
        .scimAttributeType, "the enterprise extension must be an object, not \(value.typeName)", at: pointer, value)
      return
    }
    for member in members {
      let memberPointer = pointer + [.key(member.key)]
      let key = member.key.lowercased()
      if SCIMValueRules.isUnassigned(member.value, member.key, at: memberPointer, &context) { continue }
      if !SCIMSchema.enterpriseAttributes.contains(key) {
        context.add(
          .scimUnsupportedAttribute, "\(member.key) is not an enterprise user attribute", at: memberPointer,
          member.value)
      } else if key == "manager" {
        if member.value.value("displayName") != nil {
          context.add(
            .scimUnsupportedAttribute, "manager.displayName is not supported",
            at: memberPointer + [.key("displayName")], member.value)
        }
      } else if let text = SCIMValueRules.string(member.value, member.key, at: memberPointer, &context) {
        SCIMValueRules.text(text, member.key, at: memberPointer, member.value, &context)
      }
    }
  }
}
