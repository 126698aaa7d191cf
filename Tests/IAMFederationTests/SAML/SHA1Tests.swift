import IAMCompression
import Foundation
import Testing

@testable import IAMFederation

@Suite struct SHA1Tests {
  private func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

  /// FIPS 180 examples and lengths around the 55/56/64-byte padding boundaries (checked with Python's hashlib).
  @Test(arguments: [
    ("", "da39a3ee5e6b4b0d3255bfef95601890afd80709"),
    ("abc", "a9993e364706816aba3e25717850c26c9cd0d89d"),
    ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "84983e441c3bd26ebaae4aa1f95129e5e54670f1"),
    (String(repeating: "a", count: 55), "c1c8bbdc22796e28c0e15163d20899b65621d65a"),
    (String(repeating: "a", count: 56), "c2db330f6083854c99d4b5bfb6e8f29f201be699"),
    (String(repeating: "a", count: 63), "03f09f5b158a7a8cdad920bddc29b81c18a551f5"),
    (String(repeating: "a", count: 64), "0098ba824b5c16427bd7a1122a5a442a25ec644d"),
  ])
  func knownVectors(message: String, digest: String) {
    #expect(hex(SHA1.digest(Array(message.utf8))) == digest)
  }

  @Test func oneMillionAs() {
    #expect(
      hex(SHA1.digest([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)))
        == "34aa973cd4c4daa4f61eeb2bdbad27316534016f")
  }

  /// AWS's example: Base64(SHA1("https://example.com/saml" + "123456789012" + "/MySAMLIdP")).
  @Test func nameQualifierOfAWSExample() {
    let value = FederatedSession.nameQualifier(
      issuer: "https://example.com/saml", accountID: "123456789012", providerName: "MySAMLIdP")
    #expect(value == "1uAJanUnBc2XeUkHURMht+xam2c=")
  }
}
