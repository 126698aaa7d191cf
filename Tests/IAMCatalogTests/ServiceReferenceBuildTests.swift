import Foundation
import IAMCatalog
import Testing

/// Building from AWS's service reference format: single files, arrays of services and directories.
@Suite struct ServiceReferenceBuildTests {
  let sqsFile = TestPaths.serviceReferenceDirectory.appendingPathComponent("sqs.json")

  @Test func buildsASingleServiceFile() throws {
    let build = try CatalogBuilder.build(from: sqsFile)
    #expect(build.format == .serviceReference)
    #expect(build.files == [sqsFile.path])
    let catalog = build.catalog
    #expect(catalog.metadata.source == "AWS service reference: sqs.json")
    #expect(catalog.metadata.commit == nil)
    #expect(catalog.metadata.serviceCount == 1)
    #expect(catalog.metadata.actionCount == 5)
    #expect(catalog.metadata.resourceTypeCount == 1)
    #expect(catalog.metadata.conditionKeyCount == 3)
    let sqs = try #require(catalog.service(prefix: "sqs"))
    #expect(sqs.name == "sqs")
    #expect(sqs.actions.map(\.name) == ["AddPermission", "CreateQueue", "GetQueueAttributes", "ListQueues", "TagQueue"])
    #expect(sqs.conditionKeys.map(\.name) == ["aws:RequestTag/${TagKey}", "aws:ResourceTag/${TagKey}", "aws:TagKeys"])
    #expect(sqs.conditionKey(named: "aws:TagKeys")?.types == ["ArrayOfString"])
    let queue = try #require(sqs.resourceType(named: "queue"))
    #expect(queue.arnPatterns == ["arn:${Partition}:sqs:${Region}:${Account}:${QueueName}"])
    #expect(queue.conditionKeys == ["aws:ResourceTag/${TagKey}"])
  }

  @Test(arguments: [
    ("sqs:AddPermission", AccessLevel.permissionsManagement, "Permissions management, Write"),
    ("sqs:TagQueue", .tagging, "Tagging, Write"),
    ("sqs:CreateQueue", .write, "Write"),
    ("sqs:ListQueues", .list, "List"),
    ("sqs:GetQueueAttributes", .read, "Read"),
  ])
  func derivesAccessLevelsFromAWSFlags(name: String, level: AccessLevel, text: String) throws {
    let action = try #require(try CatalogBuilder.build(from: sqsFile).catalog.action(named: name))
    #expect(action.accessLevel == level)
    #expect(action.accessLevelText == text)
  }

  @Test func readsActionResourcesAndConditionKeys() throws {
    let catalog = try CatalogBuilder.build(from: sqsFile).catalog
    let create = try #require(catalog.action(named: "sqs:createqueue"))
    #expect(create.conditionKeys == ["aws:RequestTag/${TagKey}", "aws:TagKeys"])
    #expect(create.resourceTypes.map(\.name) == ["queue"])
    #expect(create.resourceTypes.first?.isRequired == nil)
    #expect(create.resourceTypes.first?.arnPatterns == ["arn:${Partition}:sqs:${Region}:${Account}:${QueueName}"])
    #expect(catalog.action(named: "sqs:ListQueues")?.resourceTypes.isEmpty == true)
  }

  @Test func buildsADirectoryAndAnArrayToTheSameServices() throws {
    let fromDirectory = try CatalogBuilder.build(from: TestPaths.serviceReferenceDirectory)
    #expect(fromDirectory.files.map { URL(fileURLWithPath: $0).lastPathComponent } == ["lambda.json", "sqs.json"])
    #expect(fromDirectory.catalog.services.map(\.prefix) == ["lambda", "sqs"])
    let lambda = try String(contentsOf: TestPaths.serviceReferenceDirectory.appendingPathComponent("lambda.json"), encoding: .utf8)
    let sqs = try String(contentsOf: sqsFile, encoding: .utf8)
    let fromArray = try build("[\(sqs),\(lambda)]", named: "services.json")
    #expect(fromArray.catalog.services == fromDirectory.catalog.services)
    #expect(fromArray.catalog.metadata.source == "AWS service reference: services.json")
    let invoke = try #require(fromArray.catalog.action(named: "lambda:InvokeFunction"))
    #expect(invoke.resourceTypes.map(\.name) == ["function", "function alias", "function version"])
  }

  @Test func namesWithSpacesAndEscapesRoundTrip() throws {
    let build = try build(
      #"{"Name":"odd","Actions":[{"Name":"Do\tIt","ActionConditionKeys":["odd:key with space","odd:back\\slash"],"Resources":[{"Name":"thing one"}]}],"Resources":[{"Name":"thing one","ARNFormats":["arn:${Partition}:odd:::a b\nc"]}],"ConditionKeys":[{"Name":"odd:key with space","Types":["String","Array Of String"]}]}"#
    )
    let text = String(decoding: build.compactForm, as: UTF8.self)
    #expect(text.contains("A\tDo\\tIt\tRead\todd:key\\swith\\sspace odd:back\\\\slash\n"))
    let action = try #require(build.catalog.action(named: "odd:do\tit"))
    #expect(action.conditionKeys == ["odd:key with space", "odd:back\\slash"])
    #expect(action.resourceTypes.first?.arnPatterns == ["arn:${Partition}:odd:::a b\nc"])
    #expect(build.catalog.service(prefix: "odd")?.conditionKeys.first?.types == ["String", "Array Of String"])
    let reloaded = try Catalog(compactForm: build.compactForm)
    #expect(reloaded == build.catalog)
  }
}
