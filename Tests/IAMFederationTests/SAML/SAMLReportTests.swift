import Foundation
import Testing

@testable import IAMFederation

@Suite struct SAMLReportTests {
  let reader = SAMLReader()
  let duringCapture = SAMLAnalysisOptions(now: date("2024-05-01T10:01:00Z"))

  private func report(
    _ builder: SAMLBuilder, _ options: SAMLAnalysisOptions = SAMLAnalysisOptions(now: date("2025-01-01T00:00:00Z"))
  ) throws -> SAMLReport {
    SAMLReport(document: try reader.read(builder.xml), options: options)
  }

  @Test func entraResponseForIAMBuildsTheSession() throws {
    let report = SAMLReport(
      document: try reader.read(Fixtures.bytes("saml/entra-iam-signed.xml")), options: duringCapture)
    #expect(report.destination == .iam)
    #expect(report.wouldSignIn)
    #expect(report.findings.codes == [.signatureNotVerified])
    let session = report.session
    #expect(
      session.offeredRoles.map(\.roleArn) == [
        "arn:aws:iam::111122223333:role/Developers", "arn:aws:iam::111122223333:role/ReadOnly",
      ])
    #expect(session.role?.providerArn == "arn:aws:iam::111122223333:saml-provider/EntraID")
    #expect(session.roleSessionName == "alice@example.com")
    #expect(session.sessionDuration == 28800)
    #expect(session.sourceIdentity == "alice@example.com")
    #expect(
      session.tags == [
        SessionTag(key: "Department", value: "Engineering"), SessionTag(key: "CostCenter", value: "1234"),
      ])
    #expect(session.transitiveTagKeys == ["CostCenter"])
    let qualifier = "fy8ixLr2qXXLyIx/t+JpMtUWw5s="  // Python: base64(sha1(issuer + "111122223333" + "/EntraID"))
    #expect(
      session.sessionContext == [
        ContextEntry("saml:namequalifier", qualifier),
        ContextEntry("saml:sub", "b3BhcXVlLWFsaWNlLWlkZW50aWZpZXI"),
        ContextEntry("saml:sub_type", "persistent"),
        ContextEntry("aws:SourceIdentity", "alice@example.com"),
      ])
    let trust = Dictionary(
      report.session.trustPolicyContext.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
    #expect(trust["saml:aud"]?.values == ["https://signin.aws.amazon.com/saml"])
    #expect(trust["saml:iss"]?.values == ["https://sts.windows.net/72f988bf-86f1-41af-91ab-2d7cd011db47/"])
    #expect(trust["saml:doc"]?.values == ["111122223333/EntraID"])
    #expect(trust["saml:givenName"] == ContextEntry("saml:givenName", values: ["Alice"]))
    #expect(trust["saml:mail"]?.values == ["alice@example.com"])
    #expect(trust["aws:RequestTag/Department"]?.values == ["Engineering"])
    #expect(trust["aws:TagKeys"] == ContextEntry("aws:TagKeys", values: ["Department", "CostCenter"]))
    #expect(trust["sts:TransitiveTagKeys"]?.values == ["CostCenter"])
    #expect(trust["sts:SourceIdentity"]?.values == ["alice@example.com"])
  }

  @Test func chosenRoleAndExplicitProviderDriveTheKeys() throws {
    let document = try reader.read(Fixtures.bytes("saml/entra-iam-signed.xml"))
    let readOnly = SAMLReport(
      document: document,
      options: SAMLAnalysisOptions(now: duringCapture.now, roleArn: "arn:aws:iam::111122223333:role/ReadOnly"))
    #expect(readOnly.session.role?.roleArn == "arn:aws:iam::111122223333:role/ReadOnly")
    let other = SAMLReport(
      document: document,
      options: SAMLAnalysisOptions(now: duringCapture.now, roleArn: "arn:aws:iam::111122223333:role/Admin"))
    #expect(other.findings.with(.roleNotOffered).count == 1)
    #expect(!other.wouldSignIn)
    let explicit = SAMLReport(
      document: document,
      options: SAMLAnalysisOptions(now: duringCapture.now, accountID: "123456789012", providerName: "MySAMLIdP"))
    #expect(explicit.session.trustPolicyContext.first { $0.key == "saml:doc" }?.values == ["123456789012/MySAMLIdP"])
  }

  @Test func savedCapturesGetExpiryNotesNotErrors() throws {
    let report = SAMLReport(
      document: try reader.read(Fixtures.bytes("saml/entra-iam-signed.b64")),
      options: SAMLAnalysisOptions(now: date("2025-06-01T00:00:00Z")))
    #expect(report.wouldSignIn)
    #expect(report.findings.with(.expired).count == 3)
    #expect(report.findings.with(.expired).allSatisfy { $0.severity == .note })
    let early = SAMLReport(document: report.document, options: SAMLAnalysisOptions(now: date("2024-05-01T09:00:00Z")))
    #expect(early.findings.with(.notYetValid).count == 1)
  }

  @Test func identityCenterResponseWithoutRoleHasOnlyNotes() throws {
    let report = SAMLReport(
      document: try reader.read(Fixtures.bytes("saml/entra-identity-center.b64")),
      options: SAMLAnalysisOptions(now: date("2025-01-01T00:00:00Z")))
    #expect(report.destination == .identityCenter)
    #expect(report.wouldSignIn)
    #expect(report.findings.allSatisfy { $0.severity == .note })
    #expect(
      Set(report.findings.codes) == [
        .signatureNotVerified, .expired, .identityCenterRecipient, .samlKeysForIdentityCenter,
      ])
    #expect(
      report.session.tags == [
        SessionTag(key: "Department", value: "Finance"), SessionTag(key: "CostCenter", value: "5678"),
      ])
    #expect(report.session.role == nil)
    #expect(report.session.sessionContext.map(\.key) == ["saml:sub", "saml:sub_type"])
    #expect(report.session.sessionContext.last?.values == ["urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"])
  }

  @Test func unsignedDocumentsStillGetTheSignatureNote() throws {
    let report = try report(SAMLBuilder())
    #expect(report.findings.codes == [.signatureNotVerified])
    #expect(report.findings.first?.message.contains("no xml signature") == true)
  }

  // MARK: IAM attribute rules (F-7)

  @Test func missingRoleUsesAWSWording() throws {
    var builder = SAMLBuilder()
    builder.set("https://aws.amazon.com/SAML/Attributes/Role")
    let finding = try #require(try report(builder).findings.with(.roleMissing).first)
    #expect(finding.severity == .error)
    #expect(finding.awsMessage == "Your request included an invalid SAML response. To logout, click here.")
  }

  @Test(arguments: [
    "arn:aws:iam::111122223333:role/Developers",
    "arn:aws:iam::111122223333:role/A,arn:aws:iam::111122223333:role/B",
    "arn:aws:iam::1111:role/A,arn:aws:iam::1111:saml-provider/P",
    "arn:aws:iam::111122223333:user/A,arn:aws:iam::111122223333:saml-provider/P",
  ])
  func malformedRoleValues(value: String) throws {
    var builder = SAMLBuilder()
    builder.set("https://aws.amazon.com/SAML/Attributes/Role", value)
    let findings = try report(builder).findings
    #expect(findings.with(.roleMalformed).count == 1)
  }

  @Test func roleSessionNameRules() throws {
    var builder = SAMLBuilder()
    builder.set("https://aws.amazon.com/SAML/Attributes/RoleSessionName")
    #expect(
      try report(builder).findings.with(.roleSessionNameMissing).first?.awsMessage
        == "RoleSessionName is required in AuthnResponse")
    for bad in ["a", String(repeating: "x", count: 65), "Alice Example", "alice#1"] {
      builder.set("https://aws.amazon.com/SAML/Attributes/RoleSessionName", bad)
      let finding = try #require(try report(builder).findings.with(.roleSessionNameInvalid).first, "\(bad)")
      #expect(finding.awsMessage == "RoleSessionName in AuthnResponse must match [a-zA-Z_0-9+=,.@-]{2,64}")
    }
    builder.set("https://aws.amazon.com/SAML/Attributes/RoleSessionName", "a@b.c", "d")
    #expect(try report(builder).findings.with(.roleSessionNameInvalid).count == 1)
    builder.set("https://aws.amazon.com/SAML/Attributes/RoleSessionName", "user_1+x=y,z.@-")
    #expect(try report(builder).findings.with(.roleSessionNameInvalid).isEmpty)
  }

  @Test(arguments: [("899", true), ("900", false), ("43200", false), ("43201", true), ("1h", true), ("-900", true)])
  func sessionDurationRange(value: String, invalid: Bool) throws {
    var builder = SAMLBuilder()
    builder.add("https://aws.amazon.com/SAML/Attributes/SessionDuration", value)
    #expect(try report(builder).findings.with(.sessionDurationInvalid).isEmpty == !invalid)
  }

  @Test func sourceIdentityRules() throws {
    var builder = SAMLBuilder()
    builder.add("https://aws.amazon.com/SAML/Attributes/SourceIdentity", "aws:alice")
    let finding = try #require(try report(builder).findings.with(.sourceIdentityInvalid).first)
    #expect(finding.awsMessage == "Source Identity must match [a-zA-Z_0-9+=,.@-]{2,64} and not begin with \"aws:\"")
  }

  @Test func oversizedResponse() throws {
    var builder = SAMLBuilder()
    builder.add("http://example.com/padding", String(repeating: "x", count: 80_000))
    let findings = try report(builder).findings
    #expect(findings.with(.responseTooLarge).first?.message.contains("100000") == true)
  }

  @Test func subjectRules() throws {
    var builder = SAMLBuilder()
    builder.nameID = ""
    #expect(
      try report(builder).findings.with(.subjectMissing).first?.awsMessage
        == "Not authorized to perform sts:AssumeRoleWithSAML")
    let noRecipient = try reader.read(
      """
      <Assertion xmlns="urn:oasis:names:tc:SAML:2.0:assertion"><Subject><NameID>x</NameID><SubjectConfirmation>
      <SubjectConfirmationData NotOnOrAfter="2030-01-01T00:00:00Z"/></SubjectConfirmation></Subject></Assertion>
      """)
    let findings = SAMLReport(document: noRecipient).findings
    #expect(findings.with(.subjectConfirmation).first?.message.contains("Recipient") == true)
    #expect(findings.with(.unknownRecipient).count == 1)
    #expect(findings.with(.nameIDFormatMissing).count == 1)
  }

  @Test func badTimestampsAndAudience() throws {
    var builder = SAMLBuilder()
    builder.notOnOrAfter = "tomorrow"
    builder.audience = "https://example.com/app"
    let findings = try report(builder).findings
    #expect(findings.with(.timestampInvalid).count == 2)
    #expect(findings.with(.audienceMissing).first?.severity == .note)
  }

  // MARK: Session tags (F-6), each rule violated once

  @Test func tooManyTags() throws {
    var builder = SAMLBuilder()
    for index in 0..<51 { builder.tag("Key\(index)", "v") }
    let report = try report(builder)
    #expect(report.findings.with(.tagCount).count == 1)
    #expect(report.session.tags.count == 51)
  }

  @Test func tagKeyAndValueLengths() throws {
    var builder = SAMLBuilder()
    builder.tag(String(repeating: "k", count: 128), "ok")
    builder.tag(String(repeating: "K", count: 129), "v")
    builder.tag("Long", String(repeating: "v", count: 257))
    builder.tag("Empty", "")
    let findings = try report(builder).findings
    #expect(findings.with(.tagKeyLength).count == 1)
    #expect(findings.with(.tagValueLength).count == 1)
    #expect(findings.with(.tagValueLength).first?.awsMessage == "Unable to validate tags")
  }

  @Test func emptyTagKey() throws {
    var builder = SAMLBuilder()
    builder.tag("", "v")
    #expect(try report(builder).findings.with(.tagKeyLength).first?.message == "a session tag key is empty")
  }

  @Test func tagCharacters() throws {
    var builder = SAMLBuilder()
    builder.tag("Department", "R&D")
    builder.tag("Team Name", "Zürich_ops.1 :/=+-@")
    builder.tag("Project#", "x")
    let findings = try report(builder).findings.with(.tagCharacters)
    #expect(findings.count == 2)
    #expect(findings[0].message.contains("U+0026 '&'"))
    #expect(findings[1].subject == "https://aws.amazon.com/SAML/Attributes/PrincipalTag:Project#")
  }

  @Test func reservedPrefix() throws {
    var builder = SAMLBuilder()
    builder.tag("aws:Team", "x")
    builder.tag("Team", "AWS:x")
    #expect(try report(builder).findings.with(.tagReservedPrefix).count == 2)
  }

  @Test func duplicateKeysIgnoringCase() throws {
    var builder = SAMLBuilder()
    builder.tag("Department", "A")
    builder.add("https://aws.amazon.com/SAML/Attributes/AccessControl:department", "B")
    let report = try report(builder)
    #expect(report.findings.with(.tagDuplicateKey).count == 1)
    #expect(report.session.tags == [SessionTag(key: "Department", value: "A")])
  }

  @Test func multiValuedTag() throws {
    var builder = SAMLBuilder()
    builder.tag("Groups", "a", "b")
    let report = try report(builder)
    #expect(report.findings.with(.tagMultiValued).count == 1)
    #expect(report.session.tags.first == SessionTag(key: "Groups", value: "a"))
  }

  @Test func transitiveKeyWithoutTag() throws {
    var builder = SAMLBuilder()
    builder.tag("Project", "x")
    builder.add("https://aws.amazon.com/SAML/Attributes/TransitiveTagKeys", "project", "CostCenter")
    let findings = try report(builder).findings.with(.transitiveTagNotPassed)
    #expect(findings.map(\.subject) == ["CostCenter"])
    #expect(findings.first?.severity == .warning)
  }

  // MARK: Identity Center (S-10, S-11, F-5)

  private var identityCenter: SAMLBuilder {
    var builder = SAMLBuilder()
    builder.recipient = "https://us-east-1.signin.aws/platform/saml/acs/00000000-0000-0000-0000-000000000000"
    builder.nameIDFormat = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"
    builder.attributes = [("https://aws.amazon.com/SAML/Attributes/AccessControl:Department", ["Finance"])]
    return builder
  }

  @Test func identityCenterNameIDRules() throws {
    var builder = identityCenter
    builder.nameIDFormat = "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent"
    builder.nameID = "bob"
    let findings = try report(builder).findings
    #expect(findings.with(.nameIDFormat).first?.awsMessage == "An unexpected error has occurred")
    #expect(findings.with(.nameIDNotEmail).count == 1)
    #expect(findings.with(.roleMissing).isEmpty)
  }

  @Test func guestUPNsAreFlagged() throws {
    var builder = identityCenter
    builder.nameID = "bob_contoso.com#EXT#@fabrikam.onmicrosoft.com"
    let findings = try report(builder).findings
    #expect(findings.with(.guestNameID).first?.rule == "S-10")
    #expect(findings.with(.nameIDNotEmail).isEmpty)
  }

  /// Identity Center troubleshooting, "Error 'An unexpected error has occurred' when a user tries to sign in using
  /// an external identity provider": "The following statements apply if Attributes for access control is enabled
  /// … The SAML request must not contain multi-valued attributes. The SAML request must not contain multiple
  /// attributes with the same name." A failure AWS documents makes the verdict "no".
  @Test func accessControlAttributeShapes() throws {
    var builder = identityCenter
    builder.add("http://schemas.microsoft.com/ws/2008/06/identity/claims/groups", "g1", "g2")
    builder.add("http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name", "bob@example.com")
    builder.add("http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name", "bob@example.com")
    let report = try report(builder)
    let multiValued = try #require(report.findings.with(.abacMultiValued).first)
    #expect(multiValued.severity == .error)
    #expect(multiValued.awsMessage == "An unexpected error has occurred")
    #expect(report.findings.with(.abacDuplicateName).count == 1)
    #expect(report.findings.with(.contextKeyCollision).count == 1)
    #expect(report.verdict == .no)
    #expect(!report.wouldSignIn)
  }

  @Test func multiValuedAttributeAloneMakesTheVerdictNo() throws {
    var builder = identityCenter
    builder.add("http://schemas.microsoft.com/claims/authnmethodsreferences", "pwd", "mfa")
    let report = try report(builder)
    #expect(report.findings.filter { $0.severity == .error }.codes == [.abacMultiValued])
    #expect(report.text.contains("would sign in: no (1 error below)"))
  }

  /// Every finding whose code AWS documents as a sign-in failure is an error, so it makes the verdict "no".
  @Test func documentedFailuresAreErrors() {
    let failures: [FindingCode] = [
      .roleMissing, .roleMalformed, .roleNotOffered, .roleSessionNameMissing, .roleSessionNameInvalid,
      .sourceIdentityInvalid, .subjectMissing, .subjectConfirmation, .unknownRecipient, .destinationMismatch,
      .binding, .nameIDFormat, .nameIDNotEmail, .abacMultiValued, .abacDuplicateName, .abacStructuredValue,
      .abacNameFormat, .tagCount, .tagKeyLength, .tagValueLength, .tagCharacters, .tagReservedPrefix,
      .tagMultiValued, .responseTooLarge, .multipleAssertions,
    ]
    for code in failures { #expect(code.defaultSeverity == .error, "\(code)") }
  }

  // MARK: Destinations

  /// SAML 2.0 bindings §3.5.5.2 (the receiver verifies that `Destination` "matches the location at which the
  /// message has been received") and profiles §4.1.4.3 (`Recipient` "matches the assertion consumer service URL to
  /// which the <Response> … was delivered"): one response, one URL.
  @Test func destinationAndRecipientMustAgree() throws {
    let xml = SAMLBuilder().xml.replacingOccurrences(
      of: "<samlp:Response ", with: "<samlp:Response Destination=\"https://eu-west-1.signin.aws.amazon.com/saml\" ")
    let report = SAMLReport(
      document: try reader.read(xml), options: SAMLAnalysisOptions(now: date("2025-01-01T00:00:00Z")))
    #expect(report.destination == .iam)
    #expect(report.findings.with(.destinationMismatch).count == 1)
    #expect(!report.wouldSignIn)
  }

  @Test func aResponseForAnotherServiceIsNotAddressedToAWSEvenWithAWSAttributes() throws {
    var builder = SAMLBuilder()
    builder.recipient = "https://sp.example.com/saml/acs"
    let report = try report(builder)
    #expect(report.destination == .other)
    #expect(report.findings.with(.unknownRecipient).first?.severity == .error)
    #expect(report.verdict == .no)
  }

  /// Identity Center troubleshooting: "This error can also occur when the Assertion Consumer Service (ACS) endpoint
  /// configured in your identity provider does not match the ACS URL provided by your AWS SSO instance. Ensure that
  /// these two values match exactly."
  @Test func acsURLMustMatchExactlyWhenGiven() throws {
    let builder = identityCenter
    let mine = SAMLAnalysisOptions(
      now: date("2025-01-01T00:00:00Z"),
      acsURL: "https://us-east-1.signin.aws/platform/saml/acs/00000000-0000-0000-0000-000000000000")
    #expect(SAMLReport(document: try reader.read(builder.xml), options: mine).wouldSignIn)
    let other = SAMLAnalysisOptions(
      now: date("2025-01-01T00:00:00Z"),
      acsURL: "https://us-east-1.signin.aws/platform/saml/acs/11111111-1111-1111-1111-111111111111")
    let report = SAMLReport(document: try reader.read(builder.xml), options: other)
    let finding = try #require(report.findings.with(.destinationMismatch).first)
    #expect(finding.awsMessage == "An unexpected error has occurred")
    #expect(!report.wouldSignIn)
    let unchecked = try self.report(builder)
    #expect(unchecked.findings.with(.identityCenterRecipient).first?.message.contains("--acs-url") == true)
  }

  // MARK: Where AWS documents nothing, iamsim fails closed

  @Test func warningsMakeTheVerdictUndetermined() throws {
    var builder = SAMLBuilder()
    builder.tag("Project", "x")
    builder.add("https://aws.amazon.com/SAML/Attributes/TransitiveTagKeys", "CostCenter")
    let report = try report(builder)
    #expect(report.verdict == .undetermined)
    #expect(!report.wouldSignIn)
    #expect(report.text.contains("would sign in: cannot tell (1 warning below"))
  }

  @Test func whitespaceAroundAnAWSAttributeIsUndetermined() throws {
    let xml = SAMLBuilder().xml.replacingOccurrences(
      of: "<saml2:AttributeValue>alice@example.com</saml2:AttributeValue>",
      with: "<saml2:AttributeValue>\n  alice@example.com\n</saml2:AttributeValue>")
    let report = SAMLReport(
      document: try reader.read(xml), options: SAMLAnalysisOptions(now: date("2025-01-01T00:00:00Z")))
    #expect(report.findings.with(.valueWhitespace).first?.severity == .warning)
    #expect(report.verdict == .undetermined)
  }

  @Test func structuredValuesAndNameFormats() throws {
    let xml = """
      <Assertion xmlns="urn:oasis:names:tc:SAML:2.0:assertion"><Subject><NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">bob@example.com</NameID>
      <SubjectConfirmation><SubjectConfirmationData NotOnOrAfter="2030-01-01T00:00:00Z" Recipient="https://eu-west-1.signin.aws.amazon.com/platform/saml/acs/x"/></SubjectConfirmation></Subject>
      <AttributeStatement><Attribute Name="https://aws.amazon.com/SAML/Attributes/AccessControl:Team" NameFormat="urn:example:generic"><AttributeValue>a</AttributeValue></Attribute>
      <Attribute Name="x"><AttributeValue><b xmlns="urn:b">c</b></AttributeValue></Attribute></AttributeStatement></Assertion>
      """
    let findings = SAMLReport(
      document: try reader.read(xml), options: SAMLAnalysisOptions(now: date("2025-01-01T00:00:00Z"))
    ).findings
    #expect(findings.with(.abacNameFormat).count == 1)
    #expect(findings.with(.abacStructuredValue).count == 1)
  }

  @Test func findingsAreOrderedBySeverity() throws {
    var builder = SAMLBuilder()
    builder.tag("Dept", "R&D")
    builder.add("https://aws.amazon.com/SAML/Attributes/TransitiveTagKeys", "Other")
    let severities = try report(builder).findings.map(\.severity)
    #expect(
      severities
        == severities.sorted {
          Finding.Severity.allCases.firstIndex(of: $0)! < Finding.Severity.allCases.firstIndex(of: $1)!
        })
    #expect(severities.first == .error && severities.last == .note)
  }
}
