// Fuzz target `saml-reader`: arbitrary bytes read as a SAML response (XML, base64, URL-encoded, form data).
//
// Must hold: no crash, no hang, no unbounded memory; a read either throws `SAMLReadError` or yields a document
// whose report renders. And the reader's promise that no DTD reaches the XML parser: whenever the bytes, read as
// XML, are accepted, an independent `XMLParser` pass over them must see no declaration at all.
import FuzzDriver
import Foundation
import IAMFederation
import IAMPolicy

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// Records every DTD-related callback of `XMLParser`.
final class DeclarationSpy: NSObject, XMLParserDelegate {
  var declarations: [String] = []

  func parser(_ parser: XMLParser, foundElementDeclarationWithName elementName: String, model: String) {
    declarations.append("element \(elementName)")
  }
  func parser(_ parser: XMLParser, foundAttributeDeclarationWithName attributeName: String, forElement elementName: String,
              type: String?, defaultValue: String?) {
    declarations.append("attribute \(attributeName)")
  }
  func parser(_ parser: XMLParser, foundInternalEntityDeclarationWithName name: String, value: String?) {
    declarations.append("internal entity \(name)")
  }
  func parser(_ parser: XMLParser, foundExternalEntityDeclarationWithName name: String, publicID: String?, systemID: String?) {
    declarations.append("external entity \(name)")
  }
  func parser(_ parser: XMLParser, foundUnparsedEntityDeclarationWithName name: String, publicID: String?, systemID: String?,
              notationName: String?) {
    declarations.append("unparsed entity \(name)")
  }
  func parser(_ parser: XMLParser, foundNotationDeclarationWithName name: String, publicID: String?, systemID: String?) {
    declarations.append("notation \(name)")
  }
  func parser(_ parser: XMLParser, resolveExternalEntityName name: String, systemID: String?) -> Data? {
    declarations.append("resolve \(name)")
    return nil
  }
}

let parserLock = NSLock()

/// Whether the bytes look like XML to the reader (rather than base64 or form data).
func looksLikeXML(_ bytes: [UInt8]) -> Bool {
  let body = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes
  return body.first { ![0x20, 0x09, 0x0A, 0x0D].contains($0) } == UInt8(ascii: "<")
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSAMLReader(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
  let document: SAMLDocument
  do {
    document = try SAMLReader().read(bytes)
  } catch {
    _ = error.description
    return 0
  }
  let report = SAMLReport(document: document)
  _ = report.text
  _ = report.jsonOutput.rendered(pretty: true)
  let options = SAMLAnalysisOptions(roleArn: report.session.offeredRoles.first?.roleArn, accountID: "111122223333",
                                    providerName: "EntraID")
  _ = SAMLReport(document: document, options: options).text
  if looksLikeXML(bytes) {
    let spy = DeclarationSpy()
    let parser = XMLParser(data: Data(bytes))
    parser.shouldProcessNamespaces = true
    parser.shouldResolveExternalEntities = false
    parser.delegate = spy
    _ = parserLock.withLock { parser.parse() }
    if !spy.declarations.isEmpty {
      fatalError("the SAML reader accepted XML whose DTD reached the parser: \(spy.declarations)")
    }
  }
  return 0
}

@_cdecl("saml_reader_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
  runFuzzer(argc, argv, fuzzSAMLReader)
}
