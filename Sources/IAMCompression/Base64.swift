/// Base64 (RFC 4648, with padding) for the data compiled into iamsim as string literals.
public enum Base64 {
  static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
  static let values: [UInt8] = {
    var table = [UInt8](repeating: 0xFF, count: 256)
    for (index, byte) in alphabet.enumerated() { table[Int(byte)] = UInt8(index) }
    return table
  }()

  /// The base64 text of bytes.
  public static func encode(_ bytes: [UInt8]) -> [UInt8] {
    var output: [UInt8] = []
    output.reserveCapacity((bytes.count + 2) / 3 * 4)
    var index = 0
    while index < bytes.count {
      let first = Int(bytes[index])
      let second = index + 1 < bytes.count ? Int(bytes[index + 1]) : 0
      let third = index + 2 < bytes.count ? Int(bytes[index + 2]) : 0
      output.append(alphabet[first >> 2])
      output.append(alphabet[(first & 3) << 4 | second >> 4])
      output.append(index + 1 < bytes.count ? alphabet[(second & 15) << 2 | third >> 6] : UInt8(ascii: "="))
      output.append(index + 2 < bytes.count ? alphabet[third & 63] : UInt8(ascii: "="))
      index += 3
    }
    return output
  }

  /// The bytes of base64 text; `nil` when it is not valid base64.
  public static func decode(_ text: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
    guard text.count % 4 == 0 else { return nil }
    var output = [UInt8](repeating: 0, count: text.count / 4 * 3)
    var written = 0
    var index = 0
    while index < text.count {
      var quad: UInt32 = 0
      var padding = 0
      for offset in 0..<4 {
        let byte = text[index + offset]
        if byte == UInt8(ascii: "=") && index + 4 == text.count && offset >= 2 {
          padding += 1
          quad <<= 6
          continue
        }
        let value = values[Int(byte)]
        guard value != 0xFF, padding == 0 else { return nil }
        quad = quad << 6 | UInt32(value)
      }
      output[written] = UInt8(truncatingIfNeeded: quad >> 16)
      output[written + 1] = UInt8(truncatingIfNeeded: quad >> 8)
      output[written + 2] = UInt8(truncatingIfNeeded: quad)
      written += 3 - padding
      index += 4
    }
    output.removeLast(output.count - written)
    return output
  }

  /// The bytes of base64 text held in a string literal.
  public static func decode(_ text: StaticString) -> [UInt8]? {
    text.withUTF8Buffer { decode($0) }
  }
}
