/// How a SAML response was supplied to the reader.
public enum SAMLInputForm: String, Sendable, Hashable {
  /// XML text.
  case xml
  /// Base64 of the XML, as the `SAMLResponse` form field carries it, possibly with line breaks.
  case base64
  /// Base64 that was also URL-encoded, alone or as `SAMLResponse=...` form data.
  case urlEncoded
}

/// The XML bytes inside an input, after undoing base64 and URL encoding.
struct DecodedSAMLInput {
  var xml: [UInt8]
  var form: SAMLInputForm
  /// The number of characters of the base64 response AWS receives (computed for XML input).
  var base64Length: Int

  /// Finds the XML in `bytes`, which may be XML, base64, URL-encoded base64 or `SAMLResponse=` form data.
  init(_ bytes: [UInt8], limits: SAMLReader.Limits) throws(SAMLReadError) {
    if bytes.count > limits.maximumInputSize {
      throw SAMLReadError(.tooLarge, "the input has \(bytes.count) bytes; the limit is \(limits.maximumInputSize)")
    }
    if bytes.starts(with: [0xFE, 0xFF]) || bytes.starts(with: [0xFF, 0xFE]) || bytes.contains(0) {
      throw SAMLReadError(.unsupportedEncoding, "the input is utf-16 or binary; save it as utf-8")
    }
    let body = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes
    guard let first = body.first(where: { !Self.isASCIIWhitespace($0) }) else {
      throw SAMLReadError(.empty, "the input is empty")
    }
    if first == UInt8(ascii: "<") {
      try Self.checkXMLSize(body.count, limits)
      self.init(xml: body, form: .xml, base64Length: Base64Text.encodedLength(of: body.count))
      return
    }
    guard let text = String(validating: body, as: UTF8.self) else {
      throw SAMLReadError(.unsupportedEncoding, "the input is not utf-8 text")
    }
    let field = FormDecoding.samlResponseParameter(in: text)
    let encoded = field.map(String.init) ?? text
    var base64 = encoded
    var form = SAMLInputForm.base64
    if FormDecoding.hasPercentEscapes(encoded) {
      guard let decoded = FormDecoding.decode(encoded) else {
        throw SAMLReadError(.invalidBase64, "the url-encoded text does not decode to utf-8")
      }
      base64 = decoded
      form = .urlEncoded
    } else if field != nil {
      form = .urlEncoded
    }
    let (xml, length) = try Base64Text.decode(
      base64, reportPositions: form == .base64, maximumDecodedSize: limits.maximumXMLSize)
    guard let start = xml.first(where: { !Self.isASCIIWhitespace($0) }), start == UInt8(ascii: "<") || start == 0xEF
    else {
      throw SAMLReadError(
        .invalidBase64, "the base64 text does not decode to xml (deflated redirect-binding messages are not supported)")
    }
    try Self.checkXMLSize(xml.count, limits)
    self.init(xml: xml, form: form, base64Length: length)
  }

  private init(xml: [UInt8], form: SAMLInputForm, base64Length: Int) {
    self.xml = xml
    self.form = form
    self.base64Length = base64Length
  }

  private static func checkXMLSize(_ count: Int, _ limits: SAMLReader.Limits) throws(SAMLReadError) {
    if count > limits.maximumXMLSize {
      throw SAMLReadError(.tooLarge, "the xml has \(count) bytes; the limit is \(limits.maximumXMLSize)")
    }
  }

  static func isASCIIWhitespace(_ byte: UInt8) -> Bool {
    byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
  }
}
