import Foundation
import IAMCatalog
import Testing

/// The compact form round-trips, and the shipped file is what the builder makes of the source.
@Suite struct RoundTripTests {
  @Test func buildWriteLoadGivesAnEqualCatalog() throws {
    let build = try CatalogBuilder.build(from: TestPaths.serviceReferenceDirectory)
    try withTemporaryDirectory { directory in
      let file = directory.appendingPathComponent("fixture.catalog")
      try build.write(to: file)
      let loaded = try Catalog(contentsOf: file)
      #expect(loaded == build.catalog)
      #expect(loaded.metadata == build.catalog.metadata)
      #expect(loaded.actions.map(\.qualifiedName) == build.catalog.actions.map(\.qualifiedName))
    }
  }

  @Test func catalogsWithDifferentContentDiffer() throws {
    let sqs = try CatalogBuilder.build(from: TestPaths.serviceReferenceDirectory.appendingPathComponent("sqs.json"))
    let both = try CatalogBuilder.build(from: TestPaths.serviceReferenceDirectory)
    #expect(sqs.catalog != both.catalog)
    #expect(sqs.catalog.service(prefix: "sqs") == both.catalog.service(prefix: "sqs"))
    #expect(try Catalog.bundled() != both.catalog)
  }

  /// Rebuilds the shipped file from `shared/` and checks that it is byte for byte what is shipped.
  /// Run with `IAMSIM_UPDATE_CATALOG=1` to rewrite the shipped file after the source data changed.
  @Test(.enabled(if: TestPaths.hasSharedSource, "needs shared/data beside the repository"))
  func theShippedCatalogIsTheBuildOfTheSource() throws {
    let build = try CatalogBuilder.build(from: TestPaths.sharedSource)
    #expect(build.format == .iamData)
    if ProcessInfo.processInfo.environment["IAMSIM_UPDATE_CATALOG"] == "1" {
      try build.write(to: TestPaths.shippedCatalog)
    }
    let shipped = try [UInt8](Data(contentsOf: TestPaths.shippedCatalog))
    #expect(build.compactForm == shipped)
    try withTemporaryDirectory { directory in
      let file = directory.appendingPathComponent("full.catalog")
      try build.write(to: file)
      #expect(try Catalog(contentsOf: file) == build.catalog)
    }
    #expect(build.catalog == (try Catalog.bundled()))
  }
}
