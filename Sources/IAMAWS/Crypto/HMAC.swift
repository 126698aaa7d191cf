import IAMCompression

/// HMAC-SHA256 (RFC 2104 over FIPS 180-4 SHA-256), for Signature Version 4.
public enum HMAC {
  /// The 32-byte HMAC-SHA256 of `message` under `key`.
  public static func sha256(key: [UInt8], message: [UInt8]) -> [UInt8] {
    let blockSize = 64
    var block = key.count > blockSize ? SHA256.digest(key) : key
    block += [UInt8](repeating: 0, count: blockSize - block.count)
    let inner = SHA256.digest(block.map { $0 ^ 0x36 } + message)
    return SHA256.digest(block.map { $0 ^ 0x5c } + inner)
  }

  /// The HMAC-SHA256 of a string's UTF-8 under `key`.
  public static func sha256(key: [UInt8], _ message: String) -> [UInt8] {
    sha256(key: key, message: Array(message.utf8))
  }
}

/// Lower-case hexadecimal.
enum Hex {
  private static let digits = Array("0123456789abcdef".utf8)

  static func string(_ bytes: [UInt8]) -> String {
    var text: [UInt8] = []
    text.reserveCapacity(bytes.count * 2)
    for byte in bytes {
      text.append(digits[Int(byte >> 4)])
      text.append(digits[Int(byte & 0x0f)])
    }
    return String(decoding: text, as: UTF8.self)
  }
}
