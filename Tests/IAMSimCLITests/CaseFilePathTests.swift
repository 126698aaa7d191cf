import Foundation
import Testing

@testable import IAMSimCLI

/// `iamsim test` takes any path to a case file: a bare name, a relative or absolute path, one through `..`, and a
/// symbolic link; references in the file are always relative to the folder the file really lies in.
@Suite struct CaseFilePathTests {
  static let policy = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#
  static let caseFile = #"{"identityPolicies":["p.json"],"requests":[{"action":"s3:GetObject","resource":"arn:aws:s3:::b/k","expect":"allowed"}]}"#

  /// Runs the built `iamsim` in `directory` (the working directory is process-wide, so not in-process).
  static func run(_ arguments: [String], in directory: String) throws -> (status: Int32, out: String, err: String) {
    let executable = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
      .appendingPathComponent("iamsim")
    try #require(FileManager.default.isExecutableFile(atPath: executable.path), "no iamsim beside the tests: run swift build")
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    process.currentDirectoryURL = URL(fileURLWithPath: directory)
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let output = out.fileHandleForReading.readDataToEndOfFile()
    let error = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: output, as: UTF8.self), String(decoding: error, as: UTF8.self))
  }

  @Test func everyWayOfNamingTheFilePasses() throws {
    let root = try temporaryRepository([
      "cases/p.json": Self.policy, "cases/case.json": Self.caseFile, "other/.keep": "",
    ])
    defer { try? FileManager.default.removeItem(atPath: root) }
    // A link beside a different folder: its references still resolve beside the file it points to.
    try FileManager.default.createSymbolicLink(atPath: root + "/other/link.json", withDestinationPath: "../cases/case.json")
    try FileManager.default.createSymbolicLink(atPath: root + "/linked-cases", withDestinationPath: root + "/cases")
    let ways: [(arguments: [String], directory: String)] = [
      (["case.json"], root + "/cases"),
      (["./case.json"], root + "/cases"),
      (["cases/case.json"], root),
      (["../cases/case.json"], root + "/other"),
      (["other/../cases/case.json"], root),
      ([root + "/cases/case.json"], "/"),
      (["link.json"], root + "/other"),
      ([root + "/other/link.json"], root + "/cases"),
      (["case.json"], root + "/linked-cases"),
      (["linked-cases/case.json"], root),
      (["cases"], root),
      (["."], root + "/cases"),
    ]
    for way in ways {
      let result = try Self.run(["test"] + way.arguments, in: way.directory)
      #expect(result.status == 0, "\(way): \(result.err)")
      #expect(result.out == "1 passed, 0 failed\n", "\(way)")
    }
  }

  @Test func theFolderIsWhereTheFileReallyLies() throws {
    let root = try temporaryRepository(["cases/case.json": Self.caseFile, "other/.keep": ""])
    defer { try? FileManager.default.removeItem(atPath: root) }
    try FileManager.default.createSymbolicLink(atPath: root + "/other/link.json", withDestinationPath: "../cases/case.json")
    let real = URL(fileURLWithPath: root + "/cases").resolvingSymlinksInPath().path
    #expect(CaseFileLoader.folder(of: root + "/other/link.json") == real)
    #expect(CaseFileLoader.folder(of: root + "/other/../cases/case.json") == real)
  }
}
