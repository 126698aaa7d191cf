/// One service prefix of a catalog, such as `s3`, with its actions, resource types and condition keys.
public struct CatalogService: Sendable, Hashable, CustomStringConvertible {
  let storage: CatalogStorage
  let index: Int

  private var record: ServiceRecord { storage.services[index] }

  /// The service prefix, lower-cased, such as `s3`.
  public var prefix: String { storage.string(record.prefix) }

  /// The service's name, such as `Amazon S3`; the prefix for catalogs built from AWS's
  /// service reference files, which carry no display name.
  public var name: String { storage.string(record.name) }

  /// The service's actions, ordered by name.
  public var actions: [CatalogAction] {
    record.actions.map { CatalogAction(storage: storage, index: $0) }
  }

  /// The resource types the service defines, ordered by name.
  public var resourceTypes: [CatalogResourceType] {
    record.resourceTypes.map { CatalogResourceType(storage: storage, index: $0) }
  }

  /// The condition keys the service's reference page lists, ordered by name.
  public var conditionKeys: [CatalogConditionKey] {
    record.conditionKeys.map { CatalogConditionKey(storage: storage, index: $0) }
  }

  /// The action with this name (no prefix), ignoring case.
  ///
  /// - Complexity: O(log a) for a actions in the service.
  public func action(named name: String) -> CatalogAction? {
    storage.actionIndex(service: index, named: name.utf8)
      .map { CatalogAction(storage: storage, index: $0) }
  }

  /// The resource type with this name, ignoring case.
  ///
  /// - Complexity: O(r) for r resource types in the service.
  public func resourceType(named name: String) -> CatalogResourceType? {
    storage.firstIndex(in: record.resourceTypes, named: name) { storage.resourceTypes[$0].name }
      .map { CatalogResourceType(storage: storage, index: $0) }
  }

  /// The condition key with this name, ignoring case, as IAM compares condition keys.
  ///
  /// - Complexity: O(k) for k condition keys in the service.
  public func conditionKey(named name: String) -> CatalogConditionKey? {
    storage.firstIndex(in: record.conditionKeys, named: name) { storage.conditionKeys[$0].name }
      .map { CatalogConditionKey(storage: storage, index: $0) }
  }

  /// The prefix.
  public var description: String { prefix }

  var entry: ServiceEntry {
    ServiceEntry(
      prefix: prefix, name: name, actions: actions.map(\.entry), resourceTypes: resourceTypes.map(\.entry),
      conditionKeys: conditionKeys.map(\.entry))
  }

  /// Services are equal when everything the catalog says about them is.
  public static func == (lhs: CatalogService, rhs: CatalogService) -> Bool {
    if lhs.storage === rhs.storage { return lhs.index == rhs.index }
    return lhs.entry == rhs.entry
  }

  /// Hashes the prefix.
  public func hash(into hasher: inout Hasher) {
    hasher.combine(prefix)
  }
}
