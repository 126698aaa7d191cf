import Foundation
import IAMManagedPolicies
import IAMPolicy
import IAMTestSupport
import Testing

enum Paths {
  static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
  /// The repository's copies of the two sources (byte-for-byte copies of `../shared/data/aws-managed-policies/`).
  static let snapshot = repository.appendingPathComponent("Benchmarks/aws-managed-policies.json")
  static let overlay = repository.appendingPathComponent("Benchmarks/aws-managed-policies-newer.json")
  static let shipped = repository.appendingPathComponent("Sources/IAMManagedPolicies/Shipped/ShippedPolicies.swift")
  static let shared = repository.deletingLastPathComponent().appendingPathComponent("shared/data/aws-managed-policies")
  /// How `policies info` names the shipped sources.
  static let source =
    "zoph-io/MAMIP @ 0387244e53a3 (2026-03-07), updated by iann0036/iam-dataset @ 2073fa52ac00 (2026-08-22)"
}

@Suite struct ManagedPolicyLibraryTests {
  @Test func rebuildingFromTheRepositorysSourcesGivesTheShippedFileByteForByte() throws {
    let build = try ManagedPolicyBuilder.build(from: [Paths.snapshot, Paths.overlay], source: Paths.source)
    let shipped = try Data(contentsOf: Paths.shipped)
    #expect(Data(build.swiftSource.utf8) == shipped, "run `iamsim policies update` (see Benchmarks/README.md)")
    #expect(build.library.info == (try ManagedPolicyLibrary.shipped()).info)
    #expect(build.skipped == ["AWSECRPullThroughCacheServiceRolePolicy: no ARN"])
  }

  @Test(.enabled(if: FileManager.default.fileExists(atPath: Paths.shared.path)))
  func theRepositorysSourcesAreTheSharedDataByteForByte() throws {
    #expect(
      try Data(contentsOf: Paths.snapshot) == Data(contentsOf: Paths.shared.appendingPathComponent("all-aws-managed-policies.json")))
    #expect(
      try Data(contentsOf: Paths.overlay)
        == Data(contentsOf: Paths.shared.appendingPathComponent("newer-versions-from-iam-dataset.json")))
  }

  @Test func everyARNOfBothSnapshotsAnswersWithItsNewestDocument() throws {
    let library = try ManagedPolicyLibrary.shipped()
    #expect(library.info.count == 1570)
    #expect(Set(library.policies.map(\.arn)).count == 1570)
    var expected: [String: (version: String, document: JSONValue)] = [:]
    for url in [Paths.snapshot, Paths.overlay] {
      for record in try JSONReader().read([UInt8](Data(contentsOf: url))).elements ?? [] {
        guard let arn = record["Arn"]?.stringValue, let version = record["VersionId"]?.stringValue,
          let document = record["Document"]
        else { continue }
        expected[arn] = (version, document)
      }
    }
    #expect(expected.count == 1570)
    for (arn, (version, document)) in expected {
      let policy = try #require(library.policy(for: arn), "\(arn)")
      #expect(policy.arn == arn)
      #expect(policy.versionId == version, "\(arn)")
      let stored = try JSONReader().read(try library.document(policy))
      #expect(stored.output.rendered() == document.output.rendered(), "\(arn)")
      #expect(library.policy(for: policy.name) == policy)
    }
    #expect(try library.verify())
  }

  @Test func namesAreFoundIgnoringCaseAndMisspellingsGetTheClosestNames() throws {
    let library = try ManagedPolicyLibrary.shipped()
    #expect(library.policy(for: "amazons3readonlyaccess")?.arn == "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess")
    #expect(library.policy(for: "ViewOnlyAccess")?.path == "/job-function/")
    #expect(library.policy(for: "AmazonS3ReadOnlyAcess") == nil)
    #expect(library.suggestions(for: "AmazonS3ReadOnlyAcess").first == "AmazonS3ReadOnlyAccess")
    #expect(library.suggestions(for: "arn:aws:iam::aws:policy/PowerUserAcces").first == "PowerUserAccess")
    #expect(library.suggestions(for: "Qzxw").isEmpty)
    #expect(library.policies(matching: "*S3*ReadOnly*").map(\.name).contains("AmazonS3ReadOnlyAccess"))
    #expect(library.policies(matching: "job-function/").count == 11)
  }

  @Test func buildsFromAccountAuthorizationDetailsAndFolders() throws {
    let directory = Scratch.root.appendingPathComponent("iamsim-policies-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let details = """
      {"UserDetailList": [], "Policies": [
        {"PolicyName": "Example", "Arn": "arn:aws:iam::aws:policy/service-role/Example", "Path": "/service-role/",
         "DefaultVersionId": "v2", "CreateDate": "2020-01-01T00:00:00Z", "UpdateDate": "2021-01-01T00:00:00Z",
         "PolicyVersionList": [
           {"Document": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:List*", "Resource": "*"}]},
            "VersionId": "v1", "IsDefaultVersion": false},
           {"Document": "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22s3%3AGet%2A%22%2C%22Resource%22%3A%22%2A%22%7D%5D%7D",
            "VersionId": "v2", "IsDefaultVersion": true}]},
        {"PolicyName": "Mine", "Arn": "arn:aws:iam::111122223333:policy/Mine", "DefaultVersionId": "v1",
         "PolicyVersionList": [{"Document": {"Statement": []}, "VersionId": "v1", "IsDefaultVersion": true}]}]}
      """
    try Data(details.utf8).write(to: directory.appendingPathComponent("details.json"))
    let folder = directory.appendingPathComponent("folder")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    try Data(#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]}"#.utf8)
      .write(to: folder.appendingPathComponent("DenyAll.json"))
    let build = try ManagedPolicyBuilder.build(
      from: [directory.appendingPathComponent("details.json"), folder], source: "test")
    #expect(build.library.policies.map(\.arn) == ["arn:aws:iam::aws:policy/DenyAll", "arn:aws:iam::aws:policy/service-role/Example"])
    let example = try #require(build.library.policy(for: "Example"))
    #expect(example.versionId == "v2")
    #expect(String(decoding: try build.library.document(example), as: UTF8.self)
      == #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:Get*","Resource":"*"}]}"#)
    #expect(build.skipped == ["Mine: arn:aws:iam::111122223333:policy/Mine is not an AWS managed policy"])
    #expect(build.library.info.source == "test")
    #expect(try build.library.verify())
    // Deterministic: the same sources give the same file.
    #expect(try ManagedPolicyBuilder.build(from: [directory.appendingPathComponent("details.json"), folder], source: "test")
      .swiftSource == build.swiftSource)
  }
}
