import IAMPolicy

/// The checks that run before any byte reaches `XMLParser`.
///
/// SAML never needs a document type declaration, so any `<!DOCTYPE`, `<!ENTITY` or other markup declaration is
/// refused outright: this rules out external entities (file or network reads), parameter entities and entity
/// expansion bombs without relying on the XML library's settings. The text must be UTF-8, so that the scan sees
/// the same characters the parser will.
enum XMLSafety {
  static func check(_ xml: [UInt8]) throws(SAMLReadError) {
    if xml.contains(0) || xml.starts(with: [0xFE, 0xFF]) || xml.starts(with: [0xFF, 0xFE]) {
      throw SAMLReadError(.unsupportedEncoding, "the xml is utf-16 or binary; only utf-8 is accepted")
    }
    guard String(validating: xml, as: UTF8.self) != nil else {
      throw SAMLReadError(.unsupportedEncoding, "the xml is not valid utf-8")
    }
    try checkDeclaredEncoding(xml)
    try refuseDeclarations(xml)
  }

  /// Refuses an XML declaration that names an encoding other than UTF-8 or US-ASCII.
  private static func checkDeclaredEncoding(_ xml: [UInt8]) throws(SAMLReadError) {
    let body = xml.starts(with: [0xEF, 0xBB, 0xBF]) ? xml.dropFirst(3) : xml[...]
    guard body.starts(with: Array("<?xml".utf8)),
      let end = firstIndex(of: Array("?>".utf8), in: body, from: body.startIndex)
    else { return }
    let declaration = String(decoding: body[body.startIndex..<end], as: UTF8.self)
    guard let range = declaration.range(of: "encoding") else { return }
    let rest = declaration[range.upperBound...].drop { $0 == " " || $0 == "=" || $0 == "\t" }
    guard let quote = rest.first, quote == "\"" || quote == "'" else { return }
    let name = rest.dropFirst().prefix { $0 != quote }.lowercased()
    if !["utf-8", "utf8", "us-ascii", "ascii"].contains(name) {
      throw SAMLReadError(.unsupportedEncoding, "the xml declares encoding \"\(name)\"; only utf-8 is accepted")
    }
  }

  /// Refuses `<!` outside comments and CDATA sections (DOCTYPE, ENTITY, ELEMENT, ATTLIST and NOTATION), and every
  /// processing instruction but the XML declaration at the very start.
  ///
  /// SAML needs no processing instruction, and `XMLParser` on Linux crashes on one without data (`<?pi?>`: it reads
  /// a NULL pointer). The XML declaration is skipped as the parser reads it, to the first `?>`, so that a `<!--`
  /// inside it cannot hide a declaration that follows.
  private static func refuseDeclarations(_ xml: [UInt8]) throws(SAMLReadError) {
    let comment = Array("<!--".utf8)
    let cdata = Array("<![CDATA[".utf8)
    let instruction = Array("<?".utf8)
    let declarationStart = xml.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
    var index = xml.startIndex
    while let open = firstIndex(of: [UInt8(ascii: "<")], in: xml[...], from: index) {
      let rest = xml[open...]
      if rest.starts(with: instruction) {
        let isDeclaration =
          open == declarationStart && rest.starts(with: Array("<?xml".utf8)) && rest.count > 5
          && [0x20, 0x09, 0x0A, 0x0D].contains(rest[open + 5])
        guard isDeclaration else {
          let target = String(decoding: rest.dropFirst(2).prefix { isNameByte($0) }, as: UTF8.self)
          throw SAMLReadError(
            .declarationRefused,
            "the xml contains a processing instruction (<?\(target)); saml never needs one and iamsim refuses it",
            at: position(of: open, in: xml))
        }
        guard let end = firstIndex(of: Array("?>".utf8), in: xml[...], from: open + instruction.count) else { return }
        index = end + 2
      } else if !rest.dropFirst().starts(with: [UInt8(ascii: "!")]) {
        index = open + 1
      } else if rest.starts(with: comment) {
        guard let end = firstIndex(of: Array("-->".utf8), in: xml[...], from: open + comment.count) else { return }
        index = end + 3
      } else if rest.starts(with: cdata) {
        guard let end = firstIndex(of: Array("]]>".utf8), in: xml[...], from: open + cdata.count) else { return }
        index = end + 3
      } else {
        let word = String(decoding: rest.dropFirst(2).prefix { isNameByte($0) }, as: UTF8.self)
        let what =
          switch word.uppercased() {
          case "DOCTYPE": "a document type declaration (<!DOCTYPE)"
          case "ENTITY": "an entity declaration (<!ENTITY)"
          default: "a markup declaration (<!\(word))"
          }
        throw SAMLReadError(
          .declarationRefused, "the xml contains \(what); saml never needs one and iamsim refuses it",
          at: position(of: open, in: xml))
      }
    }
  }

  private static func isNameByte(_ byte: UInt8) -> Bool {
    (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
  }

  private static func firstIndex(of needle: [UInt8], in haystack: ArraySlice<UInt8>, from start: Int) -> Int? {
    guard !needle.isEmpty, start <= haystack.endIndex - needle.count else { return nil }
    var index = start
    while index <= haystack.endIndex - needle.count {
      if haystack[index] == needle[0] && haystack[index..<index + needle.count].elementsEqual(needle) { return index }
      index += 1
    }
    return nil
  }

  private static func position(of offset: Int, in xml: [UInt8]) -> SourcePosition {
    var line = 1
    var column = 1
    for byte in xml[..<offset] {
      if byte == UInt8(ascii: "\n") {
        line += 1
        column = 1
      } else if byte & 0xC0 != 0x80 {
        column += 1
      }
    }
    return SourcePosition(line: line, column: column)
  }
}
