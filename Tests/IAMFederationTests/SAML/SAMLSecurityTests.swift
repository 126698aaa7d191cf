import Foundation
import IAMTestSupport
import Testing

@testable import IAMFederation

@Suite struct SAMLSecurityTests {
  let reader = SAMLReader()

  /// Reads on another thread and fails if the reader has not returned within a second.
  private func readWithinASecond(_ bytes: [UInt8]) -> Result<SAMLDocument, SAMLReadError>? {
    let done = DispatchSemaphore(value: 0)
    let box = ResultBox()
    Thread.detachNewThread {
      box.set(Result { () throws(SAMLReadError) in try SAMLReader().read(bytes) })
      done.signal()
    }
    guard done.wait(timeout: .now() + 1) == .success else { return nil }
    return box.get()
  }

  @Test func refusesExternalEntitiesWithoutReadingTheFile() throws {
    let bytes = try Fixtures.bytes("saml/external-entity.xml")
    let result = try #require(readWithinASecond(bytes), "the reader did not return within a second")
    guard case .failure(let error) = result else {
      Issue.record("a document with a DTD was accepted")
      return
    }
    #expect(error.kind == .declarationRefused)
    #expect(error.message.contains("<!DOCTYPE"))
    #expect(error.position?.line == 2)
    let hostname = (try? String(contentsOfFile: "/etc/hostname", encoding: .utf8))?.trimmingCharacters(
      in: .whitespacesAndNewlines)
    if let hostname, !hostname.isEmpty { #expect(!error.description.contains(hostname)) }
  }

  @Test func refusesEntityBombsFast() throws {
    let bytes = try Fixtures.bytes("saml/billion-laughs.xml")
    let result = try #require(readWithinASecond(bytes), "the reader did not return within a second")
    guard case .failure(let error) = result else {
      Issue.record("an entity bomb was accepted")
      return
    }
    #expect(error.kind == .declarationRefused)
  }

  /// A FIFO blocks whoever opens it for reading until a writer appears: had the reader tried to resolve the
  /// entity, it would still be blocked after a second.
  @Test func neverOpensAReferencedLocalFile() throws {
    let directory = Scratch.root.appendingPathComponent("iamsim-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let fifo = directory.appendingPathComponent("secret").path
    #expect(mkfifo(fifo, 0o600) == 0)
    let xml = """
      <!DOCTYPE Assertion [<!ENTITY secret SYSTEM "file://\(fifo)">]>
      <Assertion xmlns="urn:oasis:names:tc:SAML:2.0:assertion"><Issuer>&secret;</Issuer></Assertion>
      """
    let result = readWithinASecond(Array(xml.utf8))
    if result == nil {
      // Unblock the stuck reader so that the test process can finish.
      let writer = open(fifo, O_WRONLY | O_NONBLOCK)
      if writer >= 0 { close(writer) }
    }
    let outcome = try #require(result, "the reader blocked on the fifo: it tried to read the referenced file")
    #expect(throws: SAMLReadError.self) { try outcome.get() }
    // No reader holds the fifo open: opening it for writing without blocking fails with ENXIO.
    let writer = open(fifo, O_WRONLY | O_NONBLOCK)
    #expect(writer == -1 && errno == ENXIO)
    if writer >= 0 { close(writer) }
  }

  @Test func refusesParameterEntitiesAndOtherDeclarations() {
    let inputs = [
      "<!DOCTYPE a [<!ENTITY % p SYSTEM \"http://example.com/x.dtd\"> %p;]><a/>",
      "<!DOCTYPE a SYSTEM \"http://example.com/a.dtd\"><a/>",
      "<a><!ENTITY x \"y\"></a>",
      "<!-- comment --><!ELEMENT a ANY><a/>",
    ]
    for input in inputs {
      #expect { try reader.read(input) } throws: { ($0 as? SAMLReadError)?.kind == .declarationRefused }
    }
  }

  /// Found by the `saml-reader` fuzz target: a `<!--` inside a processing instruction made the scan skip to a later
  /// `-->`, so the DTD between reached `XMLParser`, whose NOTATION callback then crashed on Linux (a NULL public ID).
  @Test func refusesDeclarationsHiddenBehindAProcessingInstruction() {
    let assertion = #"<Assertion xmlns="urn:oasis:names:tc:SAML:2.0:assertion"><Issuer>&e;</Issuer></Assertion><!-- -->"#
    let inputs = [
      #"<?pi <!-- ?><!DOCTYPE Assertion [<!NOTATION n SYSTEM "x"><!ENTITY e "x">]>"# + assertion,
      #"<?xml version="1.0"?><?x <!-- ?><!DOCTYPE r [<!ENTITY e SYSTEM "file:///etc/passwd">]>"# + assertion,
      #"<?xml version="1.0" encoding="UTF-8" standalone="<!--"?><!DOCTYPE r>"# + assertion,
    ]
    for input in inputs {
      #expect { try reader.read(input) } throws: { ($0 as? SAMLReadError)?.kind == .declarationRefused }
    }
  }

  /// Found by the `saml-reader` fuzz target: `XMLParser` on Linux crashed (a NULL pointer read) on a processing
  /// instruction without data, `<?m?>`. Processing instructions are refused before parsing; the XML declaration is not
  /// one, and `<?` inside a comment is text.
  @Test func refusesProcessingInstructions() throws {
    for input in ["<?m?><a/>", "<a><?m?></a>", "<a/><?pi data?>", "\u{FEFF}<?xml-stylesheet href=\"x\"?><a/>", " <?xml version=\"1.0\"?><a/>"] {
      #expect { try reader.read(input) } throws: {
        ($0 as? SAMLReadError)?.kind == .declarationRefused && ($0 as? SAMLReadError)?.message.contains("processing instruction") == true
      }
    }
    let document = try reader.read(
      """
      <?xml version="1.0" encoding="UTF-8"?><!-- <?x ?> --><Assertion xmlns="urn:oasis:names:tc:SAML:2.0:assertion"><Issuer>i<![CDATA[<?y?>]]></Issuer></Assertion>
      """)
    #expect(document.issuer == "i<?y?>")
  }

  @Test func allowsDeclarationTextInsideCommentsAndCDATA() throws {
    let document = try reader.read(
      """
      <!-- <!DOCTYPE not really> --><Assertion xmlns="urn:oasis:names:tc:SAML:2.0:assertion"><Issuer><![CDATA[<!ENTITY x>]]></Issuer></Assertion>
      """)
    #expect(document.issuer == "<!ENTITY x>")
  }

  @Test func refusesDeclarationsHiddenInBase64() throws {
    let xml = try Fixtures.bytes("saml/external-entity.xml")
    let base64 = Data(xml).base64EncodedString()
    #expect { try reader.read(base64) } throws: { ($0 as? SAMLReadError)?.kind == .declarationRefused }
  }

  @Test func undefinedEntityReferencesAreMalformed() {
    #expect { try reader.read("<Assertion xmlns=\"urn:oasis:names:tc:SAML:2.0:assertion\">&x;</Assertion>") } throws: {
      ($0 as? SAMLReadError)?.kind == .malformedXML
    }
  }
}

/// Hands a result from the reading thread to the test.
private final class ResultBox: @unchecked Sendable {
  private let lock = NSLock()
  private var result: Result<SAMLDocument, SAMLReadError>?
  func set(_ value: Result<SAMLDocument, SAMLReadError>) { lock.withLock { result = value } }
  func get() -> Result<SAMLDocument, SAMLReadError>? { lock.withLock { result } }
}
