import Testing

@testable import IAMFederation

@Suite struct ABACTests {
  private func store() throws -> IdentityStore {
    let inputs = try ["scim/list-users.json", "scim/entra-create-user.json"].map {
      SCIMInput(name: $0, bytes: try Fixtures.bytes($0))
    }
    return try SCIMValidator().validate(inputs).store
  }

  private func configuration() throws -> AccessControlConfiguration {
    try AccessControlConfiguration(json: Fixtures.bytes("scim/access-control-attributes.json"), file: "abac.json")
  }

  @Test func readsTheConfigurationShapes() throws {
    #expect(try configuration().attributes.map(\.key) == ["CostCenter", "Department", "Division", "Email"])
    let short = try AccessControlConfiguration(json: Array(#"{"Team": "${path:enterprise.department}"}"#.utf8))
    #expect(short.attributes == [AccessControlAttribute(key: "Team", sources: ["${path:enterprise.department}"])])
    let bare = try AccessControlConfiguration(
      json: Array(#"[{"Key": "A", "Value": {"Source": ["${path:title}"]}}]"#.utf8))
    #expect(bare.attributes.first?.sources == ["${path:title}"])
    #expect { try AccessControlConfiguration(json: Array(#"[{"Value": {}}]"#.utf8), file: "x.json") } throws: { error in
      (error as? JSONInputError)?.jsonPath?.description == "$[0]"
    }
  }

  @Test func identityStoreValuesBecomeTags() throws {
    let resolution = try configuration().resolve(for: try store().user(named: "jane@example.com"))
    #expect(
      resolution.tags == [
        SessionTag(key: "CostCenter", value: "5678"), SessionTag(key: "Department", value: "Finance"),
        SessionTag(key: "Email", value: "jane@example.com"),
      ])
    #expect(resolution.findings.codes == [.abacSourceEmpty], "division is empty, so there is no Division tag")
    #expect(resolution.wouldSignIn)
  }

  @Test func configuredKeysWinOverSAMLWithAWarning() throws {
    let saml = [SessionTag(key: "department", value: "Sales"), SessionTag(key: "Project", value: "Apollo")]
    let resolution = try configuration().resolve(
      for: try store().user(named: "alice@example.com"), samlAttributes: saml)
    #expect(
      resolution.tags == [
        SessionTag(key: "CostCenter", value: "1234"), SessionTag(key: "Department", value: "Engineering"),
        SessionTag(key: "Email", value: "alice@example.com"), SessionTag(key: "Project", value: "Apollo"),
      ])
    let warning = try #require(resolution.findings.with(.abacBothSources).first)
    #expect(warning.severity == .warning)
    #expect(warning.rule == "D-9")
    #expect(warning.message.contains("\"Engineering\"") && warning.message.contains("\"Sales\""))
  }

  @Test func emptyConfiguredSourceMeansNoTagEvenWhenSAMLSendsOne() throws {
    let saml = [SessionTag(key: "Division", value: "Cloud")]
    let resolution = try configuration().resolve(for: try store().user(named: "bob@example.com"), samlAttributes: saml)
    #expect(!resolution.tags.contains { $0.key == "Division" })
    #expect(resolution.findings.with(.abacBothSources).count == 1)
  }

  @Test func samlOnlyKeysAndAMissingUser() throws {
    let document = try SAMLReader().read(Fixtures.bytes("saml/entra-identity-center.xml"))
    let resolution = AccessControlConfiguration(attributes: []).resolve(
      for: nil, samlAttributes: document.accessControlTags)
    #expect(
      resolution.tags == [
        SessionTag(key: "Department", value: "Finance"), SessionTag(key: "CostCenter", value: "5678"),
      ])
    #expect(resolution.findings.isEmpty)
    let configured = try configuration().resolve(for: nil)
    #expect(configured.tags.isEmpty)
    #expect(configured.findings.codes == [.abacUserNotFound])
  }

  @Test func illegalValuesFailSignIn() throws {
    let user = IdentityStoreUser(userName: "x@example.com", attributes: ["enterprise.department": "R&D"])
    let resolution = AccessControlConfiguration(attributes: [
      AccessControlAttribute(key: "Department", sources: ["${path:enterprise.department}"])
    ])
    .resolve(for: user)
    #expect(!resolution.wouldSignIn)
    #expect(resolution.findings.first?.code == .tagCharacters)
    #expect(resolution.findings.first?.message.hasSuffix("sign-in would fail") == true)
  }

  @Test func unsupportedSourcesAndSourcePrecedence() throws {
    let user = IdentityStoreUser(userName: "x@example.com", attributes: ["title": "Boss"])
    let configuration = AccessControlConfiguration(attributes: [
      AccessControlAttribute(key: "Level", sources: ["${path:enterprise.division}", "${path:TITLE}"]),
      AccessControlAttribute(key: "Desk", sources: ["${dir:physicalDeliveryOfficeName}"]),
    ])
    let resolution = configuration.resolve(for: user)
    #expect(resolution.tags == [SessionTag(key: "Level", value: "Boss")])
    #expect(resolution.findings.codes == [.abacUnsupportedSource])
    #expect(AttributePath.path(inSource: "${path:emails[primary eq true].value}") == "emails[primary eq true].value")
    #expect(AttributePath.supported.count == 23)
  }
}
