import Foundation
import IAMCompression
import Testing

@Suite struct DeflateTests {
  static func seeded(_ count: Int, seed: UInt64, alphabet: Int) -> [UInt8] {
    var state = seed
    return (0..<count).map { _ in
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return UInt8(truncatingIfNeeded: (state >> 33) % UInt64(alphabet))
    }
  }

  @Test(arguments: [0, 1, 2, 3, 100, 70_000, 300_000])
  func roundTripsRandomBytes(count: Int) throws {
    for alphabet in [1, 4, 256] {
      let bytes = DeflateTests.seeded(count, seed: UInt64(count * 31 + alphabet), alphabet: alphabet)
      #expect(try Deflate.decompress(Deflate.compress(bytes)) == bytes)
    }
  }

  @Test func compressesRepetitiveTextAndIsDeterministic() throws {
    let text = Array(String(repeating: #"{"Effect":"Allow","Action":["s3:GetObject","s3:ListBucket"],"Resource":"*"},"#, count: 2000).utf8)
    let compressed = Deflate.compress(text)
    #expect(compressed.count < text.count / 50)
    #expect(compressed == Deflate.compress(text))
    #expect(try Deflate.decompress(compressed) == text)
  }

  @Test func base64RoundTripsAndRejectsGarbage() {
    for count in 0..<8 {
      let bytes = DeflateTests.seeded(count, seed: 9, alphabet: 256)
      let text = Base64.encode(bytes)
      #expect(text.withUnsafeBufferPointer { Base64.decode($0) } == bytes)
      #expect(Data(bytes).base64EncodedString() == String(decoding: text, as: UTF8.self))
    }
    #expect(Array("a*==".utf8).withUnsafeBufferPointer { Base64.decode($0) } == nil)
    #expect(Array("abc".utf8).withUnsafeBufferPointer { Base64.decode($0) } == nil)
  }

  @Test func sha256MatchesKnownDigests() {
    #expect(SHA256.hex([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    #expect(
      SHA256.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
        == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
  }

  @Test func embeddingChoosesRawTextOrBase64() {
    let plain = Array("a\tb\nc \"quoted\"\n".utf8)
    #expect(SwiftEmbedding.isRawSafe(plain))
    #expect(!SwiftEmbedding.isRawSafe(Array("a\"\"\"#b\n".utf8)))
    #expect(!SwiftEmbedding.isRawSafe(Array("a\\#b\n".utf8)))
    #expect(!SwiftEmbedding.isRawSafe(Array("a\r\n".utf8)))
    #expect(SwiftEmbedding.literal(Array("é\n".utf8)).isBase64)
  }
}
