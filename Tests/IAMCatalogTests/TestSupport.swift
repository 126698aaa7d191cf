import Foundation
import IAMCatalog
import IAMTestSupport

/// Paths the tests read, computed from this file's place in the repository.
enum TestPaths {
  static let testsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
  static let fixtures = testsDirectory.appendingPathComponent("Fixtures")
  static let serviceReferenceDirectory = fixtures.appendingPathComponent("service-reference")
  static let repository = testsDirectory.deletingLastPathComponent().deletingLastPathComponent()
  /// The shipped compact catalog in the source tree.
  static let shippedCatalog = repository.appendingPathComponent("Sources/IAMCatalog/Resources/service-authorization.catalog")
  /// The source data in `shared/` beside the repository; tests that need it are skipped without it.
  static let sharedSource = repository.deletingLastPathComponent()
    .appendingPathComponent("shared/data/service-authorization/aws-service-authorization.json")
  static var hasSharedSource: Bool { FileManager.default.fileExists(atPath: sharedSource.path) }
}

/// A fresh temporary directory, removed when `body` returns.
func withTemporaryDirectory<T>(_ body: (URL) throws -> T) throws -> T {
  let directory = Scratch.root.appendingPathComponent("iamcatalog-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
  defer { try? FileManager.default.removeItem(at: directory) }
  return try body(directory)
}

/// Builds a catalog from JSON text.
func build(_ json: String, named name: String = "input.json") throws -> CatalogBuild {
  try CatalogBuilder.build(json: Array(json.utf8), named: name)
}

/// The error that building from JSON text throws, or `nil` when it succeeds.
func buildError(_ json: String, named name: String = "input.json") -> CatalogBuildError? {
  do {
    _ = try CatalogBuilder.build(json: Array(json.utf8), named: name)
    return nil
  } catch {
    return error
  }
}
