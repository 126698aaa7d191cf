/// SHA-1 (FIPS 180-4), only to name the AWS CLI's SSO token cache files, as the CLI does (`~/.aws/sso/cache/`
/// holds `sha1(session name or start URL).json`). Not used for anything that needs a secure hash.
public enum SHA1 {
  /// The digest as 40 lower-case hex digits.
  public static func hex(_ text: String) -> String { Hex.string(digest(Array(text.utf8))) }

  /// The 20-byte digest.
  public static func digest(_ bytes: [UInt8]) -> [UInt8] {
    var hash: [UInt32] = [0x6745_2301, 0xEFCD_AB89, 0x98BA_DCFE, 0x1032_5476, 0xC3D2_E1F0]
    var message = bytes
    let bitLength = UInt64(bytes.count) * 8
    message.append(0x80)
    while message.count % 64 != 56 { message.append(0) }
    for shift in stride(from: 56, through: 0, by: -8) { message.append(UInt8(truncatingIfNeeded: bitLength >> UInt64(shift))) }
    var words = [UInt32](repeating: 0, count: 80)
    func rotate(_ value: UInt32, _ count: UInt32) -> UInt32 { value << count | value >> (32 - count) }
    for chunk in stride(from: 0, to: message.count, by: 64) {
      for index in 0..<16 {
        let base = chunk + index * 4
        words[index] = UInt32(message[base]) << 24 | UInt32(message[base + 1]) << 16 | UInt32(message[base + 2]) << 8
          | UInt32(message[base + 3])
      }
      for index in 16..<80 { words[index] = rotate(words[index - 3] ^ words[index - 8] ^ words[index - 14] ^ words[index - 16], 1) }
      var (a, b, c, d, e) = (hash[0], hash[1], hash[2], hash[3], hash[4])
      for index in 0..<80 {
        let (f, k): (UInt32, UInt32) =
          switch index {
          case 0..<20: ((b & c) | (~b & d), 0x5A82_7999)
          case 20..<40: (b ^ c ^ d, 0x6ED9_EBA1)
          case 40..<60: ((b & c) | (b & d) | (c & d), 0x8F1B_BCDC)
          default: (b ^ c ^ d, 0xCA62_C1D6)
          }
        let temp = rotate(a, 5) &+ f &+ e &+ k &+ words[index]
        (e, d, c, b, a) = (d, c, rotate(b, 30), a, temp)
      }
      hash[0] = hash[0] &+ a
      hash[1] = hash[1] &+ b
      hash[2] = hash[2] &+ c
      hash[3] = hash[3] &+ d
      hash[4] = hash[4] &+ e
    }
    return hash.flatMap { word in (0..<4).map { UInt8(truncatingIfNeeded: word >> UInt32(24 - 8 * $0)) } }
  }
}
