import Foundation
import IAMCompression

/// The AWS Service Authorization Reference: every service prefix with its actions, their
/// access levels, resource types and condition keys.
///
/// A catalog is an immutable value that is cheap to copy and safe to share between tasks.
/// ``bundled()`` gives the one shipped with iamsim; ``CatalogBuilder`` makes new ones.
public struct Catalog: Sendable, Equatable, CustomStringConvertible {
  let storage: CatalogStorage

  init(storage: CatalogStorage) {
    self.storage = storage
  }

  /// Loads a catalog from its compact form, as ``CatalogBuild/write(to:)`` writes it.
  ///
  /// - Parameter file: the file name to use in error messages.
  /// - Throws: ``CatalogLoadError`` naming the line of the first problem.
  /// - Complexity: O(n) in the length of `compactForm`.
  public init(compactForm: [UInt8], file: String? = nil) throws(CatalogLoadError) {
    storage = try CatalogDecoder.decode(compactForm, file: file)
  }

  /// Loads a catalog from a file in the compact form.
  ///
  /// - Throws: ``CatalogLoadError`` when the file cannot be read or is not a valid catalog.
  /// - Complexity: O(n) in the size of the file.
  public init(contentsOf url: URL) throws(CatalogLoadError) {
    try self.init(compactForm: try FileBytes.read(url), file: url.path)
  }

  /// The catalog shipped with iamsim, loaded on first use and kept for the life of the process.
  ///
  /// - Throws: ``CatalogLoadError`` when the shipped file is missing or damaged.
  public static func bundled() throws(CatalogLoadError) -> Catalog {
    try bundledCatalog.get()
  }

  private static let bundledCatalog = Result { () throws(CatalogLoadError) -> Catalog in
    guard let bytes = SwiftEmbedding.bytes(ShippedCatalog.compactForm, isBase64: ShippedCatalog.isBase64) else {
      throw CatalogLoadError(message: "the catalog compiled into iamsim is damaged")
    }
    return try Catalog(compactForm: bytes, file: "<shipped catalog>")
  }

  /// Where the data comes from and how much of it there is.
  public var metadata: CatalogMetadata {
    CatalogMetadata(
      source: storage.source, commit: storage.commit, packageVersion: storage.packageVersion,
      dataDate: storage.dataDate, serviceCount: storage.services.count, actionCount: storage.actions.count,
      resourceTypeCount: storage.resourceTypes.count, conditionKeyCount: storage.conditionKeys.count)
  }

  /// Every service, ordered by prefix.
  public var services: [CatalogService] {
    storage.services.indices.map { CatalogService(storage: storage, index: $0) }
  }

  /// Every action, ordered by service prefix, then by name.
  public var actions: [CatalogAction] {
    storage.actions.indices.map { CatalogAction(storage: storage, index: $0) }
  }

  /// The service with this prefix, ignoring ASCII case, such as `s3`.
  ///
  /// - Complexity: O(log s) for s services.
  public func service(prefix: String) -> CatalogService? {
    storage.serviceIndex(prefix: CatalogOrder.lowercasedASCII(prefix).utf8).map { CatalogService(storage: storage, index: $0) }
  }

  /// The action with this qualified name, ignoring ASCII case, such as `rds:CreateDBInstance`.
  ///
  /// - Returns: `nil` when the name has no `:` or the catalog has no such action.
  /// - Complexity: O(log s + log a) for s services and a actions in the service.
  public func action(named qualifiedName: String) -> CatalogAction? {
    let lowercased = Array(CatalogOrder.lowercasedASCII(qualifiedName).utf8)
    guard let colon = lowercased.firstIndex(of: UInt8(ascii: ":")),
      let service = storage.serviceIndex(prefix: lowercased[..<colon]),
      let action = storage.actionIndex(service: service, named: lowercased[(colon + 1)...])
    else { return nil }
    return CatalogAction(storage: storage, index: action)
  }

  /// The source and the counts.
  public var description: String {
    let data = metadata
    return "Catalog(\(data.source), \(data.serviceCount) services, \(data.actionCount) actions)"
  }

  /// Catalogs are equal when their metadata and everything they say about every service are.
  ///
  /// - Complexity: O(n) in the size of the catalogs.
  public static func == (lhs: Catalog, rhs: Catalog) -> Bool {
    lhs.storage === rhs.storage || lhs.storage.content() == rhs.storage.content()
  }
}
