/// An IPv4 or IPv6 address range in CIDR notation; a bare address is a single-address range.
public struct IPAddressRange: Sendable, Hashable {
  /// Whether this is an IPv6 range.
  public let isIPv6: Bool
  /// The address bits, IPv4 in the low 32 bits of `low`.
  let high: UInt64
  let low: UInt64
  /// The prefix length.
  public let prefixLength: Int

  /// Reads `address` or `address/prefix`; returns `nil` for anything else.
  public init?(_ text: String) {
    if let (address, length) = IPAddressRange.dottedQuad(text) {
      self.init(isIPv6: false, high: 0, low: UInt64(address), prefixLength: length)
    } else {
      self.init(parsing: text)
    }
  }

  private init(isIPv6: Bool, high: UInt64, low: UInt64, prefixLength: Int) {
    self.isIPv6 = isIPv6
    self.high = high
    self.low = low
    self.prefixLength = prefixLength
  }

  /// ``init(_:)`` for any text, through the general parser.
  init?(parsing text: String) {
    let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
    let address = String(parts[0])
    if let v4 = IPAddressRange.parseIPv4(address) {
      isIPv6 = false
      high = 0
      low = UInt64(v4)
    } else if let v6 = IPAddressRange.parseIPv6(address) {
      isIPv6 = true
      high = v6.0
      low = v6.1
    } else {
      return nil
    }
    let maximum = isIPv6 ? 128 : 32
    if parts.count == 2 {
      guard !parts[1].isEmpty, parts[1].utf8.count <= 3, parts[1].allSatisfy(\.isASCII),
        let length = Int(parts[1]), (0...maximum).contains(length)
      else { return nil }
      prefixLength = length
    } else {
      prefixLength = maximum
    }
  }

  /// Whether `address` (a bare address of the same family) lies in this range.
  public func contains(_ address: IPAddressRange) -> Bool {
    guard address.isIPv6 == isIPv6 else { return false }
    if !isIPv6 {
      let mask: UInt64 = prefixLength == 0 ? 0 : (0xFFFF_FFFF << (32 - UInt64(prefixLength))) & 0xFFFF_FFFF
      return (address.low & mask) == (low & mask)
    }
    let (highMask, lowMask) = IPAddressRange.mask128(prefixLength)
    return (address.high & highMask) == (high & highMask) && (address.low & lowMask) == (low & lowMask)
  }

  private static func mask128(_ length: Int) -> (UInt64, UInt64) {
    if length == 0 { return (0, 0) }
    if length <= 64 { return (UInt64.max << (64 - UInt64(length)), 0) }
    if length == 128 { return (.max, .max) }
    return (.max, UInt64.max << (128 - UInt64(length)))
  }

  /// The common IPv4 shape, byte by byte: four groups of one to three digits, each at most 255, and an
  /// optional `/` with one or two digits up to 32. Anything else (signs, other forms, IPv6) is `nil` and
  /// takes the general path, which gives the same answer for these texts with more work.
  static func dottedQuad(_ text: String) -> (address: UInt32, prefixLength: Int)? {
    var text = text
    return text.withUTF8 { bytes -> (UInt32, Int)? in
      var address: UInt32 = 0
      var index = 0
      for group in 0..<4 {
        if group > 0 {
          guard index < bytes.count, bytes[index] == UInt8(ascii: ".") else { return nil }
          index += 1
        }
        var value: UInt32 = 0
        var digits = 0
        while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39, digits < 3 {
          value = value * 10 + UInt32(bytes[index] - 0x30)
          digits += 1
          index += 1
        }
        guard digits > 0, value <= 255 else { return nil }
        address = address << 8 | value
      }
      if index == bytes.count { return (address, 32) }
      guard bytes[index] == UInt8(ascii: "/"), bytes.count - index - 1 <= 2, bytes.count - index - 1 >= 1 else { return nil }
      var length = 0
      for byte in bytes[(index + 1)...] {
        guard byte >= 0x30, byte <= 0x39 else { return nil }
        length = length * 10 + Int(byte - 0x30)
      }
      return length <= 32 ? (address, length) : nil
    }
  }

  static func parseIPv4(_ text: String) -> UInt32? {
    let octets = text.split(separator: ".", omittingEmptySubsequences: false)
    guard octets.count == 4 else { return nil }
    var value: UInt32 = 0
    for octet in octets {
      guard !octet.isEmpty, octet.count <= 3, octet.allSatisfy({ $0.isASCII && $0.isNumber }),
        let number = UInt32(octet), number <= 255
      else { return nil }
      value = value << 8 | number
    }
    return value
  }

  static func parseIPv6(_ text: String) -> (UInt64, UInt64)? {
    guard text.contains(":"), text.allSatisfy(\.isASCII) else { return nil }
    let halves = text.split(separator: "::", omittingEmptySubsequences: false).map(String.init)
    guard halves.count <= 2 else { return nil }
    func groups(_ part: String, allowIPv4Tail: Bool) -> [UInt16]? {
      if part.isEmpty { return [] }
      var result: [UInt16] = []
      let pieces = part.split(separator: ":", omittingEmptySubsequences: false)
      for (offset, piece) in pieces.enumerated() {
        if allowIPv4Tail, offset == pieces.count - 1, piece.contains(".") {
          guard let v4 = parseIPv4(String(piece)) else { return nil }
          result.append(UInt16(v4 >> 16))
          result.append(UInt16(v4 & 0xFFFF))
        } else {
          guard !piece.isEmpty, piece.count <= 4, let value = UInt16(piece, radix: 16) else { return nil }
          result.append(value)
        }
      }
      return result
    }
    var all: [UInt16]
    if halves.count == 2 {
      guard let head = groups(halves[0], allowIPv4Tail: false), let tail = groups(halves[1], allowIPv4Tail: true),
        head.count + tail.count <= 7
      else { return nil }
      all = head + Array(repeating: 0, count: 8 - head.count - tail.count) + tail
    } else {
      guard let only = groups(halves[0], allowIPv4Tail: true), only.count == 8 else { return nil }
      all = only
    }
    let high = all[0..<4].reduce(UInt64(0)) { $0 << 16 | UInt64($1) }
    let low = all[4..<8].reduce(UInt64(0)) { $0 << 16 | UInt64($1) }
    return (high, low)
  }
}
