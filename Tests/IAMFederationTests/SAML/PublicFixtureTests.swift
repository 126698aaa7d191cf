import Foundation
import IAMCompression
import Testing

@testable import IAMFederation

/// SAML responses that people outside this project published (`Fixtures/saml/public/README.md` names each source
/// and licence): "would sign in: yes" goes only to those AWS would accept.
///
/// The rule, IAM user guide, "Configure SAML assertions for the authentication response": "The response must
/// include exactly one `SubjectConfirmation` element with a `SubjectConfirmationData` element that includes both
/// the `NotOnOrAfter` attribute and a `Recipient` attribute. The Recipient attribute must include a value that
/// matches the AWS sign-in endpoint URL."
@Suite struct PublicFixtureTests {
  let reader = SAMLReader()

  private func report(_ name: String, at moment: String) throws -> SAMLReport {
    SAMLReport(
      document: try reader.read(Fixtures.bytes("saml/public/" + name)), options: SAMLAnalysisOptions(now: date(moment)))
  }

  /// saml2aws's AD FS response names `https://signin.aws.amazon.com/saml`, `urn:amazon:webservices` as audience, a
  /// `Role` attribute of two provider-first pairs ("a comma-separated pair of strings", either order is read) and a
  /// `RoleSessionName`: AWS would have accepted it while it was valid.
  @Test func adfsResponseToAWSSignsIn() throws {
    let report = try report("saml2aws-adfs.xml", at: "2016-09-10T02:56:00Z")
    #expect(report.destination == .iam)
    #expect(report.verdict == .yes)
    #expect(report.findings.codes == [.signatureNotVerified])
    #expect(report.session.role?.roleArn == "arn:aws:iam::123123123123:role/AWS-Admin-CloudOPSBuild")
    #expect(report.session.role?.providerArn == "arn:aws:iam::123123123123:saml-provider/ExampleADFS")
    #expect(report.session.offeredRoles.count == 2)
    #expect(report.session.roleSessionName == "wolfeidau@example.com")
    #expect(report.text.contains("would sign in: yes\n"))
    let today = try self.report("saml2aws-adfs.xml", at: "2025-01-01T00:00:00Z")
    #expect(today.findings.with(.expired).count == 2)
    #expect(today.text.contains("would sign in: yes, while it was valid (it is not now: see the notes)"))
  }

  /// Entra ID's own documented response goes to `https://contoso.com/identity/inboundsso.aspx`: not AWS.
  @Test func entraDocumentedResponseToAnotherServiceIsNotAddressedToAWS() throws {
    let report = try report("entra-docs-sample-response.xml", at: "2013-03-18T07:40:00Z")
    #expect(report.destination == .other)
    #expect(!report.wouldSignIn)
    #expect(report.verdict == .no)
    let unknown = report.findings.with(.unknownRecipient)
    #expect(unknown.count == 2, "both the Destination and the Recipient")
    #expect(unknown.allSatisfy { $0.severity == .error && $0.message.hasPrefix("not addressed to aws") })
    #expect(report.text.contains("destination: not addressed to aws (https://contoso.com/identity/inboundsso.aspx)"))
    #expect(report.text.contains("would sign in: no (not addressed to aws)"))
  }

  /// python3-saml's valid response is valid for its own service provider, `…/demo1/index.php?acs`, not for AWS.
  @Test func python3SAMLValidResponseIsNotAddressedToAWS() throws {
    let report = try report("python3-saml-valid-unsigned-response.b64", at: "2014-02-19T01:38:00Z")
    #expect(report.document.form == .base64)
    #expect(report.destination == .other)
    #expect(!report.wouldSignIn)
    #expect(
      report.findings.with(.unknownRecipient).first?.message.contains(
        "https://pitbulk.no-ip.org/newonelogin/demo1/index.php?acs") == true)
  }

  /// ruby-saml's response names the template text `{recipient}` and a `Role` attribute that is not AWS's.
  @Test func rubySAMLTemplateResponseIsNotAddressedToAWS() throws {
    let report = try report("ruby-saml-multiple-roles.b64", at: "2010-11-18T21:58:00Z")
    #expect(report.destination == .other)
    #expect(!report.wouldSignIn)
    #expect(report.session.role == nil)
  }

  /// IAM user guide, SAML federation: "IAM SAML identity federation supports encrypted SAML responses"; iamsim
  /// does not have the service provider's key, so it says it cannot read the `EncryptedAssertion` (exit 2).
  @Test func encryptedAssertionCannotBeReadOffline() throws {
    let bytes = try Fixtures.bytes("saml/public/python3-saml-encrypted-assertion.b64")
    #expect { try reader.read(bytes) } throws: { error in
      guard let error = error as? SAMLReadError else { return false }
      return error.kind == .encryptedAssertion && error.message.contains("EncryptedAssertion")
        && error.message.contains("cannot be read offline") && error.position?.line == 1
    }
  }

  /// saml2aws's PingFederate sample puts every element in no namespace: it is not SAML 2.0, whose elements are in
  /// `urn:oasis:names:tc:SAML:2.0:protocol` and `…:assertion`.
  @Test func namespacelessResponseIsNotSAML() throws {
    let bytes = try Fixtures.bytes("saml/public/saml2aws-pingfed.xml")
    #expect { try reader.read(bytes) } throws: { ($0 as? SAMLReadError)?.kind == .notSAML }
  }

  /// saml2aws's "no destination" sample uses the prefix `saml2:` without declaring it: not namespace-well-formed
  /// XML, so no SAML consumer can read it.
  @Test func undeclaredPrefixIsMalformed() throws {
    let bytes = try Fixtures.bytes("saml/public/saml2aws-no-destination.xml")
    #expect { try reader.read(bytes) } throws: { ($0 as? SAMLReadError)?.kind == .malformedXML }
  }

  /// AWS sign-in's role-selection page, saved with its `SAMLResponse` replaced by `REDACTED`: the page is read, and
  /// the field's value is said not to be a response.
  @Test func htmlPageWithARedactedFieldIsInvalidInput() throws {
    let bytes = try Fixtures.bytes("saml/public/saml2aws-role-page.html")
    #expect { try reader.read(bytes) } throws: { error in
      guard let error = error as? SAMLReadError else { return false }
      return error.kind == .invalidBase64 && error.message.contains("form field")
    }
  }

  // MARK: The same AWS response in the forms browsers and tools save

  private func adfsBytes() throws -> [UInt8] { try Fixtures.bytes("saml/public/saml2aws-adfs.xml") }

  /// SAML 2.0 bindings §3.5.4: the IdP returns "an HTML document with a form", whose `SAMLResponse` control holds
  /// the base64 response; pages escape `+`, `/` and `=` as character references.
  @Test func readsTheHTMLAutoPostPage() throws {
    let base64 = Data(try adfsBytes()).base64EncodedString(options: .lineLength76Characters)
    let escaped = base64.replacingOccurrences(of: "+", with: "&#x2B;").replacingOccurrences(of: "=", with: "&#61;")
      .replacingOccurrences(of: "/", with: "&#47;")
    let page = """
      <!DOCTYPE html>
      <html><head><title>Working...</title></head>
      <body onload="document.forms[0].submit()"><form method='POST' action='https://signin.aws.amazon.com/saml'>
      <INPUT type=hidden name=RelayState value="">
      <input type="hidden" value="\(escaped)" name="SAMLResponse" />
      <noscript><input type="submit" value="Continue"></noscript></form></body></html>
      """
    let document = try reader.read(page)
    #expect(document.form == .html)
    #expect(document.attributes == (try reader.read(adfsBytes())).attributes)
    #expect(document.base64Length == Base64Text.encodedLength(of: try adfsBytes().count))
  }

  /// SAML 2.0 bindings §3.4.4.1: the redirect binding deflates the message (raw DEFLATE, RFC 1951), base64-encodes
  /// and URL-encodes it into `SAMLResponse`. AWS takes "a POST request that includes a SAML token that adheres to
  /// the HTTP POST Binding", so the response is read but would not sign in.
  @Test func readsTheRedirectBindingButAWSTakesOnlyPOST() throws {
    let deflated = Data(Deflate.compress(try adfsBytes())).base64EncodedString()
    let encoded = deflated.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
    for input in [
      "https://signin.aws.amazon.com/saml?SAMLResponse=\(encoded)&RelayState=abc&SigAlg=x",
      "SAMLResponse=\(encoded)",
      deflated,
    ] {
      let document = try reader.read(input)
      #expect(document.form == .redirect)
      #expect(document.attributes == (try reader.read(adfsBytes())).attributes)
      let report = SAMLReport(document: document, options: SAMLAnalysisOptions(now: date("2016-09-10T02:56:00Z")))
      #expect(report.findings.with(.binding).first?.severity == .error)
      #expect(!report.wouldSignIn)
    }
  }

  @Test func redirectInputsThatAreNotResponsesAreRefused() {
    let cases: [(String, String)] = [
      ("https://idp.example.com/sso?SAMLRequest=fZJN", "SAMLRequest"),
      ("https://signin.aws.amazon.com/saml", "without a query"),
      ("https://signin.aws.amazon.com/saml?RelayState=x", "no SAMLResponse"),
      ("<html><body><form><input name=\"SAMLRequest\" value=\"x\"></form></body></html>", "SAMLRequest"),
      ("SAMLResponse=" + Data("not deflate".utf8).base64EncodedString(), "deflate"),
    ]
    for (input, text) in cases {
      #expect { try reader.read(input) } throws: { error in
        (error as? SAMLReadError)?.message.contains(text) == true
      }
    }
  }
}
