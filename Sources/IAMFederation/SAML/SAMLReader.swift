/// Reads SAML 2.0 responses and assertions as Entra ID and other IdPs send them, safely and without verifying signatures.
///
/// Input may be XML (any namespace prefixes), base64 of the XML with or without line breaks, URL-encoded base64,
/// or `SAMLResponse=...` form data. Nothing outside the given bytes is ever read: document type and entity
/// declarations are refused before parsing (see ``SAMLReadError/Kind/declarationRefused``).
public struct SAMLReader: Sendable {
  /// Size limits, checked before any decoding or parsing.
  public struct Limits: Sendable, Hashable {
    /// The largest input accepted, in bytes (default 4 MiB, room for URL-encoded base64 of a full-size response).
    public var maximumInputSize: Int
    /// The largest XML document accepted after decoding, in bytes (default 1 MiB).
    public var maximumXMLSize: Int

    /// Creates limits.
    public init(maximumInputSize: Int = 4 * 1024 * 1024, maximumXMLSize: Int = 1024 * 1024) {
      self.maximumInputSize = maximumInputSize
      self.maximumXMLSize = maximumXMLSize
    }
  }

  /// The size limits.
  public var limits: Limits

  /// Creates a reader.
  public init(limits: Limits = Limits()) {
    self.limits = limits
  }

  /// Reads one response or assertion.
  ///
  /// - Throws: ``SAMLReadError`` when the input is too large, not base64 or XML, declares a DTD or entities,
  ///   is malformed (with the line and column `XMLParser` reports), or is not SAML 2.0.
  public func read(_ bytes: [UInt8]) throws(SAMLReadError) -> SAMLDocument {
    let input = try DecodedSAMLInput(bytes, limits: limits)
    try XMLSafety.check(input.xml)
    let root = try XMLTree.parse(input.xml)
    return try SAMLExtraction.document(from: root, form: input.form, base64Length: input.base64Length)
  }

  /// Reads one response or assertion from text.
  public func read(_ text: String) throws(SAMLReadError) -> SAMLDocument {
    try read(Array(text.utf8))
  }
}
