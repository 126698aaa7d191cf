/// An Amazon Resource Name split into its six parts: `arn:partition:service:region:account:resource`.
///
/// The split is at the first five colons; the resource part may itself hold `:` and `/`.
public struct ARN: Sendable, Hashable, CustomStringConvertible {
  public var partition: String
  public var service: String
  public var region: String
  public var account: String
  /// Everything after the fifth colon, such as `role/path/name` or `bucket/key`.
  public var resource: String

  /// Reads an ARN; returns `nil` for text that does not start with `arn:` or has fewer than five colons.
  public init?(_ text: String) {
    guard text.hasPrefix("arn:") else { return nil }
    let parts = text.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
    guard parts.count == 6 else { return nil }
    partition = String(parts[1])
    service = String(parts[2])
    region = String(parts[3])
    account = String(parts[4])
    resource = String(parts[5])
  }

  public var description: String { "arn:\(partition):\(service):\(region):\(account):\(resource)" }
}
