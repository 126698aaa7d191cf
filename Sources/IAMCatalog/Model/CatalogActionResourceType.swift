/// A resource type as one action takes it: whether the action requires it and the condition
/// keys that apply to it for that action.
public struct CatalogActionResourceType: Sendable, Hashable, CustomStringConvertible {
  let storage: CatalogStorage
  let index: Int

  private var record: ActionResourceTypeRecord { storage.actionResourceTypes[index] }

  /// The resource type's name, such as `db`.
  public var name: String { storage.string(record.name) }

  /// Whether the action requires this resource type; `nil` when the source does not say,
  /// as AWS's service reference files do not.
  public var isRequired: Bool? { record.isRequired }

  /// The condition keys that apply to this resource type for this action.
  public var conditionKeys: [String] { storage.strings(record.conditionKeys) }

  /// The service's definition of the resource type, with its ARN patterns; `nil` when the
  /// service does not define it.
  ///
  /// - Complexity: O(r) for r resource types in the service.
  public var definition: CatalogResourceType? {
    CatalogService(storage: storage, index: record.service).resourceType(named: name)
  }

  /// The ARN patterns of the resource type, such as `arn:${Partition}:rds:${Region}:${Account}:db:${DbInstanceName}`.
  ///
  /// - Complexity: O(r) for r resource types in the service.
  public var arnPatterns: [String] { definition?.arnPatterns ?? [] }

  /// The name.
  public var description: String { name }

  var entry: ActionResourceTypeEntry {
    ActionResourceTypeEntry(name: name, isRequired: isRequired, conditionKeys: conditionKeys)
  }

  /// Equal when the name, the required flag and the condition keys are.
  public static func == (lhs: CatalogActionResourceType, rhs: CatalogActionResourceType) -> Bool {
    lhs.entry == rhs.entry
  }

  /// Hashes the name.
  public func hash(into hasher: inout Hasher) {
    hasher.combine(name)
  }
}
