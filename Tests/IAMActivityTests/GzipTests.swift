import Foundation
import Testing

import IAMCatalog
@testable import IAMActivity

/// The fixtures folder, found from this file's path.
let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

func fixture(_ name: String) throws -> [UInt8] {
  [UInt8](try Data(contentsOf: fixtures.appendingPathComponent(name)))
}

/// The fixtures were compressed by an independent implementation (Python's zlib).
@Suite struct GzipTests {
  @Test(arguments: ["stored.gz", "two-members.gz"])
  func decompressesToTheOriginalText(name: String) throws {
    let plain = try fixture("plain.txt")
    let expected = name == "two-members.gz" ? Array(plain[..<3000]) : plain
    #expect(try Gzip.decompress(fixture(name)) == expected)
  }

  @Test func decodesFixedAndDynamicHuffmanBlocks() throws {
    let plain = try fixture("plain.txt")
    #expect(try Gzip.decompress(fixture("fixed.gz")) == Array(plain[..<500]))
    #expect(try Gzip.decompress(fixture("cloudtrail-log.json.gz")) == fixture("cloudtrail-log.json"))
    #expect(try Gzip.decompress(fixture("empty.gz")) == [])
  }

  @Test func rejectsCorruptionAndBombs() throws {
    var corrupt = try fixture("stored.gz")
    corrupt[corrupt.count - 6] ^= 0xFF
    #expect(throws: Gzip.DecodingError.self) { try Gzip.decompress(corrupt) }
    let truncated = Array(try fixture("cloudtrail-log.json.gz").prefix(200))
    #expect(throws: Gzip.DecodingError.self) { try Gzip.decompress(truncated) }
    #expect(throws: Gzip.DecodingError.self) { try Gzip.decompress(try fixture("cloudtrail-log.json.gz"), limit: 1000) }
  }
}

@Suite struct CloudTrailTests {
  @Test func readsDeliveredLogFilesGzippedOrNotAndAttributesThemToPermissionSets() throws {
    let zipped = try CloudTrailReader.read(fixture("cloudtrail-log.json.gz"), name: "log.json.gz")
    let plain = try CloudTrailReader.read(fixture("cloudtrail-log.json"), name: "log.json")
    #expect(zipped == plain.map { var event = $0; event.source = "log.json.gz"; return event })
    let activity = PermissionSetActivity.group(plain, resolver: EventActionResolver(catalog: try Catalog.bundled()))
    #expect(activity.count == 1)
    let dba = try #require(activity.first)
    #expect(dba.permissionSet == "DatabaseAdministrator" && dba.account == "111122223333")
    #expect(dba.usedActions.contains("rds:CreateDBInstance"))
    #expect(dba.usedActions.contains("cloudwatch:GetMetricData"), "monitoring.amazonaws.com is CloudWatch")
    #expect(dba.deniedActions == ["s3:DeleteBucket"])
    #expect(dba.users == ["alice@example.com"])
  }

  @Test func readsLookupEventsOutput() throws {
    let events = try CloudTrailReader.read(fixture("lookup-events.json"), name: "lookup.json")
    #expect(events.count == 5)
    let resolver = EventActionResolver(catalog: try Catalog.bundled())
    #expect(PermissionSetActivity.group(events, resolver: resolver).first?.permissionSet == "ViewOnlyAccess")
  }

  @Test func refusesOtherJSON() {
    #expect(throws: CloudTrailReader.ReadError.self) { try CloudTrailReader.read(Array(#"{"x":1}"#.utf8), name: "x.json") }
  }
}
