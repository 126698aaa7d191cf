import IAMCompression

/// How a SAML response was supplied to the reader.
public enum SAMLInputForm: String, Sendable, Hashable {
  /// XML text.
  case xml
  /// Base64 of the XML, as the `SAMLResponse` form field carries it, possibly with line breaks.
  case base64
  /// Base64 that was also URL-encoded, alone or as `SAMLResponse=...` form data.
  case urlEncoded
  /// The HTML auto-post page the IdP sends to the browser, whose `SAMLResponse` field holds the base64 response.
  case html
  /// The HTTP-Redirect binding: base64 of raw DEFLATE data, URL-encoded, alone, as `SAMLResponse=...` or in a URL.
  case redirect
}

/// The XML bytes inside an input, after undoing HTML, URL, base64 and DEFLATE encodings.
struct DecodedSAMLInput {
  var xml: [UInt8]
  var form: SAMLInputForm
  /// The number of characters of the base64 response AWS receives (computed for XML and deflated input).
  var base64Length: Int

  /// Finds the XML in `bytes`: XML, an HTML auto-post page, base64, URL-encoded base64, `SAMLResponse=` form data,
  /// or the redirect binding (a URL or query with `SAMLResponse=`, base64 of raw DEFLATE).
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
      if let field = HTMLForm.field(in: body) {
        if field.isRequest {
          throw SAMLReadError(
            .notSAML, "the html page posts a SAMLRequest (the service provider's request), not a SAMLResponse")
        }
        try self.init(base64: field.value, form: .html, limits: limits, reportPositions: false)
        return
      }
      if HTMLForm.looksLikeHTML(body) {
        throw SAMLReadError(
          .notSAML,
          "the input is an html page without a SAMLResponse form field (<input name=\"SAMLResponse\" value=\"…\">); save the page the identity provider sends, which posts the response to aws"
        )
      }
      try Self.checkXMLSize(body.count, limits)
      self.init(xml: body, form: .xml, base64Length: Base64Text.encodedLength(of: body.count))
      return
    }
    guard let text = String(validating: body, as: UTF8.self) else {
      throw SAMLReadError(.unsupportedEncoding, "the input is not utf-8 text")
    }
    let trimmed = text.trimmingASCIIWhitespace
    var query = Substring(trimmed)
    let isURL = trimmed.lowercased().hasPrefix("https://") || trimmed.lowercased().hasPrefix("http://")
    if isURL {
      guard let mark = trimmed.firstIndex(of: "?") else {
        throw SAMLReadError(
          .notSAML, "the input is a url without a query; the redirect binding carries SAMLResponse= in it")
      }
      query = trimmed[trimmed.index(after: mark)...].prefix { $0 != "#" }
    }
    let field = FormDecoding.parameter("SAMLResponse", in: query)
    if field == nil, FormDecoding.parameter("SAMLRequest", in: query) != nil {
      throw SAMLReadError(
        .notSAML, "the input carries a SAMLRequest (the service provider's request), not a SAMLResponse")
    }
    if isURL && field == nil {
      throw SAMLReadError(.notSAML, "the url's query has no SAMLResponse parameter")
    }
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
    try self.init(base64: base64, form: form, limits: limits, reportPositions: form == .base64)
  }

  /// Decodes base64 text to XML, inflating it when it holds raw DEFLATE data (the redirect binding).
  private init(base64: String, form: SAMLInputForm, limits: SAMLReader.Limits, reportPositions: Bool)
    throws(SAMLReadError)
  {
    let (decoded, length) = try Base64Text.decode(
      base64, reportPositions: reportPositions, maximumDecodedSize: limits.maximumXMLSize)
    if let start = decoded.first(where: { !Self.isASCIIWhitespace($0) }), start == UInt8(ascii: "<") || start == 0xEF {
      try Self.checkXMLSize(decoded.count, limits)
      self.init(xml: decoded, form: form, base64Length: length)
      return
    }
    let inflated: [UInt8]
    do {
      inflated = try Deflate.decompress(decoded, limit: limits.maximumXMLSize)
    } catch {
      throw SAMLReadError(
        .invalidBase64,
        "the \(form == .html ? "form field's " : "")base64 text decodes neither to xml nor to raw deflate data (the redirect binding's encoding): \(error.message)"
      )
    }
    guard let start = inflated.first(where: { !Self.isASCIIWhitespace($0) }),
      start == UInt8(ascii: "<") || start == 0xEF
    else {
      throw SAMLReadError(.invalidBase64, "the deflated data does not hold xml")
    }
    try Self.checkXMLSize(inflated.count, limits)
    self.init(xml: inflated, form: .redirect, base64Length: Base64Text.encodedLength(of: inflated.count))
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

extension String {
  /// The text without leading and trailing ASCII white space.
  fileprivate var trimmingASCIIWhitespace: String {
    let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
    return String(drop(while: isSpace).reversed().drop(while: isSpace).reversed())
  }
}
