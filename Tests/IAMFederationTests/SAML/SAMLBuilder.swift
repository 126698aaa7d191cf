import Foundation

/// Builds small SAML responses for tests that vary one thing at a time.
struct SAMLBuilder {
  var recipient = "https://signin.aws.amazon.com/saml"
  var nameID = "alice@example.com"
  var nameIDFormat: String? = "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent"
  var notOnOrAfter = "2030-01-01T00:00:00Z"
  var audience = "https://signin.aws.amazon.com/saml"
  var attributes: [(String, [String])] = [
    (
      "https://aws.amazon.com/SAML/Attributes/Role",
      ["arn:aws:iam::111122223333:role/Developers,arn:aws:iam::111122223333:saml-provider/EntraID"]
    ),
    ("https://aws.amazon.com/SAML/Attributes/RoleSessionName", ["alice@example.com"]),
  ]

  mutating func add(_ name: String, _ values: String...) {
    attributes.append((name, values))
  }

  mutating func tag(_ key: String, _ values: String...) {
    attributes.append(("https://aws.amazon.com/SAML/Attributes/PrincipalTag:" + key, values))
  }

  mutating func set(_ name: String, _ values: String...) {
    attributes.removeAll { $0.0 == name }
    if !values.isEmpty { attributes.append((name, values)) }
  }

  var xml: String {
    let format = nameIDFormat.map { " Format=\"\($0)\"" } ?? ""
    let statements = attributes.map { name, values in
      "<saml2:Attribute Name=\"\(escape(name))\">"
        + values.map { "<saml2:AttributeValue>\(escape($0))</saml2:AttributeValue>" }.joined()
        + "</saml2:Attribute>"
    }.joined(separator: "\n")
    return """
      <samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion">
      <saml2:Issuer>https://sts.windows.net/tenant/</saml2:Issuer>
      <saml2:Assertion>
      <saml2:Issuer>https://sts.windows.net/tenant/</saml2:Issuer>
      <saml2:Subject><saml2:NameID\(format)>\(escape(nameID))</saml2:NameID>
      <saml2:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">
      <saml2:SubjectConfirmationData NotOnOrAfter="\(notOnOrAfter)" Recipient="\(escape(recipient))"/>
      </saml2:SubjectConfirmation></saml2:Subject>
      <saml2:Conditions NotOnOrAfter="\(notOnOrAfter)"><saml2:AudienceRestriction><saml2:Audience>\(escape(audience))</saml2:Audience></saml2:AudienceRestriction></saml2:Conditions>
      <saml2:AttributeStatement>
      \(statements)
      </saml2:AttributeStatement>
      </saml2:Assertion>
      </samlp:Response>
      """
  }

  private func escape(_ text: String) -> String {
    text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
      .replacingOccurrences(of: "\"", with: "&quot;")
  }
}
