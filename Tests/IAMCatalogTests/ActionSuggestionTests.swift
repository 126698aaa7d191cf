import IAMCatalog
import IAMPolicy
import Testing

/// Names that do not exist are said to not exist, with the closest real ones (issue 12, part 3).
@Suite struct ActionSuggestionTests {
  let catalog: Catalog

  init() throws {
    catalog = try Catalog.bundled()
  }

  @Test func aKnownActionHasNoFindingWhateverItsCase() {
    #expect(catalog.unknownAction("s3:DeleteBucket") == nil)
    #expect(catalog.unknownAction("S3:deletebucket") == nil)
    #expect(catalog.suggestions(forAction: "s3:DeleteBucket").isEmpty)
  }

  @Test func aSlipWithinAServiceSuggestsTheClosestActions() throws {
    #expect(catalog.suggestions(forAction: "s3:DeleteBuckets") == ["s3:DeleteBucket"])
    #expect(catalog.suggestions(forAction: "ec2:DescribeInstance").first == "ec2:DescribeInstances")
    // A swap of neighbouring letters is one edit.
    #expect(catalog.suggestions(forAction: "s3:GetObejct").first == "s3:GetObject")
    #expect(catalog.suggestions(forAction: "rds:createdbinstanse").first == "rds:CreateDBInstance")
    let unknown = try #require(catalog.unknownAction("s3:DeleteBuckets"))
    #expect(unknown.serviceExists)
    #expect(unknown.dataDate == "2026-08-21")
    #expect(unknown.message
      == "`s3:DeleteBuckets` is not an action of the AWS service authorization catalog (data of 2026-08-21); did you mean `s3:DeleteBucket`?")
  }

  @Test func anUnknownPrefixSuggestsTheClosestServices() throws {
    #expect(catalog.suggestions(forAction: "s4:GetObject") == ["s3:GetObject"])
    let foo = try #require(catalog.unknownAction("foo:bar"))
    #expect(!foo.serviceExists)
    #expect(!foo.suggestions.isEmpty)
    #expect(foo.suggestions.allSatisfy { catalog.service(prefix: $0) != nil })
    #expect(foo.message.contains("no service has the prefix `foo`"))
    #expect(foo.message.contains("did you mean"))
  }

  @Test func nothingCloseSaysHowToListTheServicesActions() throws {
    let unknown = try #require(catalog.unknownAction("s3:Zzzzzzzzzzzzz"))
    #expect(unknown.suggestions.isEmpty)
    #expect(unknown.message.contains("`iamsim expand 's3:*'`"))
    #expect(catalog.unknownAction("someservice:SomeAction")?.serviceExists == false)
    #expect(catalog.unknownAction("s3:Get*") != nil)
    #expect(catalog.unknownAction("") != nil)
    #expect(catalog.unknownAction(":") != nil)
  }

  @Test func suggestionsAreRealActionsClosestFirst() {
    for name in ["iam:PasRole", "lambda:InvokeFunctions", "dynamodb:PutItems", "kms:Decryp", "sts:AssumeRoles"] {
      let suggestions = catalog.suggestions(forAction: name)
      #expect(!suggestions.isEmpty, "\(name)")
      #expect(suggestions.count <= 3)
      #expect(suggestions.allSatisfy { catalog.action(named: $0) != nil }, "\(name): \(suggestions)")
    }
  }

  @Test func theDiagnosticCarriesItsCodeSeverityAndPlace() throws {
    let unknown = try #require(catalog.unknownAction("s3:DeleteBuckets"))
    let diagnostic = unknown.diagnostic(.error, file: "a.json", path: JSONPath.root.appending("requests").appending(0).appending("action"),
                                        position: SourcePosition(line: 3, column: 17))
    #expect(diagnostic.code.rawValue == "request.unknown-action")
    #expect(diagnostic.formatted.hasPrefix("a.json:3:17: error: `s3:DeleteBuckets` is not an action"))
    #expect(diagnostic.formatted.hasSuffix("(at $.requests[0].action)"))
    #expect(unknown.diagnostic().severity == .warning)
  }

  @Test func hasActionAgreesWithActionNamed() {
    for name in ["s3:GetObject", "S3:GETOBJECT", "s3:getobject", "s3:GetObjects", "S4:GetObject", "s3", "s3:", ":GetObject", "",
                 "rds:CreateDBInstance", "ec2:describeinstances", "foo:bar", "s3:Get*", "é:é"] {
      #expect(catalog.hasAction(name) == (catalog.action(named: name) != nil), "\(name)")
    }
    for action in catalog.actions.prefix(2_000) { #expect(catalog.hasAction(action.qualifiedName.uppercased())) }
  }

  @Test func theCheckerRemembersEachName() {
    let checker = ActionNameChecker(catalog: catalog)
    for _ in 0..<3 {
      #expect(checker.check("s3:DeleteBuckets")?.suggestions == ["s3:DeleteBucket"])
      #expect(checker.check("s3:DeleteBucket") == nil)
    }
  }
}
