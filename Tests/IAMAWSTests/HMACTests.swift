import IAMCompression
import IAMAWS
import Testing

/// HMAC-SHA256 against RFC 4231's test cases (4.6, a truncated output, does not apply), and SHA-1 against
/// FIPS 180's examples.
@Suite struct HMACTests {
  static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

  /// One RFC 4231 test case.
  struct Case: Sendable, CustomTestStringConvertible {
    var section: String
    var key: [UInt8]
    var data: [UInt8]
    var expected: String
    var testDescription: String { "RFC 4231 \(section)" }
  }

  static let cases = [
    Case(section: "4.2", key: [UInt8](repeating: 0x0b, count: 20), data: Array("Hi There".utf8),
         expected: "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
    Case(section: "4.3", key: Array("Jefe".utf8), data: Array("what do ya want for nothing?".utf8),
         expected: "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
    Case(section: "4.4", key: [UInt8](repeating: 0xaa, count: 20), data: [UInt8](repeating: 0xdd, count: 50),
         expected: "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"),
    Case(section: "4.5", key: Array(1...25), data: [UInt8](repeating: 0xcd, count: 50),
         expected: "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"),
    Case(section: "4.7", key: [UInt8](repeating: 0xaa, count: 131), data: Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8),
         expected: "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
    Case(section: "4.8", key: [UInt8](repeating: 0xaa, count: 131),
         data: Array("This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.".utf8),
         expected: "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"),
  ]

  @Test(arguments: cases)
  func rfc4231(_ test: Case) {
    #expect(Self.hex(HMAC.sha256(key: test.key, message: test.data)) == test.expected)
  }

  @Test func sha1OfABCAndOfAnEmptyString() {
    #expect(SHA1.hex(Array("abc".utf8)) == "a9993e364706816aba3e25717850c26c9cd0d89d")
    #expect(SHA1.hex(Array("".utf8)) == "da39a3ee5e6b4b0d3255bfef95601890afd80709")
    // Two blocks: 56 bytes and more pad into a second block.
    #expect(SHA1.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)) == "84983e441c3bd26ebaae4aa1f95129e5e54670f1")
  }
}
