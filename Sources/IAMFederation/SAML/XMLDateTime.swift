import Foundation

/// Parses `xs:dateTime` values such as `2024-05-01T10:00:00.123Z` or `2024-05-01T12:00:00+02:00`.
enum XMLDateTime {
  /// The moment `text` denotes; a value without a zone is taken as UTC, as SAML requires UTC anyway.
  static func parse(_ text: String) -> Date? {
    let scalars = Array(text.utf8)
    var index = 0
    func number(_ digits: Int) -> Int? {
      guard index + digits <= scalars.count else { return nil }
      var value = 0
      for byte in scalars[index..<index + digits] {
        guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
        value = value * 10 + Int(byte - UInt8(ascii: "0"))
      }
      index += digits
      return value
    }
    func expect(_ character: Character) -> Bool {
      guard index < scalars.count, scalars[index] == character.asciiValue else { return false }
      index += 1
      return true
    }
    guard let year = number(4), expect("-"), let month = number(2), expect("-"), let day = number(2), expect("T"),
      let hour = number(2), expect(":"), let minute = number(2), expect(":"), let second = number(2),
      (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
    else { return nil }
    var fraction = 0.0
    if index < scalars.count, scalars[index] == UInt8(ascii: ".") {
      index += 1
      var scale = 0.1
      let start = index
      while index < scalars.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(scalars[index]) {
        fraction += Double(scalars[index] - UInt8(ascii: "0")) * scale
        scale /= 10
        index += 1
      }
      if index == start { return nil }
    }
    var offsetSeconds = 0
    if index < scalars.count {
      if expect("Z") {
        offsetSeconds = 0
      } else if scalars[index] == UInt8(ascii: "+") || scalars[index] == UInt8(ascii: "-") {
        let sign = scalars[index] == UInt8(ascii: "-") ? -1 : 1
        index += 1
        guard let hours = number(2), expect(":"), let minutes = number(2), hours <= 14, minutes < 60 else { return nil }
        offsetSeconds = sign * (hours * 3600 + minutes * 60)
      } else {
        return nil
      }
    }
    guard index == scalars.count else { return nil }
    let days = daysFromCivil(year: year, month: month, day: day)
    let seconds = Double(days * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds) + fraction
    return Date(timeIntervalSince1970: seconds)
  }

  /// Days since 1970-01-01 in the proleptic Gregorian calendar (Howard Hinnant's algorithm).
  private static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
    let shiftedYear = month <= 2 ? year - 1 : year
    let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
    let yearOfEra = shiftedYear - era * 400
    let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    return era * 146_097 + dayOfEra - 719_468
  }
}
