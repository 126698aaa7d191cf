import Foundation
import Testing

@testable import IAMSimCLI

/// `iamsim test` writes its results as it goes (issue 15: memory bounded by what is being written, not by the
/// number of case files): text and JSON reach standard output one case file at a time, before the run ends.
@Suite struct TestStreamingTests {
  /// Records each write separately.
  struct Writes: TextOutputStream {
    var pieces: [String] = []
    mutating func write(_ string: String) { if !string.isEmpty { pieces.append(string) } }
  }

  static func repository(files: Int) throws -> String {
    var contents: [String: String] = [:]
    for index in 0..<files {
      contents["cases/c\(index).json"] =
        #"{"identityPolicies":[{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}],"requests":[{"action":"s3:GetObject","resource":"*","expect":"allowed"},{"action":"s3:PutObject","resource":"*","expect":"allowed"}]}"#
    }
    return try temporaryRepository(contents)
  }

  static func run(_ arguments: [String]) -> [String] {
    var out = Writes()
    var err = Writes()
    _ = Tool.run(arguments, environment: [:], stdout: &out, stderr: &err)
    return out.pieces
  }

  @Test func jsonIsWrittenOneCaseFileAtATime() throws {
    let root = try Self.repository(files: 3)
    defer { try? FileManager.default.removeItem(atPath: root) }
    let pieces = Self.run(["test", root + "/cases", "--format", "json"])
    // One piece per case file, then the rest.
    #expect(pieces.count == 4)
    #expect(pieces[0].hasPrefix("{\n  \"version\": 1,\n  \"files\": [\n    {\n      \"file\": "))
    #expect(pieces[1].hasPrefix(",\n    {\n      \"file\": "))
    #expect(pieces[3].hasPrefix("\n  ],\n  \"errors\": [],\n  \"passed\": 3,\n  \"failed\": 3\n}\n"))
    let json = try JSONSerialization.jsonObject(with: Data(pieces.joined().utf8)) as? [String: Any]
    #expect((json?["files"] as? [[String: Any]])?.count == 3)
    #expect((json?["files"] as? [[String: Any]])?.allSatisfy { ($0["requests"] as? [Any])?.count == 2 } == true)
  }

  @Test func jsonWithNoResultKeepsItsShape() throws {
    let root = try temporaryRepository(["cases/a.json": #"{"requests":[{"action":"s3:GetObject","expect":"maybe"}]}"#])
    defer { try? FileManager.default.removeItem(atPath: root) }
    let text = Self.run(["test", root + "/cases", "--format", "json"]).joined()
    #expect(text.hasPrefix("{\n  \"version\": 1,\n  \"files\": [],\n  \"errors\": [\n    {\n"))
    #expect(try JSONSerialization.jsonObject(with: Data(text.utf8)) is [String: Any])
  }

  @Test func textFailuresAreWrittenAsTheyAreFound() throws {
    let root = try Self.repository(files: 3)
    defer { try? FileManager.default.removeItem(atPath: root) }
    let pieces = Self.run(["test", root + "/cases"])
    #expect(pieces.count == 4)
    #expect(pieces.prefix(3).allSatisfy { $0.hasPrefix("FAIL ") && $0.contains("s3:PutObject") })
    #expect(pieces[3] == "3 passed, 3 failed\n")
  }

  @Test func junitCountsComeFirstAndSuitesFollow() throws {
    let root = try Self.repository(files: 2)
    defer { try? FileManager.default.removeItem(atPath: root) }
    let text = Self.run(["test", root + "/cases", "--format", "junit"]).joined()
    #expect(text.contains(#"<testsuites name="iamsim" tests="4" failures="2" errors="0">"#))
    #expect(text.components(separatedBy: "<testsuite ").count == 3)
    #expect(text.hasSuffix("</testsuites>\n"))
  }
}
