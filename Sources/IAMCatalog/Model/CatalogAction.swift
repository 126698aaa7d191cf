/// One action of the catalog, such as `rds:CreateDBInstance`: its access level, the resource
/// types it takes and the condition keys it supports.
///
/// A value is a small view into its catalog; its properties are read when asked for.
public struct CatalogAction: Sendable, Hashable, CustomStringConvertible {
  let storage: CatalogStorage
  let index: Int

  private var record: ActionRecord { storage.actions[index] }

  /// The service the action belongs to.
  public var service: CatalogService { CatalogService(storage: storage, index: record.service) }

  /// The service prefix, lower-cased, such as `rds`.
  public var servicePrefix: String { storage.string(storage.services[record.service].prefix) }

  /// The action's name as AWS spells it, such as `CreateDBInstance`.
  public var name: String { storage.string(record.name) }

  /// The prefix and name, such as `rds:CreateDBInstance`.
  public var qualifiedName: String { servicePrefix + ":" + name }

  /// The classic access level: the first level the level text names.
  public var accessLevel: AccessLevel { record.level }

  /// The access level as the reference gives it, such as `Permissions management, Write`.
  public var accessLevelText: String { storage.string(record.levelText) }

  /// The resource types the action takes, in the reference's order; empty when the action
  /// supports only `"Resource": "*"`.
  public var resourceTypes: [CatalogActionResourceType] {
    record.resourceTypes.map { CatalogActionResourceType(storage: storage, index: $0) }
  }

  /// The condition keys the action supports whatever the resource, in the reference's order.
  public var conditionKeys: [String] { storage.strings(record.conditionKeys) }

  /// The qualified name.
  public var description: String { qualifiedName }

  var entry: ActionEntry {
    ActionEntry(
      name: name, levelText: accessLevelText, resourceTypes: resourceTypes.map(\.entry), conditionKeys: conditionKeys)
  }

  /// Actions are equal when they have the same service prefix and everything the catalog
  /// says about them is equal.
  public static func == (lhs: CatalogAction, rhs: CatalogAction) -> Bool {
    if lhs.storage === rhs.storage { return lhs.index == rhs.index }
    return lhs.servicePrefix == rhs.servicePrefix && lhs.entry == rhs.entry
  }

  /// Hashes the service prefix and the name.
  public func hash(into hasher: inout Hasher) {
    hasher.combine(servicePrefix)
    hasher.combine(name)
  }
}
