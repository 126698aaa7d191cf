import Foundation
import IAMPolicy

/// What a SAML 2.0 response or assertion says, as read from the document; no AWS rule is applied yet.
public struct SAMLDocument: Sendable, Hashable {
  /// How the input was supplied.
  public var form: SAMLInputForm
  /// The length of the base64 response AWS receives: counted for base64 input, computed for XML input.
  public var base64Length: Int
  /// Whether the root is a `samlp:Response` (otherwise it is a bare `saml:Assertion`).
  public var isResponse: Bool
  /// The `Issuer` of the response, if it has one.
  public var responseIssuer: String?
  /// The response's `Destination` attribute.
  public var responseDestination: String?
  /// The response's top-level `StatusCode` value.
  public var statusCode: String?
  /// How many assertions the response holds (1 for a bare assertion).
  public var assertionCount: Int
  /// The assertion's `Issuer`.
  public var issuer: String?
  /// The subject's `NameID`.
  public var nameID: SAMLNameID?
  /// The subject's confirmations.
  public var subjectConfirmations: [SAMLSubjectConfirmation]
  /// The `Audience` values of every `AudienceRestriction`.
  public var audiences: [String]
  /// The `Conditions` element's `NotBefore`.
  public var notBefore: SAMLTimestamp?
  /// The `Conditions` element's `NotOnOrAfter`.
  public var notOnOrAfter: SAMLTimestamp?
  /// The `AuthnStatement`'s `SessionNotOnOrAfter`.
  public var sessionNotOnOrAfter: SAMLTimestamp?
  /// Every attribute of every `AttributeStatement`, in document order.
  public var attributes: [SAMLAttribute]
  /// Whether the response or the assertion carries an XML signature element (never verified).
  public var hasSignature: Bool
  /// Where the assertion is in the XML.
  public var assertionPosition: SourcePosition

  /// The attributes with exactly this `Name` (names are case-sensitive), in document order.
  public func attributes(named name: String) -> [SAMLAttribute] {
    attributes.filter { $0.name == name }
  }

  /// The `Recipient` of the first subject confirmation, else the response's `Destination`.
  public var recipient: String? {
    subjectConfirmations.lazy.compactMap(\.recipient).first ?? responseDestination
  }
}

/// A subject's `NameID`.
public struct SAMLNameID: Sendable, Hashable {
  /// The identifier, such as `alice@example.com`.
  public var value: String
  /// The `Format` URI, if given.
  public var format: String?
  /// The `NameQualifier` attribute, if given.
  public var nameQualifier: String?
  /// The `SPNameQualifier` attribute, if given.
  public var spNameQualifier: String?
  /// Where the element is in the XML.
  public var position: SourcePosition
}

/// One `SubjectConfirmation` and its `SubjectConfirmationData`.
public struct SAMLSubjectConfirmation: Sendable, Hashable {
  /// The confirmation `Method`, normally `urn:oasis:names:tc:SAML:2.0:cm:bearer`.
  public var method: String?
  /// Whether a `SubjectConfirmationData` element is present.
  public var hasData: Bool
  /// The data's `Recipient`: the URL the response was posted to; AWS's `saml:aud`.
  public var recipient: String?
  /// The data's `NotOnOrAfter`.
  public var notOnOrAfter: SAMLTimestamp?
  /// The data's `NotBefore`.
  public var notBefore: SAMLTimestamp?
  /// Where the element is in the XML.
  public var position: SourcePosition
}

/// A SAML attribute and its values.
public struct SAMLAttribute: Sendable, Hashable {
  /// The `Name`, compared case-sensitively.
  public var name: String
  /// The `NameFormat` URI, if given.
  public var nameFormat: String?
  /// The `FriendlyName`, if given.
  public var friendlyName: String?
  /// The text of each `AttributeValue`, with leading and trailing white space removed.
  public var values: [String]
  /// Whether some value held XML elements rather than text.
  public var hasStructuredValue: Bool
  /// Whether white space was removed from some value.
  public var hadSurroundingWhitespace: Bool
  /// Where the element is in the XML.
  public var position: SourcePosition
}

/// A SAML timestamp as written, and as a date when it is a valid `xs:dateTime`.
public struct SAMLTimestamp: Sendable, Hashable {
  /// The text of the attribute.
  public var text: String
  /// The moment, or `nil` when the text is not an `xs:dateTime`.
  public var date: Date?
  /// Where the owning element is in the XML.
  public var position: SourcePosition
}
