/// A decimal number read strictly, compared exactly, without floating-point rounding.
///
/// The grammar is `[+-]?digits[.digits]` (AWS: "integer or decimal"); `10abc`, `1e3`,
/// empty text and a bare `.5` are not numbers.
public struct DecimalNumber: Sendable, Hashable, Comparable {
  private let negative: Bool
  /// The integer digits without leading zeros.
  private let integer: [UInt8]
  /// The fraction digits without trailing zeros.
  private let fraction: [UInt8]

  /// Reads a number; returns `nil` when `text` is not a plain decimal.
  public init?(_ text: String) {
    // Read in place, without copying the text into an array first.
    var text = text
    guard let number = text.withUTF8({ DecimalNumber(utf8: $0[...]) }) else { return nil }
    self = number
  }

  private init?(utf8: Slice<UnsafeBufferPointer<UInt8>>) {
    var bytes = utf8
    var negative = false
    if let sign = bytes.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") {
      negative = sign == UInt8(ascii: "-")
      bytes = bytes.dropFirst()
    }
    let dot = bytes.firstIndex(of: UInt8(ascii: "."))
    let integerPart = bytes[..<(dot ?? bytes.endIndex)]
    let fractionPart = dot.map { bytes[bytes.index(after: $0)...] } ?? bytes[bytes.endIndex...]
    let isDigit = { (byte: UInt8) in byte >= 0x30 && byte <= 0x39 }
    guard !integerPart.isEmpty, integerPart.allSatisfy(isDigit), fractionPart.allSatisfy(isDigit),
      dot == nil || !fractionPart.isEmpty
    else { return nil }
    integer = Array(integerPart.drop { $0 == UInt8(ascii: "0") })
    fraction = Array(fractionPart.reversed().drop { $0 == UInt8(ascii: "0") }.reversed())
    self.negative = negative && !(integer.isEmpty && fraction.isEmpty)
  }

  public static func < (lhs: DecimalNumber, rhs: DecimalNumber) -> Bool {
    if lhs.negative != rhs.negative { return lhs.negative }
    return lhs.negative ? magnitudeLess(rhs, lhs) : magnitudeLess(lhs, rhs)
  }

  private static func magnitudeLess(_ lhs: DecimalNumber, _ rhs: DecimalNumber) -> Bool {
    if lhs.integer.count != rhs.integer.count { return lhs.integer.count < rhs.integer.count }
    if lhs.integer != rhs.integer { return lhs.integer.lexicographicallyPrecedes(rhs.integer) }
    return lhs.fraction.lexicographicallyPrecedes(rhs.fraction)
  }
}
