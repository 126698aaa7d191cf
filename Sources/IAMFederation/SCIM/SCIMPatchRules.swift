import IAMPolicy

/// Checks a SCIM `PATCH` request (`{"Operations": [...]}`) against Identity Center's PatchUser and PatchGroup
/// rules (S-2, S-4, S-6, S-7, S-9).
enum SCIMPatchRules {
  /// Whom a PATCH is for; the body does not say, so it is inferred from the attributes it touches.
  enum Target: String { case user, group, unknown }

  private struct Operation {
    var index: Int
    var element: JSONValue
    var op: String
    var path: SCIMPatchPath?
    var value: JSONValue?
    /// The top-level attributes the operation touches, lower-cased, with the value for each and, for an
    /// operation without a path, the key of the value object's member that names it.
    var touched: [(attribute: String, key: String?, value: JSONValue?)]
  }

  static func target(of patch: JSONValue) -> Target {
    let touched = (patch.value("Operations")?.elements ?? []).flatMap { element in
      attributes(path: element.string("path").map(SCIMPatchPath.init), value: element.value("value")).map(\.attribute)
    }
    if touched.contains("members") { return .group }
    if touched.contains(where: { !SCIMSchema.patchableGroupAttributes.contains($0) }) { return .user }
    return .unknown
  }

  static func check(_ patch: JSONValue, target: Target, store: IdentityStore, _ context: inout SCIMContext) {
    guard let list = patch.value("Operations"), let elements = list.elements else {
      context.add(.scimPatchOperation, "a patch request needs an Operations array", at: [.key("Operations")], patch)
      return
    }
    let operations = elements.enumerated().compactMap { operation($1, index: $0, &context) }
    let allowed: Set<String> =
      switch target {
      case .user: SCIMSchema.patchableUserAttributes
      case .group: SCIMSchema.patchableGroupAttributes
      case .unknown: SCIMSchema.patchableUserAttributes.union(SCIMSchema.patchableGroupAttributes)
      }
    var membershipChanges = 0
    for operation in operations {
      let pointer: [JSONPath.Component] = [.key("Operations"), .index(operation.index)]
      for (attribute, key, value) in operation.touched {
        let valuePointer = pointer + [.key("value")] + (key.map { [JSONPath.Component.key($0)] } ?? [])
        if !allowed.contains(attribute) {
          context.add(
            .scimPatchOperation,
            "operation \(operation.index) modifies \(attribute), which identity center does not allow for \(target == .group ? "groups" : "users")",
            at: pointer, operation.element)
          continue
        }
        if target != .group, ["username", "active"].contains(attribute), operation.op == "remove" {
          context.add(
            .scimPatchOperation, "operation \(operation.index) removes \(attribute), which is not supported",
            at: pointer, operation.element)
        }
        if attribute == "members" {
          membershipChanges += checkMembers(
            operation, value: value, at: pointer, valuePointer: valuePointer, store: store, &context)
        } else if let allowedSubs = SCIMSchema.singleItemLists[attribute], let value, operation.path?.filter == nil {
          let list = value.elements != nil ? value : JSONValue(.array([value]), at: value.position)
          SCIMListRules.check(list, attribute, allowed: allowedSubs, at: valuePointer, &context)
        }
      }
      if let path = operation.path {
        if path.subAttribute?.lowercased() == "display" {
          context.add(
            .scimUnsupportedAttribute, "operation \(operation.index) targets the unsupported display sub-attribute",
            at: pointer + [.key("path")], operation.element)
        }
        for unsupported in path.unsupportedOperators {
          context.add(
            .scimFilter,
            "operation \(operation.index) filters with \(unsupported); identity center supports only eq and and",
            at: pointer + [.key("path")], operation.element)
        }
      }
    }
    for attribute in ["username", "active"] where target != .group {
      let count = operations.filter { $0.touched.contains { $0.attribute == attribute } }.count
      if count > 1 {
        context.add(
          .scimPatchOperation, "\(count) operations modify \(attribute); identity center supports only one per request",
          at: [.key("Operations")], list)
      }
    }
    if membershipChanges > SCIMSchema.maximumMembersPerRequest {
      context.add(
        .scimGroup,
        "the request makes \(membershipChanges) membership changes; identity center accepts at most \(SCIMSchema.maximumMembersPerRequest)",
        at: [.key("Operations")], list)
    }
  }

  private static func operation(_ element: JSONValue, index: Int, _ context: inout SCIMContext) -> Operation? {
    let pointer: [JSONPath.Component] = [.key("Operations"), .index(index)]
    guard element.members != nil else {
      context.add(
        .scimAttributeType, "operation \(index) must be an object, not \(element.typeName)", at: pointer, element)
      return nil
    }
    guard let op = element.string("op")?.lowercased() else {
      context.add(
        .scimPatchOperation, "operation \(index) has no op; the operation must be specified",
        at: pointer + [.key("op")], element)
      return nil
    }
    guard ["add", "replace", "remove"].contains(op) else {
      context.add(
        .scimPatchOperation, "operation \(index) has op \(op); only add, replace and remove are supported",
        at: pointer + [.key("op")], element)
      return nil
    }
    let path = element.string("path").map(SCIMPatchPath.init)
    let value = element.value("value")
    if op == "remove" && path == nil {
      context.add(
        .scimPatchOperation, "operation \(index) removes without a path; remove needs a path", at: pointer, element)
      return nil
    }
    // A null value is unassigned (RFC 7643 section 2.5), so it is no value: "A value is required for add and
    // replace" (PatchUser and PatchGroup constraints).
    if op != "remove" && (value == nil || value?.kind == .null) {
      context.add(
        .scimPatchOperation, "operation \(index) (\(op)) has no value; add and replace need one", at: pointer, element)
      return nil
    }
    return Operation(
      index: index, element: element, op: op, path: path, value: value, touched: attributes(path: path, value: value))
  }

  /// The top-level attributes an operation touches: its path's attribute, or the keys of its value object.
  private static func attributes(path: SCIMPatchPath?, value: JSONValue?) -> [(
    attribute: String, key: String?, value: JSONValue?
  )] {
    if let path { return [(path.attribute, nil, value)] }
    return (value?.members ?? []).map { member in
      let key = member.key.lowercased()
      if key == SCIMSchema.enterpriseSchema.lowercased()
        || key.hasPrefix(SCIMSchema.enterpriseSchema.lowercased() + ":")
      {
        return ("enterprise", member.key, member.value)
      }
      return (String(key.prefix { $0 != "." && $0 != "[" }), member.key, member.value)
    }
  }

  /// Checks a change to `members` and returns how many memberships it changes.
  private static func checkMembers(
    _ operation: Operation, value: JSONValue?, at pointer: [JSONPath.Component], valuePointer: [JSONPath.Component],
    store: IdentityStore, _ context: inout SCIMContext
  ) -> Int {
    let whole = operation.path == nil || operation.path?.filter == nil
    if operation.op == "replace" && whole {
      context.add(
        .scimGroup, "operation \(operation.index) replaces all members; PatchGroup does not support replace",
        at: pointer, operation.element)
    }
    if operation.op == "remove" && whole && value == nil {
      context.add(
        .scimGroup, "operation \(operation.index) removes all members; PatchGroup does not support remove all",
        at: pointer, operation.element)
    }
    guard let value else { return 1 }
    let list = value.elements != nil ? value : JSONValue(.array([value]), at: value.position)
    SCIMGroupRules.checkMembers(list, at: valuePointer, store: store, changeLimit: true, &context)
    return list.elements?.count ?? 1
  }
}
