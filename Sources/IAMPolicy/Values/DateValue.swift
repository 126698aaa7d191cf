/// An instant read from an IAM date value: a W3C profile of ISO 8601 or epoch seconds.
///
/// Accepted: `YYYY`, `YYYY-MM`, `YYYY-MM-DD`, `YYYY-MM-DDThh:mm[:ss[.s…]]` with a zone
/// designator `Z` or `±hh:mm` (UTC when it is missing), and epoch seconds with an optional
/// fraction. Four digits alone are a year, not an epoch second (spec D-5).
public struct DateValue: Sendable, Hashable, Comparable {
  /// Seconds since 1970-01-01T00:00:00Z.
  public let seconds: Int64
  /// Nanoseconds within the second, 0 ..< 1,000,000,000.
  public let nanoseconds: Int64

  /// Creates an instant from seconds and nanoseconds since the epoch.
  public init(seconds: Int64, nanoseconds: Int64 = 0) {
    self.seconds = seconds
    self.nanoseconds = nanoseconds
  }

  /// Reads a date; returns `nil` for anything else.
  public init?(_ text: String) {
    // Read in place, without copying the text into an array.
    var text = text
    guard let value = text.withUTF8({ DateValue.read($0) }) else { return nil }
    self = value
  }

  private static func read(_ bytes: UnsafeBufferPointer<UInt8>) -> DateValue? {
    guard !bytes.isEmpty else { return nil }
    let allDigits = bytes.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    if allDigits && bytes.count != 4 {
      guard bytes.count <= 15, let value = Int64(String(decoding: bytes, as: UTF8.self)) else { return nil }
      return DateValue(seconds: value)
    }
    if let epoch = DateValue.epochWithFraction(bytes) { return epoch }
    return DateValue.iso8601(bytes)
  }

  public static func < (lhs: DateValue, rhs: DateValue) -> Bool {
    (lhs.seconds, lhs.nanoseconds) < (rhs.seconds, rhs.nanoseconds)
  }

  private static func epochWithFraction(_ bytes: UnsafeBufferPointer<UInt8>) -> DateValue? {
    guard let dot = bytes.firstIndex(of: UInt8(ascii: ".")), dot > 0, dot < bytes.count - 1,
      bytes.count - dot - 1 <= 9,
      bytes.indices.allSatisfy({ $0 == dot || (bytes[$0] >= 0x30 && bytes[$0] <= 0x39) }),
      let seconds = Int64(String(decoding: bytes[..<dot], as: UTF8.self))
    else { return nil }
    return DateValue(seconds: seconds, nanoseconds: fractionNanoseconds(bytes[(dot + 1)...]))
  }

  private static func fractionNanoseconds(_ digits: Slice<UnsafeBufferPointer<UInt8>>) -> Int64 {
    var value: Int64 = 0
    var scale: Int64 = 100_000_000
    for digit in digits.prefix(9) {
      value += Int64(digit - 0x30) * scale
      scale /= 10
    }
    return value
  }

  private static func iso8601(_ bytes: UnsafeBufferPointer<UInt8>) -> DateValue? {
    var reader = DigitReader(bytes: bytes)
    guard let year = reader.number(digits: 4) else { return nil }
    var month = 1
    var day = 1
    var hour = 0
    var minute = 0
    var second = 0
    var nanos: Int64 = 0
    var offsetSeconds = 0
    if reader.take(UInt8(ascii: "-")) {
      guard let value = reader.number(digits: 2), (1...12).contains(value) else { return nil }
      month = value
      if reader.take(UInt8(ascii: "-")) {
        guard let value = reader.number(digits: 2), (1...daysIn(month: month, year: year)).contains(value) else {
          return nil
        }
        day = value
        if reader.take(UInt8(ascii: "T")) {
          guard let h = reader.number(digits: 2), h <= 23, reader.take(UInt8(ascii: ":")),
            let m = reader.number(digits: 2), m <= 59
          else { return nil }
          hour = h
          minute = m
          if reader.take(UInt8(ascii: ":")) {
            guard let s = reader.number(digits: 2), s <= 59 else { return nil }
            second = s
            if reader.take(UInt8(ascii: ".")) {
              let digits = reader.digitRun()
              guard !digits.isEmpty else { return nil }
              nanos = fractionNanoseconds(digits)
            }
          }
          if reader.take(UInt8(ascii: "Z")) {
            offsetSeconds = 0
          } else if let sign = reader.peek, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
            reader.index += 1
            guard let oh = reader.number(digits: 2), oh <= 23, reader.take(UInt8(ascii: ":")),
              let om = reader.number(digits: 2), om <= 59
            else { return nil }
            offsetSeconds = (oh * 3600 + om * 60) * (sign == UInt8(ascii: "+") ? 1 : -1)
          }
        }
      }
    }
    guard reader.atEnd else { return nil }
    let days = daysFromCivil(year: year, month: month, day: day)
    let seconds = days * 86_400 + Int64(hour * 3600 + minute * 60 + second - offsetSeconds)
    return DateValue(seconds: seconds, nanoseconds: nanos)
  }

  private static func daysIn(month: Int, year: Int) -> Int {
    switch month {
    case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
    case 4, 6, 9, 11: 30
    default: 31
    }
  }

  /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
  private static func daysFromCivil(year: Int, month: Int, day: Int) -> Int64 {
    let y = Int64(month <= 2 ? year - 1 : year)
    let era = (y >= 0 ? y : y - 399) / 400
    let yearOfEra = y - era * 400
    let m = Int64(month)
    let dayOfYear = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + Int64(day) - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    return era * 146_097 + dayOfEra - 719_468
  }
}

/// A cursor over ASCII digits and separators.
private struct DigitReader {
  let bytes: UnsafeBufferPointer<UInt8>
  var index = 0

  var atEnd: Bool { index == bytes.count }
  var peek: UInt8? { index < bytes.count ? bytes[index] : nil }

  mutating func take(_ byte: UInt8) -> Bool {
    guard peek == byte else { return false }
    index += 1
    return true
  }

  mutating func number(digits: Int) -> Int? {
    guard index + digits <= bytes.count else { return nil }
    var value = 0
    for offset in 0..<digits {
      let byte = bytes[index + offset]
      guard byte >= 0x30 && byte <= 0x39 else { return nil }
      value = value * 10 + Int(byte - 0x30)
    }
    index += digits
    return value
  }

  mutating func digitRun() -> Slice<UnsafeBufferPointer<UInt8>> {
    let start = index
    while let byte = peek, byte >= 0x30 && byte <= 0x39 { index += 1 }
    return bytes[start..<index]
  }
}
