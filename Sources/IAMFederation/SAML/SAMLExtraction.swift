import IAMPolicy

/// The XML namespaces of SAML 2.0 and XML signatures.
enum SAMLNamespace {
  static let assertion = "urn:oasis:names:tc:SAML:2.0:assertion"
  static let samlProtocol = "urn:oasis:names:tc:SAML:2.0:protocol"
  static let signature = "http://www.w3.org/2000/09/xmldsig#"
}

/// Turns a parsed XML tree into a ``SAMLDocument``.
enum SAMLExtraction {
  static func document(from root: ParsedElement, form: SAMLInputForm, base64Length: Int) throws(SAMLReadError)
    -> SAMLDocument
  {
    let assertionNS = SAMLNamespace.assertion
    let assertion: ParsedElement
    let assertionCount: Int
    let isResponse = root.namespace == SAMLNamespace.samlProtocol && root.name == "Response"
    let statusCode = root.child(SAMLNamespace.samlProtocol, "Status")?.child(SAMLNamespace.samlProtocol, "StatusCode")?
      .attributes["Value"]
    if isResponse {
      if let encrypted = root.child(assertionNS, "EncryptedAssertion") {
        throw encryptedError(.encryptedAssertion, "EncryptedAssertion", at: encrypted.position)
      }
      let assertions = root.children(assertionNS, "Assertion")
      guard let first = assertions.first else {
        throw SAMLReadError(
          .notSAML, "the response holds no assertion (status \(statusCode ?? "missing"))", at: root.position)
      }
      assertion = first
      assertionCount = assertions.count
    } else if root.namespace == assertionNS && root.name == "Assertion" {
      assertion = root
      assertionCount = 1
    } else {
      let namespace = root.namespace.isEmpty ? "no namespace" : "namespace \(root.namespace)"
      throw SAMLReadError(
        .notSAML, "the root element is \(root.name) in \(namespace), not a saml 2.0 response or assertion",
        at: root.position)
    }

    let subject = assertion.child(assertionNS, "Subject")
    if let encrypted = subject?.child(assertionNS, "EncryptedID") {
      throw encryptedError(.encryptedElement, "EncryptedID", at: encrypted.position)
    }
    for statement in assertion.children(assertionNS, "AttributeStatement") {
      if let encrypted = statement.child(assertionNS, "EncryptedAttribute") {
        throw encryptedError(.encryptedElement, "EncryptedAttribute", at: encrypted.position)
      }
    }
    let conditions = assertion.child(assertionNS, "Conditions")
    let authn = assertion.child(assertionNS, "AuthnStatement")
    return SAMLDocument(
      form: form,
      base64Length: base64Length,
      isResponse: isResponse,
      responseIssuer: isResponse ? root.child(assertionNS, "Issuer").map { trimmed($0.text) } : nil,
      responseDestination: isResponse ? root.attributes["Destination"] : nil,
      statusCode: statusCode,
      assertionCount: assertionCount,
      issuer: assertion.child(assertionNS, "Issuer").map { trimmed($0.text) },
      nameID: subject?.child(assertionNS, "NameID").map(nameID),
      subjectConfirmations: subject?.children(assertionNS, "SubjectConfirmation").map(confirmation) ?? [],
      audiences: conditions?.children(assertionNS, "AudienceRestriction")
        .flatMap { $0.children(assertionNS, "Audience") }.map { trimmed($0.text) } ?? [],
      notBefore: conditions.flatMap { timestamp($0, "NotBefore") },
      notOnOrAfter: conditions.flatMap { timestamp($0, "NotOnOrAfter") },
      sessionNotOnOrAfter: authn.flatMap { timestamp($0, "SessionNotOnOrAfter") },
      attributes: assertion.children(assertionNS, "AttributeStatement")
        .flatMap { $0.children(assertionNS, "Attribute") }.map(attribute),
      hasSignature: root.child(SAMLNamespace.signature, "Signature") != nil
        || assertion.child(SAMLNamespace.signature, "Signature") != nil,
      assertionPosition: assertion.position)
  }

  /// Encrypted content is encrypted for the service provider's private key (AWS's, for a response to AWS), which
  /// iamsim never has: it cannot be read offline, so nothing about it can be checked.
  private static func encryptedError(_ kind: SAMLReadError.Kind, _ element: String, at position: SourcePosition)
    -> SAMLReadError
  {
    SAMLReadError(
      kind,
      "the response holds an \(element), encrypted for the service provider's private key, which iamsim does not have: it cannot be read offline, so iamsim cannot check the response; capture one with encryption turned off at the identity provider to check it",
      at: position)
  }

  private static func nameID(_ element: ParsedElement) -> SAMLNameID {
    SAMLNameID(
      value: trimmed(element.text), format: element.attributes["Format"],
      nameQualifier: element.attributes["NameQualifier"], spNameQualifier: element.attributes["SPNameQualifier"],
      position: element.position)
  }

  private static func confirmation(_ element: ParsedElement) -> SAMLSubjectConfirmation {
    let data = element.child(SAMLNamespace.assertion, "SubjectConfirmationData")
    return SAMLSubjectConfirmation(
      method: element.attributes["Method"], hasData: data != nil, recipient: data?.attributes["Recipient"],
      notOnOrAfter: data.flatMap { timestamp($0, "NotOnOrAfter") },
      notBefore: data.flatMap { timestamp($0, "NotBefore") },
      position: data?.position ?? element.position)
  }

  private static func attribute(_ element: ParsedElement) -> SAMLAttribute {
    let valueElements = element.children(SAMLNamespace.assertion, "AttributeValue")
    let values = valueElements.map { trimmed($0.text) }
    return SAMLAttribute(
      name: element.attributes["Name"] ?? "", nameFormat: element.attributes["NameFormat"],
      friendlyName: element.attributes["FriendlyName"], values: values,
      hasStructuredValue: valueElements.contains { !$0.children.isEmpty },
      hadSurroundingWhitespace: zip(valueElements, values).contains { $0.text != $1 },
      position: element.position)
  }

  private static func timestamp(_ element: ParsedElement, _ name: String) -> SAMLTimestamp? {
    element.attributes[name].map { SAMLTimestamp(text: $0, date: XMLDateTime.parse($0), position: element.position) }
  }

  /// Removes the XML white space (space, TAB, CR, LF) around a text.
  static func trimmed(_ text: String) -> String {
    let isXMLSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
    return String(text.drop(while: isXMLSpace).reversed().drop(while: isXMLSpace).reversed())
  }
}
