import IAMCatalog
import Testing

/// Expansion of `Action` and `NotAction` patterns against the shipped catalog.
@Suite struct ExpansionTests {
  let catalog: Catalog

  init() throws {
    catalog = try Catalog.bundled()
  }

  @Test func getStarEqualsABruteForceFilter() {
    let expanded = catalog.actions(matching: "s3:Get*")
    let bruteForce = catalog.actions.filter { $0.servicePrefix == "s3" && $0.name.lowercased().hasPrefix("get") }
    #expect(expanded == bruteForce)
    #expect(expanded.count == 63)
    #expect(expanded.contains { $0.qualifiedName == "s3:GetObject" })
  }

  @Test func infixWildcardsEqualABruteForceFilter() {
    let expanded = catalog.actions(matching: "iam:*AccessKey*")
    let bruteForce = catalog.actions.filter { $0.servicePrefix == "iam" && $0.name.lowercased().contains("accesskey") }
    #expect(expanded == bruteForce)
    #expect(!expanded.isEmpty)
    let single = catalog.actions(matching: "ec2:Describe?pcs")
    #expect(single.map(\.qualifiedName) == ["ec2:DescribeVpcs"])
  }

  @Test func patternsIgnoreCase() {
    #expect(catalog.actions(matching: "S3:gEt*") == catalog.actions(matching: "s3:Get*"))
    #expect(catalog.actions(matching: "S3:GETOBJECT").map(\.qualifiedName) == ["s3:GetObject"])
  }

  @Test func starIsEveryActionAndServiceStarIsTheService() throws {
    #expect(catalog.actions(matching: "*").count == 21_788)
    let s3 = try #require(catalog.service(prefix: "s3"))
    #expect(catalog.actions(matching: "s3:*") == s3.actions)
    #expect(s3.actions.count == 180)
  }

  @Test(arguments: ["s3", "s3*:Get*", "*:GetObject", "nosuchservice:*", "s3:NoSuchAction", ""])
  func patternsWithoutAnExactKnownPrefixMatchNothing(pattern: String) {
    #expect(catalog.actions(matching: pattern).isEmpty)
  }

  @Test func aListMatchesTheUnionInCatalogOrder() {
    let patterns = ["sqs:*", "s3:Get*", "s3:GetObject", "iam:PassRole"]
    let expanded = catalog.actions(matchingAnyOf: patterns)
    let union = Set(patterns.flatMap { catalog.actions(matching: $0) })
    #expect(Set(expanded) == union)
    #expect(expanded.count == union.count)
    #expect(expanded == catalog.actions.filter { union.contains($0) })
  }

  @Test func notActionIsTheComplement() {
    let patterns = ["s3:*", "iam:*", "ec2:Describe*"]
    let matched = catalog.actions(matchingAnyOf: patterns)
    let others = catalog.actions(matchingNoneOf: patterns)
    let matchedSet = Set(matched)
    #expect(matched.count + others.count == 21_788)
    #expect(matchedSet.isDisjoint(with: others))
    #expect(others == catalog.actions.filter { !matchedSet.contains($0) })
    #expect(!others.contains { $0.servicePrefix == "s3" || $0.servicePrefix == "iam" })
  }

  @Test func notActionEdgeCases() {
    #expect(catalog.actions(matchingNoneOf: ["*"]).isEmpty)
    #expect(catalog.actions(matchingNoneOf: [String]()).count == 21_788)
    #expect(catalog.actions(matchingAnyOf: [String]()).isEmpty)
  }
}
