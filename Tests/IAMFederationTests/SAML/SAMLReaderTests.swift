import Foundation
import IAMPolicy
import Testing

@testable import IAMFederation

@Suite struct SAMLReaderTests {
  let reader = SAMLReader()

  @Test func readsEntraResponseWithSAML2PrefixesAndSignature() throws {
    let document = try reader.read(Fixtures.bytes("saml/entra-iam-signed.xml"))
    #expect(document.form == .xml)
    #expect(document.isResponse)
    #expect(document.hasSignature)
    #expect(document.statusCode == "urn:oasis:names:tc:SAML:2.0:status:Success")
    #expect(document.issuer == "https://sts.windows.net/72f988bf-86f1-41af-91ab-2d7cd011db47/")
    #expect(document.nameID?.value == "b3BhcXVlLWFsaWNlLWlkZW50aWZpZXI")
    #expect(document.nameID?.format == "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent")
    #expect(document.audiences == ["https://signin.aws.amazon.com/saml"])
    #expect(document.subjectConfirmations.count == 1)
    #expect(document.subjectConfirmations.first?.recipient == "https://signin.aws.amazon.com/saml")
    let confirmationEnd = try #require(document.subjectConfirmations.first?.notOnOrAfter?.date)
    #expect(abs(confirmationEnd.timeIntervalSince(date("2024-05-01T10:05:00Z")) - 0.12) < 0.001)
    #expect(document.notBefore?.text == "2024-05-01T09:55:00.120Z")
    let conditionsEnd = try #require(document.notOnOrAfter?.date)
    #expect(abs(conditionsEnd.timeIntervalSince(date("2024-05-01T11:00:00Z")) - 0.12) < 0.001)
    #expect(document.sessionNotOnOrAfter?.date == date("2024-05-01T18:00:00Z"))
    #expect(document.attributes.count == 12)
    let amr = try #require(
      document.attributes(named: "http://schemas.microsoft.com/claims/authnmethodsreferences").first)
    #expect(amr.values.count == 2)
    #expect(
      document.attributes(named: "https://aws.amazon.com/SAML/Attributes/role").isEmpty, "names are case-sensitive")
  }

  @Test func readsDefaultNamespaceAssertionAsEntraSendsIt() throws {
    let document = try reader.read(Fixtures.bytes("saml/entra-identity-center.xml"))
    #expect(document.nameID?.value == "bob@example.com")
    #expect(document.hasSignature)
    #expect(
      document.recipient
        == "https://eu-west-1.signin.aws.amazon.com/platform/saml/acs/3a1f9c2e-7b4d-4e8a-9c6f-2d1e0b9a8c7d")
    #expect(
      document.attributes(named: "https://aws.amazon.com/SAML/Attributes/AccessControl:Department").first?.values == [
        "Finance"
      ])
    #expect(document.sessionNotOnOrAfter == nil)
  }

  @Test func readsBase64WithLineBreaksAndFormPostCaptures() throws {
    let xml = try reader.read(Fixtures.bytes("saml/entra-iam-signed.xml"))
    let base64 = try reader.read(Fixtures.bytes("saml/entra-iam-signed.b64"))
    let form = try reader.read(Fixtures.bytes("saml/entra-iam-form-post.txt"))
    #expect(base64.form == .base64)
    #expect(form.form == .urlEncoded)
    #expect(base64.base64Length == 7388)
    #expect(form.base64Length == 7388)
    #expect(xml.base64Length == 7388, "computed from the xml's size")
    #expect(base64.attributes == xml.attributes)
    #expect(form.nameID == xml.nameID)
  }

  @Test func readsABareAssertion() throws {
    let document = try reader.read(
      """
      <saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion"><saml:Issuer>idp</saml:Issuer>
      <saml:Subject><saml:NameID>x@example.com</saml:NameID></saml:Subject></saml:Assertion>
      """)
    #expect(!document.isResponse)
    #expect(document.assertionCount == 1)
    #expect(document.issuer == "idp")
  }

  @Test func trimsValuesAndFlagsStructuredOnes() throws {
    let document = try reader.read(
      """
      <Assertion xmlns="urn:oasis:names:tc:SAML:2.0:assertion"><AttributeStatement>
      <Attribute Name="a"><AttributeValue>
          blue
      </AttributeValue></Attribute>
      <Attribute Name="b"><AttributeValue><x:y xmlns:x="urn:x">z</x:y></AttributeValue></Attribute>
      <Attribute Name="c"><AttributeValue><![CDATA[R&D]]></AttributeValue></Attribute>
      </AttributeStatement></Assertion>
      """)
    #expect(document.attributes[0].values == ["blue"])
    #expect(document.attributes[0].hadSurroundingWhitespace)
    #expect(document.attributes[1].hasStructuredValue)
    #expect(document.attributes[2].values == ["R&D"])
  }

  @Test(arguments: [
    ("saml/truncated.b64", SAMLReadError.Kind.invalidBase64, "cut short"),
    ("saml/entra-iam-signed.xml", nil, ""),
  ])
  func truncatedBase64IsAnError(file: String, kind: SAMLReadError.Kind?, message: String) throws {
    let bytes = try Fixtures.bytes(file)
    if let kind {
      #expect { try reader.read(bytes) } throws: { error in
        let error = error as? SAMLReadError
        return error?.kind == kind && error?.message.contains(message) == true
      }
    } else {
      _ = try reader.read(bytes)
    }
  }

  @Test func invalidBase64CharacterHasAPosition() {
    #expect { try reader.read("PHNhbWw+\nPHN*bWw+") } throws: { error in
      let error = error as? SAMLReadError
      return error?.kind == .invalidBase64 && error?.position == SourcePosition(line: 2, column: 4)
    }
  }

  @Test func base64ThatIsNotXMLIsRefused() {
    #expect { try reader.read("aGVsbG8gd29ybGQh") } throws: { error in
      (error as? SAMLReadError)?.kind == .invalidBase64
    }
  }

  @Test func malformedXMLReportsLineAndColumn() {
    let xml =
      "<saml:Assertion xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\">\n  <saml:Subject>\n</saml:Assertion>"
    #expect { try reader.read(xml) } throws: { error in
      guard let error = error as? SAMLReadError else { return false }
      return error.kind == .malformedXML && error.position?.line == 3 && error.message.contains("does not match")
        && error.description.hasPrefix("3:")
    }
  }

  @Test func truncatedBase64ThatStillDecodesIsMalformedXML() throws {
    let text = try Fixtures.text("saml/entra-iam-signed.b64").filter { !$0.isWhitespace }
    #expect { try reader.read(String(text.prefix(2000))) } throws: { error in
      (error as? SAMLReadError)?.kind == .malformedXML && (error as? SAMLReadError)?.position != nil
    }
  }

  @Test func refusesNonSAMLAndEncryptedAndEmptyInput() {
    let cases: [(String, SAMLReadError.Kind)] = [
      ("<html><body/></html>", .notSAML),
      (
        "<samlp:Response xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\"><EncryptedAssertion xmlns=\"urn:oasis:names:tc:SAML:2.0:assertion\"/></samlp:Response>",
        .encryptedAssertion
      ),
      ("  \n ", .empty),
      ("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a/>", .unsupportedEncoding),
    ]
    for (input, kind) in cases {
      #expect { try reader.read(input) } throws: { ($0 as? SAMLReadError)?.kind == kind }
    }
    #expect { try reader.read([0xFF, 0xFE, 0x3C, 0x00]) } throws: {
      ($0 as? SAMLReadError)?.kind == .unsupportedEncoding
    }
  }

  @Test func refusesOversizedInputBeforeDecoding() {
    let small = SAMLReader(limits: .init(maximumInputSize: 1000, maximumXMLSize: 500))
    #expect { try small.read(String(repeating: "A", count: 1001)) } throws: {
      ($0 as? SAMLReadError)?.kind == .tooLarge
    }
    #expect { try small.read(String(repeating: "QUFB", count: 200)) } throws: {
      ($0 as? SAMLReadError)?.kind == .tooLarge
    }
    #expect { try small.read("<a>" + String(repeating: " ", count: 600) + "</a>") } throws: {
      ($0 as? SAMLReadError)?.kind == .tooLarge
    }
  }

  @Test func readsADocumentNearTheSizeLimitQuickly() throws {
    var xml = "<Assertion xmlns=\"urn:oasis:names:tc:SAML:2.0:assertion\"><AttributeStatement>\n"
    var count = 0
    while xml.utf8.count < 1_000_000 {
      xml +=
        "<Attribute Name=\"https://aws.amazon.com/SAML/Attributes/PrincipalTag:K\(count)\"><AttributeValue>v</AttributeValue></Attribute>\n"
      count += 1
    }
    xml += "</AttributeStatement></Assertion>"
    let start = Date()
    let report = SAMLReport(document: try reader.read(xml))
    #expect(report.document.attributes.count == count)
    #expect(report.document.attributes.last?.position.line == count + 1)
    #expect(report.findings.with(.tagCount).count == 1)
    #expect(Date().timeIntervalSince(start) < 10)
  }

  @Test func hostileHTMLPagesAreScannedInLinearTime() {
    let start = Date()
    for page in [
      "<html>" + String(repeating: "<input value=\"", count: 200_000),
      "<html>" + String(repeating: "<input name=a ", count: 200_000),
      "<html>" + String(repeating: "<INPUT name=SAMLResponse value=&#", count: 100_000),
    ] {
      #expect(throws: SAMLReadError.self) { try reader.read(page) }
    }
    #expect(Date().timeIntervalSince(start) < 10)
  }

  @Test func refusesDeepNesting() {
    let xml = String(repeating: "<a>", count: 200) + String(repeating: "</a>", count: 200)
    #expect { try reader.read(xml) } throws: { ($0 as? SAMLReadError)?.kind == .tooDeep }
  }

  @Test func errorMessagesAreOneLowerCaseLine() {
    let inputs = ["", "%%%", "<a", "PHN*", "<html/>", "<!DOCTYPE a><a/>"]
    for input in inputs {
      do {
        _ = try reader.read(input)
        Issue.record("\(input) was accepted")
      } catch {
        #expect(!error.message.contains("\n"))
        #expect(error.message.first?.isLowercase == true, "\(error.message)")
      }
    }
  }
}
