import IAMPolicy

/// Checks a SCIM group, as Entra ID sends it in `POST /Groups` and `PUT /Groups/{id}` (S-4, S-5, S-7, S-10).
enum SCIMGroupRules {
  static func check(_ group: JSONValue, store: IdentityStore, _ context: inout SCIMContext) {
    guard let members = group.members else {
      context.add(.scimAttributeType, "a group must be a json object, not \(group.typeName)", at: [], group)
      return
    }
    if let name = SCIMValueRules.required(
      group.value("displayName"), "displayName", at: [.key("displayName")], parent: group, code: .scimGroup, &context),
      let value = group.value("displayName")
    {
      context.subject = name
      SCIMValueRules.text(name, "displayName", at: [.key("displayName")], value, &context)
      SCIMValueRules.reserved(name, "displayName", at: [.key("displayName")], value, &context)
    }
    for member in members {
      let pointer: [JSONPath.Component] = [.key(member.key)]
      let key = member.key.lowercased()
      // A null displayName is reported above as missing.
      if key == "displayname" && member.value.kind == .null { continue }
      if SCIMValueRules.isUnassigned(member.value, member.key, at: pointer, &context) { continue }
      if !SCIMSchema.groupAttributes.contains(key) {
        context.add(
          .scimUnsupportedAttribute, "\(member.key) is not a group attribute identity center supports", at: pointer,
          member.value)
      } else if key == "members" {
        checkMembers(member.value, at: pointer, store: store, changeLimit: false, &context)
      } else if key == "externalid" {
        _ = SCIMValueRules.string(member.value, "externalId", at: pointer, &context)
      }
    }
  }

  /// Checks a `members` list: at most 100 per request, supported sub-attributes, no nested groups.
  static func checkMembers(
    _ list: JSONValue, at pointer: [JSONPath.Component], store: IdentityStore, changeLimit: Bool,
    _ context: inout SCIMContext
  ) {
    guard let elements = list.elements else {
      context.add(.scimAttributeType, "members must be an array, not \(list.typeName)", at: pointer, list)
      return
    }
    if !changeLimit && elements.count > SCIMSchema.maximumMembersPerRequest {
      context.add(
        .scimGroup,
        "the request carries \(elements.count) members; identity center accepts at most \(SCIMSchema.maximumMembersPerRequest) per request",
        at: pointer, list)
    }
    for (index, element) in elements.enumerated() {
      let elementPointer = pointer + [.index(index)]
      guard let members = element.members else {
        context.add(
          .scimAttributeType, "members[\(index)] must be an object, not \(element.typeName)", at: elementPointer,
          element)
        continue
      }
      for member in members where !SCIMSchema.memberAttributes.contains(member.key.lowercased()) {
        context.add(
          .scimUnsupportedAttribute, "members[\(index)].\(member.key) is not supported",
          at: elementPointer + [.key(member.key)], member.value)
      }
      let id = SCIMValueRules.required(
        element.value("value"), "members[\(index)].value", at: elementPointer + [.key("value")], parent: element,
        code: .scimGroup, &context)
      let isGroup =
        element.string("type")?.lowercased() == "group" || element.string("$ref")?.contains("/Groups/") == true
        || (id.map { store.hasGroup(id: $0) } ?? false)
      if isGroup {
        context.add(
          .scimNestedGroup,
          "member \(id ?? "?") is a group; nested groups are not provisioned, so its members get no access through this group",
          at: elementPointer, element)
      }
    }
  }
}
