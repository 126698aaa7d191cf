/// A resource type a service defines, such as S3's `bucket`, with its ARN patterns.
public struct CatalogResourceType: Sendable, Hashable, CustomStringConvertible {
  let storage: CatalogStorage
  let index: Int

  private var record: ResourceTypeRecord { storage.resourceTypes[index] }

  /// The prefix of the service that defines the resource type.
  public var servicePrefix: String { storage.string(storage.services[record.service].prefix) }

  /// The resource type's name, such as `bucket`.
  public var name: String { storage.string(record.name) }

  /// The ARN patterns, such as `arn:${Partition}:s3:::${BucketName}`.
  public var arnPatterns: [String] { storage.strings(record.arnPatterns) }

  /// The condition keys that apply to every action on this resource type.
  public var conditionKeys: [String] { storage.strings(record.conditionKeys) }

  /// The name.
  public var description: String { name }

  var entry: ResourceTypeEntry {
    ResourceTypeEntry(name: name, arnPatterns: arnPatterns, conditionKeys: conditionKeys)
  }

  /// Equal when the service prefix, the name, the ARN patterns and the condition keys are.
  public static func == (lhs: CatalogResourceType, rhs: CatalogResourceType) -> Bool {
    lhs.servicePrefix == rhs.servicePrefix && lhs.entry == rhs.entry
  }

  /// Hashes the service prefix and the name.
  public func hash(into hasher: inout Hasher) {
    hasher.combine(servicePrefix)
    hasher.combine(name)
  }
}
