import IAMPolicy

/// Why a SAML input could not be read at all.
public struct SAMLReadError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The kind of failure.
  public enum Kind: String, Sendable, Hashable {
    /// The input is empty or only white space.
    case empty
    /// The input or the decoded XML is larger than the reader accepts.
    case tooLarge
    /// The text is not base64, or is cut short.
    case invalidBase64
    /// The input is not UTF-8 XML.
    case unsupportedEncoding
    /// The XML has a document type or entity declaration, which is refused for safety.
    case declarationRefused
    /// The XML is not well-formed.
    case malformedXML
    /// The XML is nested deeper than the reader accepts.
    case tooDeep
    /// The XML is not a SAML 2.0 `Response` or `Assertion`.
    case notSAML
    /// The response holds an `EncryptedAssertion`, which iamsim cannot read offline.
    case encryptedAssertion
    /// The assertion holds an `EncryptedID` or `EncryptedAttribute`, which iamsim cannot read offline.
    case encryptedElement
  }

  /// The kind of failure.
  public var kind: Kind
  /// What went wrong, in one lower-case line.
  public var message: String
  /// Where, when the reader knows: a line and column in the XML or in the base64 text.
  public var position: SourcePosition?

  /// Creates an error.
  public init(_ kind: Kind, _ message: String, at position: SourcePosition? = nil) {
    self.kind = kind
    self.message = message
    self.position = position
  }

  /// The error as `line:column: message`, or the message alone when there is no position.
  public var description: String { position.map { "\($0): \(message)" } ?? message }
}
