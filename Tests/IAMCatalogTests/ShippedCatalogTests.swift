import Foundation
import IAMCatalog
import Testing

@Suite struct ShippedCatalogTests {
  @Test func theCompiledInCatalogIsGeneratedFromTheReadableCompactForm() throws {
    let compact = [UInt8](try Data(contentsOf: TestPaths.shippedCatalog))
    let swift = try Data(
      contentsOf: TestPaths.repository.appendingPathComponent("Sources/IAMCatalog/Shipped/ShippedCatalog.swift"))
    #expect(Data(CatalogBuild.swiftSource(compactForm: compact).utf8) == swift, "run `iamsim catalog update`")
    #expect(try Catalog.bundled() == Catalog(compactForm: compact))
  }
}
