/// A condition key a service lists, such as `s3:TlsVersion`, with its value type.
public struct CatalogConditionKey: Sendable, Hashable, CustomStringConvertible {
  let storage: CatalogStorage
  let index: Int

  private var record: ConditionKeyRecord { storage.conditionKeys[index] }

  /// The key as AWS spells it, such as `aws:RequestTag/${TagKey}`.
  public var name: String { storage.string(record.name) }

  /// The value types, such as `["String"]` or `["ArrayOfARN"]`: one in the bundled data,
  /// as many as AWS's service reference files list otherwise.
  public var types: [String] { storage.strings(record.types) }

  /// The name.
  public var description: String { name }

  var entry: ConditionKeyEntry { ConditionKeyEntry(name: name, types: types) }

  /// Equal when the name and the types are.
  public static func == (lhs: CatalogConditionKey, rhs: CatalogConditionKey) -> Bool {
    lhs.entry == rhs.entry
  }

  /// Hashes the name.
  public func hash(into hasher: inout Hasher) {
    hasher.combine(name)
  }
}
