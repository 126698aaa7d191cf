import IAMPolicy
import Testing

@testable import IAMFederation

/// The text and JSON a CLI prints.
@Suite struct OutputTests {
  private func samlReport() throws -> SAMLReport {
    SAMLReport(
      document: try SAMLReader().read(Fixtures.bytes("saml/entra-iam-signed.xml")),
      options: SAMLAnalysisOptions(now: date("2025-01-01T00:00:00Z")))
  }

  @Test func samlReportText() throws {
    let lines = try samlReport().text.split(separator: "\n").map(String.init)
    #expect(lines.first == "destination: iam (https://signin.aws.amazon.com/saml)")
    #expect(lines.contains("would sign in: yes, while it was valid (it is not now: see the notes)"))
    #expect(lines.contains("  CostCenter = 1234 (transitive)"))
    #expect(lines.contains("  aws:TagKeys = [Department, CostCenter]"))
    #expect(
      lines.contains(
        "  32:9: note F-7 saml-expired: SubjectConfirmationData NotOnOrAfter 2024-05-01T10:05:00.120Z has passed; aws would refuse the response today (normal for a saved capture)"
      ))
  }

  @Test func samlReportJSONIsValidAndComplete() throws {
    let rendered = try samlReport().jsonOutput.rendered(pretty: true)
    let json = try JSONReader().read(rendered)
    #expect(json["wouldSignIn"]?.kind == .bool(true))
    #expect(json["verdict"]?.stringValue == "yes")
    #expect(json["session"]?["tags"]?.elements?.first?["key"]?.stringValue == "Department")
    #expect(
      json["session"]?["sessionContext"]?.elements?.map { $0["key"]?.stringValue } == [
        "saml:namequalifier", "saml:sub", "saml:sub_type", "aws:SourceIdentity",
      ])
    let finding = try #require(json["findings"]?.elements?[1])
    #expect(finding["code"]?.stringValue == "saml-expired")
    #expect(finding["line"]?.kind == .number("32"))
    #expect(
      try samlReport().jsonOutput.rendered() == (try samlReport()).jsonOutput.rendered(), "output is deterministic")
  }

  @Test func scimReportTextAndJSON() throws {
    let report = try SCIMValidator().validate([
      SCIMInput(name: "batch.json", bytes: try Fixtures.bytes("scim/entra-batch.json"))
    ])
    let lines = report.text.split(separator: "\n").map(String.init)
    #expect(lines[0] == "batch.json:2:3 $[0] user carol@example.com: would not provision")
    #expect(
      lines[1]
        == "  batch.json:10:21: error S-2 scim-multiple-values carol@example.com /phoneNumbers: phoneNumbers has 2 elements; identity center accepts at most one (aws: \"Currently list attributes only allow single item\")"
    )
    #expect(lines.last == "3 would provision, 1 would not")
    let json = try JSONReader().read(report.jsonOutput.rendered())
    #expect(json["wouldProvisionAll"]?.kind == .bool(false))
    #expect(
      json["payloads"]?.elements?.map { $0["kind"]?.stringValue } == ["user", "group", "group-patch", "user-patch"])
    #expect(
      json["payloads"]?.elements?.first?["findings"]?.elements?.first?["jsonPointer"]?.stringValue == "/phoneNumbers")
  }

  @Test func abacResolutionOutput() throws {
    let user = IdentityStoreUser(userName: "x@example.com", attributes: ["enterprise.costCenter": "1234"])
    let configuration = AccessControlConfiguration(attributes: [
      AccessControlAttribute(key: "CostCenter", sources: ["${path:enterprise.costCenter}"])
    ])
    let resolution = configuration.resolve(for: user, samlAttributes: [SessionTag(key: "CostCenter", value: "9")])
    #expect(
      resolution.text.hasPrefix(
        "session tags:\n  CostCenter = 1234\nfindings:\n  warning D-9 abac-both-sources CostCenter: "))
    let json = try JSONReader().read(resolution.jsonOutput.rendered())
    #expect(json["tags"]?.elements?.first?["value"]?.stringValue == "1234")
  }

  @Test func everyCodeHasARuleAndEveryFindingIsOneLine() throws {
    for code in FindingCode.allCases {
      #expect(code.rule.hasPrefix("F-") || code.rule.hasPrefix("S-") || code.rule.hasPrefix("D-"), "\(code)")
    }
    let report = try SCIMValidator().validate([
      SCIMInput(name: "batch.json", bytes: try Fixtures.bytes("scim/entra-batch.json"))
    ])
    for finding in try samlReport().findings + report.payloads.flatMap(\.findings) {
      #expect(!finding.text.contains("\n"))
    }
  }
}
