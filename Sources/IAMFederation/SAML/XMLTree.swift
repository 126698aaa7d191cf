import Foundation
import IAMPolicy

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// An XML element with its namespace, attributes, children and text, as `XMLParser` reports them.
final class ParsedElement {
  let namespace: String
  let name: String
  let attributes: [String: String]
  /// Where the start tag begins (its `<`).
  let position: SourcePosition
  private(set) var children: [ParsedElement] = []
  private(set) var text = ""

  init(namespace: String, name: String, attributes: [String: String], position: SourcePosition) {
    self.namespace = namespace
    self.name = name
    self.attributes = attributes
    self.position = position
  }

  /// The direct children with this namespace and local name.
  func children(_ namespace: String, _ name: String) -> [ParsedElement] {
    children.filter { $0.namespace == namespace && $0.name == name }
  }

  /// The first direct child with this namespace and local name.
  func child(_ namespace: String, _ name: String) -> ParsedElement? {
    children.first { $0.namespace == namespace && $0.name == name }
  }

  fileprivate func append(_ child: ParsedElement) { children.append(child) }
  fileprivate func append(text more: String) { text += more }
}

/// Parses UTF-8 XML that has passed ``XMLSafety`` into a tree of ``ParsedElement``.
enum XMLTree {
  /// How deep elements may nest; SAML responses need about ten levels.
  static let maximumDepth = 64

  /// `XMLParser` on Linux wraps libxml2, whose global state is not documented as thread-safe: one parser at a
  /// time, from its creation to its release (a parser released outside the lock while another parsed corrupted the
  /// heap in a parallel test run).
  private static let lock = NSLock()

  static func parse(_ xml: [UInt8]) throws(SAMLReadError) -> ParsedElement {
    let builder = TreeBuilder(source: TagLocator(xml))
    let outcome: Result<ParsedElement, SAMLReadError> = lock.withLock {
      let parser = XMLParser(data: Data(xml))
      parser.shouldProcessNamespaces = true
      parser.shouldReportNamespacePrefixes = false
      parser.shouldResolveExternalEntities = false
      parser.delegate = builder
      // On Linux `parse()` can return true after an error, so errors are taken from the delegate and `parserError`.
      let succeeded = parser.parse()
      if let failure = builder.failure { return .failure(failure) }
      guard succeeded, parser.parserError == nil, let root = builder.root else {
        return .failure(malformed(code: (parser.parserError as NSError?)?.code ?? 0, parser: parser))
      }
      return .success(root)
    }
    return try outcome.get()
  }

  static func malformed(code: Int, parser: XMLParser) -> SAMLReadError {
    SAMLReadError(
      .malformedXML, "malformed xml: \(describe(code))",
      at: SourcePosition(line: max(parser.lineNumber, 1), column: max(parser.columnNumber, 1)))
  }

  /// Describes an error number; `XMLParser` reports libxml2's `xmlParserErrors` numbers on every platform.
  private static func describe(_ code: Int) -> String {
    switch code {
    case 4: "the document is empty"
    case 5, 86: "the document ends too early or has content after the root element"
    case 6, 7, 8, 10, 11, 12: "an invalid character reference"
    case 9: "an invalid character"
    case 22, 23, 26, 27: "an entity reference other than &amp; &lt; &gt; &quot; &apos; or a character reference"
    case 35, 201, 202, 203: "an undeclared or malformed namespace prefix"
    case 38...44: "a malformed attribute"
    case 45: "an unterminated comment"
    case 63: "an unterminated cdata section"
    case 72, 73, 74, 77: "a tag is not closed"
    case 76: "an end tag does not match its start tag"
    default: "xml error \(code)"
    }
  }
}

/// Collects elements while `XMLParser` reads.
private final class TreeBuilder: NSObject, XMLParserDelegate {
  var root: ParsedElement?
  var failure: SAMLReadError?
  private var stack: [ParsedElement] = []
  private let source: TagLocator

  init(source: TagLocator) {
    self.source = source
  }

  func parser(
    _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
    attributes: [String: String] = [:]
  ) {
    if stack.count >= XMLTree.maximumDepth {
      failure = SAMLReadError(
        .tooDeep, "the xml nests elements deeper than \(XMLTree.maximumDepth) levels",
        at: SourcePosition(line: parser.lineNumber, column: parser.columnNumber))
      parser.abortParsing()
      return
    }
    let element = ParsedElement(
      namespace: namespaceURI ?? "", name: elementName, attributes: attributes,
      position: source.tagStart(line: parser.lineNumber, column: parser.columnNumber))
    if let parent = stack.last { parent.append(element) } else { root = element }
    stack.append(element)
  }

  func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
    if !stack.isEmpty { stack.removeLast() }
  }

  func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) {
    if failure == nil { failure = XMLTree.malformed(code: (parseError as NSError).code, parser: parser) }
    parser.abortParsing()
  }

  func parser(_ parser: XMLParser, foundCharacters string: String) {
    stack.last?.append(text: string)
  }

  func parser(_ parser: XMLParser, foundCDATA block: Data) {
    stack.last?.append(text: String(decoding: block, as: UTF8.self))
  }
}

/// Finds where a start tag begins: `XMLParser` reports the line and column (in characters) of the tag's end.
private struct TagLocator {
  private let scalars: [Unicode.Scalar]
  private let lineStarts: [Int]

  init(_ xml: [UInt8]) {
    let scalars = Array(String(decoding: xml, as: UTF8.self).unicodeScalars)
    self.scalars = scalars
    lineStarts = [0] + scalars.indices.filter { scalars[$0] == "\n" }.map { $0 + 1 }
  }

  /// The position of the `<` at or before the reported position.
  func tagStart(line: Int, column: Int) -> SourcePosition {
    guard line >= 1, line <= lineStarts.count, !scalars.isEmpty else {
      return SourcePosition(line: max(line, 1), column: max(column, 1))
    }
    var index = min(lineStarts[line - 1] + max(column - 1, 0), scalars.count - 1)
    while index > 0 && scalars[index] != "<" { index -= 1 }
    // Binary search for the last line that starts at or before `index`.
    var low = 0
    var high = lineStarts.count - 1
    while low < high {
      let middle = (low + high + 1) / 2
      if lineStarts[middle] <= index { low = middle } else { high = middle - 1 }
    }
    let tagLine = low
    return SourcePosition(line: tagLine + 1, column: index - lineStarts[tagLine] + 1)
  }
}
