/// Reads AWS's service reference JSON: one object per service prefix, as AWS publishes it for
/// programmatic access.
///
/// Only the authorization members are read: `Name`, `Actions[].Name`,
/// `Actions[].Annotations.Properties`, `Actions[].ActionConditionKeys`,
/// `Actions[].Resources[].Name`, `Resources[].Name`, `Resources[].ARNFormats`,
/// `Resources[].ConditionKeys` and `ConditionKeys[].Name`, `ConditionKeys[].Types`; others, such
/// as `Operations` and `SupportedBy`, are ignored. The format carries no display name, so the
/// service's name is its prefix, and no required flag for the resource types of an action.
enum ServiceReferenceReader {
  /// Reads one service object.
  static func service(_ node: JSONNode) throws(CatalogBuildError) -> ServiceEntry {
    let prefixNode = try node.required("Name")
    let prefix = CatalogOrder.lowercasedASCII(try prefixNode.string())
    var actions: [ActionEntry] = []
    var actionNames = UniqueNames(kind: "action")
    for actionNode in try node.required("Actions").elements() {
      let entry = try action(actionNode)
      try actionNames.insert(entry.name, from: actionNode)
      actions.append(entry)
    }
    var resourceTypes: [ResourceTypeEntry] = []
    var resourceTypeNames = UniqueNames(kind: "resource type")
    for typeNode in try node.member("Resources")?.elements() ?? [] {
      let name = try typeNode.required("Name").string()
      try resourceTypeNames.insert(name, from: typeNode)
      resourceTypes.append(
        ResourceTypeEntry(
          name: name, arnPatterns: try typeNode.member("ARNFormats")?.strings() ?? [],
          conditionKeys: try typeNode.member("ConditionKeys")?.strings() ?? []))
    }
    var conditionKeys: [ConditionKeyEntry] = []
    var keyNames = UniqueNames(kind: "condition key")
    for keyNode in try node.member("ConditionKeys")?.elements() ?? [] {
      let name = try keyNode.required("Name").string()
      try keyNames.insert(name, from: keyNode)
      conditionKeys.append(ConditionKeyEntry(name: name, types: try keyNode.member("Types")?.strings() ?? []))
    }
    return ServiceEntry(
      prefix: prefix, name: prefix, actions: actions, resourceTypes: resourceTypes, conditionKeys: conditionKeys
    ).inCatalogOrder()
  }

  private static func action(_ node: JSONNode) throws(CatalogBuildError) -> ActionEntry {
    var resourceTypes: [ActionResourceTypeEntry] = []
    for typeNode in try node.member("Resources")?.elements() ?? [] {
      resourceTypes.append(
        ActionResourceTypeEntry(name: try typeNode.required("Name").string(), isRequired: nil, conditionKeys: []))
    }
    return ActionEntry(
      name: try node.required("Name").string(), levelText: try levelText(node.member("Annotations")),
      resourceTypes: resourceTypes, conditionKeys: try node.member("ActionConditionKeys")?.strings() ?? [])
  }

  /// The access level text AWS's flags stand for, as the Service Authorization Reference
  /// writes it: the levels whose flag is set, in the order Permissions management, Tagging,
  /// Write, List, joined by `, `; `Read` when none is. An absent flag counts as `false`.
  private static func levelText(_ annotations: JSONNode?) throws(CatalogBuildError) -> String {
    let properties = try annotations?.member("Properties")
    let flags: [(String, AccessLevel)] = [
      ("IsPermissionManagement", .permissionsManagement), ("IsTaggingOnly", .tagging), ("IsWrite", .write),
      ("IsList", .list),
    ]
    var levels: [String] = []
    for (flag, level) in flags {
      if try properties?.member(flag)?.bool() == true { levels.append(level.rawValue) }
    }
    return levels.isEmpty ? AccessLevel.read.rawValue : levels.joined(separator: ", ")
  }
}
