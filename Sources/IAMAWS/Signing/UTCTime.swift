import Foundation

/// A point in time in UTC, with the formats AWS uses: `20150830T123600Z` for signing, ISO 8601 in responses and
/// caches, and the `isoformat()` text the AWS CLI prints.
public struct UTCTime: Sendable, Hashable, Comparable, CustomStringConvertible {
  /// Seconds since 1970-01-01T00:00:00Z.
  public var secondsSince1970: Double

  public init(secondsSince1970: Double) { self.secondsSince1970 = secondsSince1970 }
  public init(_ date: Date) { secondsSince1970 = date.timeIntervalSince1970 }

  /// The current time.
  public static var now: UTCTime { UTCTime(Date()) }

  public var date: Date { Date(timeIntervalSince1970: secondsSince1970) }

  public static func < (lhs: UTCTime, rhs: UTCTime) -> Bool { lhs.secondsSince1970 < rhs.secondsSince1970 }

  /// `YYYYMMDDTHHMMSSZ`, the `X-Amz-Date` form.
  public var amzDate: String {
    let c = components
    return pad(c.year, 4) + pad(c.month, 2) + pad(c.day, 2) + "T" + pad(c.hour, 2) + pad(c.minute, 2) + pad(c.second, 2) + "Z"
  }

  /// `YYYYMMDD`, the credential scope's date.
  public var dateStamp: String { String(amzDate.prefix(8)) }

  /// `YYYY-MM-DDTHH:MM:SSZ`.
  public var description: String {
    let c = components
    return "\(pad(c.year, 4))-\(pad(c.month, 2))-\(pad(c.day, 2))T\(pad(c.hour, 2)):\(pad(c.minute, 2)):\(pad(c.second, 2))Z"
  }

  /// As Python's `datetime.isoformat()` prints a UTC time, which the AWS CLI v2 prints for timestamps:
  /// `2024-02-12T15:41:08+00:00`, or with `.ffffff` when there are microseconds.
  public var isoformat: String {
    let c = components
    let fraction = c.microsecond == 0 ? "" : "." + pad(c.microsecond, 6)
    return "\(pad(c.year, 4))-\(pad(c.month, 2))-\(pad(c.day, 2))T\(pad(c.hour, 2)):\(pad(c.minute, 2)):\(pad(c.second, 2))\(fraction)+00:00"
  }

  /// Reads `YYYY-MM-DDTHH:MM:SS[.fraction](Z|UTC|±HH:MM|±HHMM)` (a space for `T` too), the forms AWS responses and
  /// the AWS CLI's caches use; `nil` for anything else.
  public init?(iso8601 text: String) {
    let bytes = Array(text.utf8)
    var index = 0
    func number(_ digits: Int) -> Int? {
      guard index + digits <= bytes.count else { return nil }
      var value = 0
      for byte in bytes[index..<index + digits] {
        guard byte >= 48, byte <= 57 else { return nil }
        value = value * 10 + Int(byte - 48)
      }
      index += digits
      return value
    }
    func expect(_ characters: String) -> Bool {
      guard index < bytes.count, characters.utf8.contains(bytes[index]) else { return false }
      index += 1
      return true
    }
    guard let year = number(4), expect("-"), let month = number(2), expect("-"), let day = number(2), expect("Tt "),
      let hour = number(2), expect(":"), let minute = number(2), expect(":"), let second = number(2),
      (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
    else { return nil }
    var fraction = 0.0
    if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
      index += 1
      var scale = 0.1
      let start = index
      while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
        fraction += Double(bytes[index] - 48) * scale
        scale /= 10
        index += 1
      }
      guard index > start else { return nil }
    }
    var offset = 0
    let rest = String(decoding: bytes[index...], as: UTF8.self)
    switch rest {
    case "Z", "z", "UTC", "GMT", "+00:00", "-00:00", "": break
    default:
      guard rest.utf8.count == 6 || rest.utf8.count == 5, expect("+-") else { return nil }
      let sign = bytes[index - 1] == UInt8(ascii: "-") ? -1 : 1
      guard let hours = number(2) else { return nil }
      if rest.utf8.count == 6 { guard expect(":") else { return nil } }
      guard let minutes = number(2), index == bytes.count else { return nil }
      offset = sign * (hours * 3600 + minutes * 60)
    }
    let days = UTCTime.days(year: year, month: month, day: day)
    secondsSince1970 = Double(days * 86400 + hour * 3600 + minute * 60 + second - offset) + fraction
  }

  private var components: (year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, microsecond: Int) {
    // As Python's datetime.fromtimestamp: whole seconds, and the fraction rounded half-even to microseconds.
    var whole = secondsSince1970.rounded(.down)
    var micro = Int(((secondsSince1970 - whole) * 1_000_000).rounded(.toNearestOrEven))
    if micro >= 1_000_000 {
      whole += 1
      micro -= 1_000_000
    }
    let total = Int(whole)
    let days = total >= 0 ? total / 86400 : (total - 86399) / 86400
    let seconds = total - days * 86400
    let (year, month, day) = UTCTime.civil(days: days)
    return (year, month, day, seconds / 3600, seconds % 3600 / 60, seconds % 60, micro)
  }

  /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
  static func days(year: Int, month: Int, day: Int) -> Int {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yearOfEra = y - era * 400
    let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    return era * 146097 + dayOfEra - 719468
  }

  /// The date of a day count since 1970-01-01 (`civil_from_days`).
  static func civil(days: Int) -> (Int, Int, Int) {
    let z = days + 719468
    let era = (z >= 0 ? z : z - 146096) / 146097
    let dayOfEra = z - era * 146097
    let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let mp = (5 * dayOfYear + 2) / 153
    let day = dayOfYear - (153 * mp + 2) / 5 + 1
    let month = mp < 10 ? mp + 3 : mp - 9
    return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
  }

  private func pad(_ value: Int, _ width: Int) -> String {
    let text = String(value)
    return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
  }
}
