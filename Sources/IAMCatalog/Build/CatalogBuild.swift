import Foundation

/// The result of ``CatalogBuilder``: the new catalog, what it was built from, and its compact form.
public struct CatalogBuild: Sendable {
  /// The catalog, exactly as loading ``compactForm`` gives it.
  public let catalog: Catalog
  /// The format the source data was in.
  public let format: CatalogSourceFormat
  /// The files read, in the order they were read.
  public let files: [String]
  /// The catalog in the compact form that ``Catalog/init(contentsOf:)`` loads.
  public let compactForm: [UInt8]

  /// Writes the compact form to a file, replacing it atomically.
  ///
  /// - Throws: the file system's error when the file cannot be written.
  public func write(to url: URL) throws {
    try Data(compactForm).write(to: url, options: .atomic)
  }
}
